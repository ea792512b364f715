"""Navigation by role: each area registers its menu entries; the layout shows those a user may open."""

from __future__ import annotations

from dataclasses import dataclass, field

from flask import Flask
from flask_login import current_user

from pontive.accounts.roles import Role
from pontive.core.permissions import AUTHENTICATED, access_of


@dataclass(frozen=True)
class NavItem:
    label: str
    endpoint: str
    group: str = ""
    order: int = 100
    roles: frozenset[Role] = field(default_factory=frozenset)


_ITEMS: list[NavItem] = []


def register(*items: NavItem) -> None:
    _ITEMS.extend(items)


def items_for(app: Flask, user) -> list[NavItem]:
    """The entries whose endpoint the user may open (the endpoint's own declaration decides)."""
    visible = []
    for item in sorted(_ITEMS, key=lambda i: (i.order, i.label)):
        access = access_of(app, item.endpoint)
        if access is None:
            continue
        if access.kind == AUTHENTICATED or access.allows(user):
            visible.append(item)
    return visible


register(
    NavItem("Dasbor", "dashboard.index", order=0),
    NavItem("Pengguna", "admin.users", group="Admin", order=900),
    NavItem("OPD", "admin.opds", group="Admin", order=901),
    NavItem("Log audit", "core.audit_log", group="Admin", order=909),
)


def init_app(app: Flask) -> None:
    @app.context_processor
    def _nav() -> dict:
        if not current_user or not current_user.is_authenticated:
            return {"nav_items": []}
        return {"nav_items": items_for(app, current_user)}
