"""Who may use each endpoint.

Every view declares its access with one of the decorators below. A single
``before_request`` hook enforces the declaration, so no view checks roles
inline, and an endpoint that declares nothing is refused (403) — a test walks
``app.url_map`` and fails on any such endpoint.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar

from flask import Flask, abort, current_app, jsonify, redirect, request, url_for
from flask_login import current_user

from pontive.accounts.roles import Role

F = TypeVar("F", bound=Callable[..., Any])

PUBLIC = "public"
AUTHENTICATED = "authenticated"
ROLES = "roles"
TOKEN = "token"  # noqa: S105 - the JSON API: a personal token instead of a session


@dataclass(frozen=True)
class Access:
    kind: str
    roles: frozenset[str] = field(default_factory=frozenset)

    def allows(self, user: Any) -> bool:
        if self.kind == PUBLIC:
            return True
        if not getattr(user, "is_authenticated", False):
            return False
        if self.kind == AUTHENTICATED or (self.kind == TOKEN and not self.roles):
            return True
        return user.has_role(*self.roles)


# Endpoints that Flask or an extension registers, with their declaration.
BUILTIN_ACCESS: dict[str, Access] = {"static": Access(PUBLIC)}


def _declare(view: F, access: Access) -> F:
    view.pontive_access = access  # type: ignore[attr-defined]
    return view


def public(view: F) -> F:
    """Anyone, signed in or not."""
    return _declare(view, Access(PUBLIC))


def login_required(view: F) -> F:
    """Any signed-in user, whatever their roles."""
    return _declare(view, Access(AUTHENTICATED))


def roles_required(*roles: Role | str) -> Callable[[F], F]:
    """Signed-in users holding at least one of ``roles``."""
    if not roles:
        raise ValueError("roles_required needs at least one role")
    names = frozenset(str(Role(r)) for r in roles)

    def decorate(view: F) -> F:
        return _declare(view, Access(ROLES, names))

    return decorate


def api_token(*roles: Role | str) -> Callable[[F], F]:
    """The JSON API: a personal token in the Authorization header, never the session cookie; with
    ``roles``, only tokens of users holding one of them. The API blueprint enforces both itself."""
    names = frozenset(str(Role(r)) for r in roles)

    def decorate(view: F) -> F:
        return _declare(view, Access(TOKEN, names))

    return decorate


def access_of(app: Flask, endpoint: str) -> Access | None:
    if endpoint in BUILTIN_ACCESS:
        return BUILTIN_ACCESS[endpoint]
    view = app.view_functions.get(endpoint)
    return getattr(view, "pontive_access", None)


def wants_json() -> bool:
    return request.path.startswith("/api/") or (
        request.accept_mimetypes.best == "application/json" and not request.headers.get("HX-Request")
    )


def _unauthenticated():
    if wants_json():
        response = jsonify(error="unauthorized", message="Silakan masuk terlebih dahulu.")
        response.status_code = 401
        return response
    login_url = url_for("accounts.login", next=request.full_path if request.method == "GET" else None)
    if request.headers.get("HX-Request"):
        # A fragment request cannot show a login page inside a table cell: send the whole window there.
        response = current_app.response_class(status=401)
        response.headers["HX-Redirect"] = login_url
        return response
    return redirect(login_url)


def enforce_access():
    """before_request: apply the endpoint's declaration."""
    if request.endpoint is None:
        return None  # 404 / 405 are answered by Flask itself
    access = access_of(current_app, request.endpoint)
    if access is None:
        current_app.logger.error("endpoint %s declares no access; refused", request.endpoint)
        abort(403)
    if access.kind == PUBLIC:
        return None
    if access.kind == TOKEN:
        return None  # the API blueprint authenticates its own tokens
    if not current_user.is_authenticated:
        return _unauthenticated()
    if not access.allows(current_user):
        abort(403)
    return None
