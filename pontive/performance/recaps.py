"""Recaps of the monthly reports per OPD and for the whole team, on screen and exported to Excel
and PDF (004 "export … PDF dan Excel").

A recap counts the members whose membership covers the period — each member once, under the
placement of their latest membership in it — whether or not they filed a report. Every row set
comes from one statement (joins and a grouped subquery), never a query per member.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from decimal import Decimal

from sqlalchemy import Select, String, and_, case, exists, func, select, type_coerce
from sqlalchemy.orm import Session, aliased

from pontive.accounts.models import Opd, User
from pontive.core.excel import Column
from pontive.core.formats import month_name
from pontive.core.i18n import to_local
from pontive.performance import rules
from pontive.performance.models import MonthlyReport, ReportStatus
from pontive.team.models import Membership

NO_REPORT = "Belum ada laporan"
STREAM_BATCH = 1000
# built once: aliasing a mapped class costs milliseconds, a request should not pay it
_LATER = aliased(Membership, name="later")
_VALIDATOR = aliased(User, name="validator")


@dataclass(frozen=True)
class Scope:
    """What a recap covers: a year, optionally one month, and some OPDs (None: the whole team)."""

    year: int
    month: int | None = None
    opd_ids: tuple[int, ...] | None = None
    label: str = "Seluruh tim"

    @property
    def first_day(self) -> dt.date:
        return dt.date(self.year, self.month or 1, 1)

    @property
    def last_day(self) -> dt.date:
        month = self.month or 12
        return dt.date(self.year, month, calendar.monthrange(self.year, month)[1])

    @property
    def period_label(self) -> str:
        return f"{month_name(self.month)} {self.year}" if self.month else f"Tahun {self.year}"

    @property
    def slug(self) -> str:
        period = f"{self.year}-{self.month:02d}" if self.month else str(self.year)
        who = "tim" if self.opd_ids is None else "-".join(str(i) for i in self.opd_ids)
        return f"rekap-kinerja-{period}-{who}"


def _in_scope(membership, scope: Scope):
    """The membership's term overlaps the period and its placement is in scope."""
    clauses = [membership.start_date <= scope.last_day, membership.end_date >= scope.first_day]
    if scope.opd_ids is not None:
        clauses.append(membership.placement_opd_id.in_(scope.opd_ids))
    return and_(*clauses)


def latest_clause(scope: Scope):
    """``Membership`` is, of its member's memberships in scope, the latest (no later one is in scope).

    A range over the (end_date, start_date, member_id, placement_opd_id) index plus one probe of the
    member's own memberships per row, instead of grouping every membership of the table by member."""
    later = _LATER
    no_later = ~exists().where(
        later.member_id == Membership.member_id, later.id > Membership.id, _in_scope(later, scope)
    )
    return and_(_in_scope(Membership, scope), no_later)


def latest_memberships(scope: Scope):
    """Per member, the latest membership whose term overlaps the period and whose placement is in scope."""
    query = select(Membership.member_id.label("member_id"), Membership.id.label("membership_id")).where(
        latest_clause(scope)
    )
    return query.subquery("latest")


def _member_base(scope: Scope, *, ordered: bool = False) -> Select:
    """Members in scope: (id, full_name, username, opd_name), ordered by OPD then name if asked."""
    query = (
        select(User.id, User.full_name, User.username, Opd.name.label("opd_name"))
        .select_from(Membership)
        .join(User, User.id == Membership.member_id)
        .outerjoin(Opd, Opd.id == Membership.placement_opd_id)
        .where(latest_clause(scope))
    )
    return query.order_by(Opd.name, User.full_name, User.id) if ordered else query


def count_members(session: Session, scope: Scope, limit: int | None = None) -> int:
    """The members in scope; with ``limit``, counting stops there (a page says "lebih dari …")."""
    query = select(Membership.id).where(latest_clause(scope))
    if limit is not None:
        query = query.limit(limit)
    return session.scalar(select(func.count()).select_from(query.subquery())) or 0


# --- the monthly recap: one row per member-month -------------------------------------------------------


@dataclass(frozen=True)
class MonthlyRow:
    member_id: int
    full_name: str
    username: str
    opd_name: str | None
    status: str | None  # None: no report filed
    achievement: Decimal | None
    validated_by: str | None
    validated_at: dt.datetime | None
    submitted_at: dt.datetime | None
    report_id: int | None

    @property
    def status_label(self) -> str:
        return rules.REPORT_STATUS_LABELS.get(self.status, self.status) if self.status else NO_REPORT


def monthly_query(scope: Scope, *, condition=None, offset: int = 0, limit: int | None = None) -> Select:
    """The month's rows in recap order, optionally filtered on the report (``condition``) and paged.

    Unfiltered, a page picks its members first and joins only their reports and validators."""
    if scope.month is None:
        raise ValueError("a monthly recap needs a month")
    validator = _VALIDATOR
    base_query = _member_base(scope, ordered=condition is None and limit is not None)
    if condition is None and limit is not None:
        base_query = base_query.offset(offset).limit(limit)
    base = base_query.subquery("members")
    query = (
        select(
            base.c.id,
            base.c.full_name,
            base.c.username,
            base.c.opd_name,
            MonthlyReport.status,
            MonthlyReport.achievement,
            validator.full_name,
            MonthlyReport.validated_at,
            MonthlyReport.submitted_at,
            MonthlyReport.id,
        )
        .select_from(base)
        .outerjoin(
            MonthlyReport,
            and_(
                MonthlyReport.member_id == base.c.id,
                MonthlyReport.year == scope.year,
                MonthlyReport.month == scope.month,
            ),
        )
        .outerjoin(validator, validator.id == MonthlyReport.validated_by_id)
        .order_by(base.c.opd_name, base.c.full_name, base.c.id)
    )
    if condition is not None:
        query = query.where(condition)
        if limit is not None:
            query = query.offset(offset).limit(limit)
    return query


def count_monthly(session: Session, scope: Scope, *, condition=None, limit: int | None = None) -> int:
    """The members of a monthly recap, those whose report meets ``condition`` if given; with ``limit``,
    counting stops there."""
    if condition is None:
        return count_members(session, scope, limit)
    query = (
        select(Membership.id)
        .outerjoin(
            MonthlyReport,
            and_(
                MonthlyReport.member_id == Membership.member_id,
                MonthlyReport.year == scope.year,
                MonthlyReport.month == scope.month,
            ),
        )
        .where(latest_clause(scope), condition)
    )
    if limit is not None:
        query = query.limit(limit)
    return session.scalar(select(func.count()).select_from(query.subquery())) or 0


def monthly_row(row) -> MonthlyRow:
    status = row[4].value if isinstance(row[4], ReportStatus) else row[4]
    return MonthlyRow(*row[:4], status, *row[5:])


def monthly_rows(session: Session, scope: Scope, *, offset: int = 0, limit: int | None = None) -> Iterator[MonthlyRow]:
    query = monthly_query(scope, offset=offset, limit=limit)
    for row in session.execute(query.execution_options(yield_per=STREAM_BATCH)):
        yield monthly_row(row)


MONTHLY_HEADERS = [
    Column("Nama anggota", "text", 32),
    Column("Nama pengguna", "text", 18),
    Column("OPD", "text", 36),
    Column("Bulan", "text", 16),
    Column("Status", "text", 22),
    Column("Capaian (%)", "number"),
    Column("Divalidasi oleh", "text", 28),
    Column("Divalidasi pada", "date", 18),
]


def monthly_export_rows(session: Session, scope: Scope) -> Iterator[list]:
    """The Excel rows of a monthly recap, streamed: member, OPD, month, status, achievement, validator."""
    period = scope.period_label
    for row in monthly_rows(session, scope):
        yield [
            row.full_name,
            row.username,
            row.opd_name or "",
            period,
            row.status_label,
            row.achievement,
            row.validated_by or "",
            to_local(row.validated_at) if row.validated_at else None,
        ]


# --- the yearly recap: one row per member with each month's achievement --------------------------------


@dataclass
class YearlyRow:
    member_id: int
    full_name: str
    username: str
    opd_name: str | None
    months: dict[int, tuple[str, Decimal | None]] = field(default_factory=dict)  # month → (status, achievement)

    def achievement(self, month: int) -> Decimal | None:
        status, value = self.months.get(month, (None, None))
        return value if status == ReportStatus.VALIDATED.value else None

    def status(self, month: int) -> str | None:
        return self.months.get(month, (None, None))[0]

    @property
    def validated_count(self) -> int:
        return sum(1 for status, _value in self.months.values() if status == ReportStatus.VALIDATED.value)

    @property
    def mean(self) -> Decimal | None:
        """The yearly mean over the validated months, as services.yearly_achievements counts it."""
        return rules.mean(v for m in range(1, 13) if (v := self.achievement(m)) is not None)


def _validated_achievement(month: int):
    """The month's achievement if it is validated (a report's only row of that month), else NULL."""
    value = case(
        (and_(MonthlyReport.month == month, MonthlyReport.status == ReportStatus.VALIDATED), MonthlyReport.achievement)
    )
    return type_coerce(func.max(value), MonthlyReport.achievement.type).label(f"a{month}")


def yearly_query(scope: Scope, member_ids: list[int] | None = None, *, statuses: bool = True) -> Select:
    """One row per member in recap order: id, full name, username, OPD name, then per month its status
    (if ``statuses``) and its validated achievement, then the number of validated months — the year
    pivoted by the database (grouped on the (member_id, year, month) index) instead of in Python."""
    base_query = _member_base(replace(scope, month=None))
    if member_ids is not None:
        base_query = base_query.where(User.id.in_(member_ids))
    base = base_query.subquery("members")
    months = []
    for month in range(1, 13):
        if statuses:
            status = case((MonthlyReport.month == month, MonthlyReport.status))
            months.append(type_coerce(func.max(status), String).label(f"s{month}"))
        months.append(_validated_achievement(month))
    validated = func.count(case((MonthlyReport.status == ReportStatus.VALIDATED, MonthlyReport.id)))
    return (
        select(base.c.id, base.c.full_name, base.c.username, base.c.opd_name, *months, validated.label("validated"))
        .select_from(base)
        .outerjoin(MonthlyReport, and_(MonthlyReport.member_id == base.c.id, MonthlyReport.year == scope.year))
        .group_by(base.c.id, base.c.full_name, base.c.username, base.c.opd_name)
        .order_by(base.c.opd_name, base.c.full_name, base.c.id)
    )


def yearly_rows(session: Session, scope: Scope, member_ids: list[int] | None = None) -> Iterator[YearlyRow]:
    """One row per member, from one statement."""
    for row in session.execute(yearly_query(scope, member_ids).execution_options(yield_per=STREAM_BATCH)):
        item = YearlyRow(row[0], row[1], row[2], row[3])
        for month in range(1, 13):
            status = row[2 + 2 * month]
            if status is not None:
                item.months[month] = (status, row[3 + 2 * month])
        yield item


def yearly_member_page(session: Session, scope: Scope, offset: int, limit: int) -> list[int]:
    """The member ids of one page of a yearly recap, in the recap's order."""
    query = _member_base(replace(scope, month=None), ordered=True).offset(offset).limit(limit)
    return [row[0] for row in session.execute(query)]


def yearly_headers() -> list[Column]:
    return [
        Column("Nama anggota", "text", 32),
        Column("Nama pengguna", "text", 18),
        Column("OPD", "text", 36),
        *(Column(month_name(m)[:3], "number", 9) for m in range(1, 13)),
        Column("Bulan divalidasi", "number", 10),
        Column("Rata-rata (%)", "number"),
    ]


def yearly_export_rows(session: Session, scope: Scope) -> Iterator[list]:
    """The Excel rows of a yearly recap, streamed from one grouped statement: each month's validated
    achievement, the number of validated months and their mean (rules.mean, as the page shows it)."""
    query = yearly_query(scope, statuses=False).execution_options(yield_per=STREAM_BATCH)
    for row in session.execute(query):
        values = row[4:16]
        yield [
            row[1],
            row[2],
            row[3] or "",
            *values,
            row[16],
            rules.mean(v for v in values if v is not None),
        ]
