"""Small factories for test records; each commits, so the web tests see the rows."""

from __future__ import annotations

import itertools

from pontive.accounts import services
from pontive.accounts.models import Opd, RoleGrant, User
from pontive.accounts.roles import OPD_SCOPED, Role
from pontive.extensions import db

PASSWORD = "kata-sandi-uji-123"  # noqa: S105
_seq = itertools.count(1)
_hash_cache: dict[str, str] = {}


def _hash(password: str) -> str:
    if password not in _hash_cache:
        _hash_cache[password] = services.hash_password(password)
    return _hash_cache[password]


def make_opd(name: str | None = None, code: str | None = None, **fields) -> Opd:
    n = next(_seq)
    opd = Opd(
        code=code or f"OPD{n}", name=name or f"Dinas Uji {n}", short_name=fields.pop("short_name", f"DU{n}"), **fields
    )
    db.session.add(opd)
    db.session.commit()
    return opd


def make_user(
    username: str | None = None,
    *,
    roles: list[str | Role] | None = None,
    opd: Opd | None = None,
    password: str = PASSWORD,
    **fields,
) -> User:
    n = next(_seq)
    user = User(
        username=username or f"user{n}",
        full_name=fields.pop("full_name", f"Pengguna Uji {n}"),
        password_hash=_hash(password),
        **fields,
    )
    for role in roles or []:
        role = Role(role)
        scope = opd
        if role in OPD_SCOPED and scope is None:
            scope = make_opd()
        user.grants.append(RoleGrant(role=role, opd=scope if role in OPD_SCOPED else None))
    db.session.add(user)
    db.session.commit()
    return user
