"""Who is calling the API: a personal token in ``Authorization: Bearer pnt_…``, never the session cookie.

The result is worked out once per request and kept in ``g``: the rate limiter keys on it (a valid
token gets its own budget; everything else shares its remote address's), and the blueprint's
``before_request`` refuses what it does not allow.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import g, request
from flask_limiter.util import get_remote_address

from pontive.accounts.models import User
from pontive.accounts.tokens import TOKEN_PREFIX, user_for_token
from pontive.api.problems import Problem
from pontive.extensions import db

REALM = "Pontive API"


@dataclass(frozen=True)
class Caller:
    user: User | None
    token_prefix: str | None
    error: str | None  # None, "missing" or "invalid"


def bearer_token() -> str | None:
    """The credentials of a ``Bearer`` Authorization header (case-insensitive scheme), or None."""
    header = request.headers.get("Authorization", "")
    scheme, _, value = header.strip().partition(" ")
    if scheme.lower() != "bearer":
        return None
    return value.strip() or None


def caller() -> Caller:
    if "api_caller" not in g:
        header = request.headers.get("Authorization")
        plain = bearer_token()
        if not header:
            result = Caller(None, None, "missing")
        elif plain is None:
            result = Caller(None, None, "invalid")
        else:
            user = user_for_token(db.session, plain)
            result = Caller(user, plain[: len(TOKEN_PREFIX) + 8], None if user else "invalid")
        g.api_caller = result
    return g.api_caller


def authenticate() -> User:
    """The token's user, or a 401 problem with the ``WWW-Authenticate`` challenge of RFC 6750."""
    result = caller()
    if result.user is not None:
        return result.user
    if result.error == "missing":
        challenge = f'Bearer realm="{REALM}"'
        detail = "Sertakan token API di header Authorization: Bearer pnt_…. Buat token di halaman Akun saya."
    else:
        challenge = f'Bearer realm="{REALM}", error="invalid_token"'
        detail = "Token API tidak valid, sudah dicabut, atau milik akun yang nonaktif."
    raise Problem(401, detail, headers={"WWW-Authenticate": challenge})


def rate_limit_key() -> str:
    """A valid token's prefix; otherwise the remote address (unknown tokens cannot buy fresh budgets)."""
    if bearer_token() is not None:
        result = caller()
        if result.user is not None:
            return f"token:{result.token_prefix}"
    return f"ip:{get_remote_address()}"
