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


class _LazyItems:
    """The menu, worked out when the layout first iterates it: an htmx fragment never renders the
    layout, so it never pays for the menu."""

    def __init__(self, app: Flask, user) -> None:
        self._app, self._user, self._items = app, user, None

    def __iter__(self):
        if self._items is None:
            self._items = items_for(self._app, self._user)
        return iter(self._items)


def init_app(app: Flask) -> None:
    @app.context_processor
    def _nav() -> dict:
        if not current_user or not current_user.is_authenticated:
            return {"nav_items": []}
        return {"nav_items": _LazyItems(app, current_user._get_current_object())}
