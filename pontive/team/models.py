"""Team memberships. The team area grows from here; recruitment creates the first record."""

from __future__ import annotations

import datetime as dt
import enum

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from pontive.accounts.models import Opd, User
from pontive.core.models import TimestampMixin, enum_type
from pontive.extensions import db


class MembershipStatus(enum.StrEnum):
    ACTIVE = "active"
    WARNED = "warned"
    PROPOSED_DISMISSAL = "proposed_dismissal"
    DISMISSED = "dismissed"
    ENDED = "ended"
    EXTENDED = "extended"


class Membership(TimestampMixin, db.Model):
    """One year in the team, from the Wali Kota's decree (002 §4(1), §15(1))."""

    __tablename__ = "membership"

    id: Mapped[int] = mapped_column(primary_key=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("user.id"), index=True)
    category_id: Mapped[int | None] = mapped_column(ForeignKey("selection_category.id"))
    placement_opd_id: Mapped[int | None] = mapped_column(ForeignKey("opd.id"), index=True)
    application_id: Mapped[int | None] = mapped_column(ForeignKey("application.id"), unique=True)
    decree_number: Mapped[str] = mapped_column(String(80))
    decree_date: Mapped[dt.date]
    start_date: Mapped[dt.date]
    end_date: Mapped[dt.date]
    status: Mapped[MembershipStatus] = mapped_column(enum_type(MembershipStatus), default=MembershipStatus.ACTIVE)

    member: Mapped[User] = relationship(foreign_keys=[member_id])
    placement_opd: Mapped[Opd | None] = relationship()
