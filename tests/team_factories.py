"""Factories for team tests: members with a membership placed in an OPD, and their koordinator."""

from __future__ import annotations

import datetime as dt

from pontive.extensions import db
from pontive.team.models import Membership
from pontive.team.rules import term_end
from tests import factories

TODAY = dt.date(2026, 11, 23)


def make_member(opd, username: str | None = None, *, start: dt.date = dt.date(2026, 1, 2), **fields) -> Membership:
    user = factories.make_user(username, roles=["anggota"], **fields)
    membership = Membership(
        member_id=user.id,
        placement_opd_id=opd.id,
        decree_number=f"188/Kep.{user.id}/2026",
        decree_date=start,
        start_date=start,
        end_date=term_end(start),
    )
    db.session.add(membership)
    db.session.commit()
    return membership


def make_koordinator(opd, username: str | None = None):
    return factories.make_user(username, roles=["koordinator"], opd=opd)
