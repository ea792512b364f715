"""One helper decides whether a request gets the whole page or one block of it."""

from __future__ import annotations

from typing import Any

from flask import render_template, request
from jinja2_fragments.flask import render_block

from pontive.extensions import htmx


def wants_fragment() -> bool:
    """A real fragment request: htmx, but not a boosted navigation or a history restore,
    which both expect a whole page although they send HX-Request."""
    return bool(htmx) and not htmx.boosted and not htmx.history_restore_request


def render(template: str, block: str | None = None, **context: Any) -> str:
    """Render ``template`` whole, or only ``block`` of it for an htmx fragment request."""
    if block and wants_fragment():
        return render_block(template, block, **context)
    return render_template(template, **context)


def is_htmx_target(target_id: str) -> bool:
    return wants_fragment() and request.headers.get("HX-Target") == target_id
