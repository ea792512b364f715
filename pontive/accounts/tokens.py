"""Personal API tokens (issue 7 §5): created and revoked by their owner, stored hashed, shown once."""

from __future__ import annotations

import hashlib
import secrets

from sqlalchemy import select
from sqlalchemy.orm import Session

from pontive.accounts.models import ApiToken, User
from pontive.core.audit import audit
from pontive.core.models import utcnow

TOKEN_PREFIX = "pnt_"  # noqa: S105 - a marker that makes leaked tokens easy to recognise, not a secret


class TokenError(ValueError):
    pass


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def create_token(session: Session, user: User, name: str) -> tuple[ApiToken, str]:
    """A new token; the plain value is returned once and only its hash is kept."""
    if not name.strip():
        raise TokenError("Beri nama token, misalnya “Integrasi e-Kinerja”.")
    plain = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(user_id=user.id, name=name.strip()[:80], prefix=plain[:12], token_hash=_digest(plain))
    session.add(token)
    session.flush()
    audit(session, user, "token_create", token, after={"name": token.name, "prefix": token.prefix})
    session.commit()
    return token, plain


def revoke_token(session: Session, user: User, token: ApiToken) -> None:
    if token.user_id != user.id:
        raise TokenError("Token ini bukan milik Anda.")
    if token.revoked_at is None:
        token.revoked_at = utcnow()
        audit(session, user, "token_revoke", token, after={"prefix": token.prefix})
        session.commit()


def user_for_token(session: Session, plain: str) -> User | None:
    """The active user behind a token, or None (unknown, revoked, malformed, or inactive user)."""
    if not plain.startswith(TOKEN_PREFIX) or len(plain) > 100:
        return None
    token = session.scalar(select(ApiToken).where(ApiToken.token_hash == _digest(plain)))
    if token is None or token.revoked_at is not None or not token.user.active:
        return None
    now = utcnow()
    if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 60:
        token.last_used_at = now  # at most one write a minute per token
        session.commit()
    return token.user
