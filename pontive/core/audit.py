"""The one audit service every state change goes through."""

from __future__ import annotations

import datetime as dt
import decimal
import enum
from typing import Any

from sqlalchemy import inspect
from sqlalchemy.orm import Session

from pontive.core.models import AuditLog

# Never written to the log, whatever the entity.
_SECRET_FIELDS = frozenset({"password_hash", "token_hash", "session_version"})


def _plain(value: Any) -> Any:
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return str(value)
    if isinstance(value, enum.Enum):
        return value.value
    return value


def snapshot(obj: Any, fields: list[str] | None = None) -> dict[str, Any]:
    """The column values of a model instance, as JSON-friendly values."""
    mapper = inspect(obj).mapper
    names = fields or [c.key for c in mapper.column_attrs]
    return {n: _plain(getattr(obj, n)) for n in names if n not in _SECRET_FIELDS}


def audit(
    session: Session,
    actor: Any,
    action: str,
    entity: Any | None = None,
    *,
    entity_type: str | None = None,
    entity_id: Any = None,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
) -> AuditLog:
    """Add one audit record to the session; the caller's commit makes it durable with the change."""
    if entity is not None:
        entity_type = entity_type or type(entity).__name__
        if entity_id is None:
            session.flush()
            entity_id = inspect(entity).identity[0] if inspect(entity).identity else None
    entry = AuditLog(
        actor_id=getattr(actor, "id", None),
        actor_name=getattr(actor, "username", None) or "sistem",
        action=action,
        entity_type=entity_type or "-",
        entity_id=None if entity_id is None else str(entity_id),
        before={k: _plain(v) for k, v in before.items() if k not in _SECRET_FIELDS} if before else None,
        after={k: _plain(v) for k, v in after.items() if k not in _SECRET_FIELDS} if after else None,
    )
    session.add(entry)
    return entry
