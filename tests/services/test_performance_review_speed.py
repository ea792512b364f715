"""Speed of the review pages (issue 8 §2) without changing a figure: the koordinator's own
achievement is read as two numbers from one grouped statement, and equals the rule applied to every
member's yearly mean (rules.koordinator_achievement over services.yearly_achievements)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from sqlalchemy import select

from pontive.accounts.roles import Role
from pontive.extensions import db as _db
from pontive.performance import rules, services
from pontive.performance.models import MonthlyReport, ReportStatus
from pontive.team import services as team
from pontive.team.models import Membership
from tests import factories
from tests.services.test_performance_recaps import StatementCounter
from tests.team_factories import make_koordinator, make_member

YEAR = 2025


def _reports(db, opd, months_values: list[list[str | None]], status=ReportStatus.VALIDATED) -> None:
    for n, values in enumerate(months_values):
        member = make_member(opd, full_name=f"Anggota {opd.id}-{n}").member
        for month, value in enumerate(values, start=1):
            achievement = None if value is None else Decimal(value)
            db.add(
                MonthlyReport(
                    member_id=member.id, opd_id=opd.id, year=YEAR, month=month, status=status, achievement=achievement
                )
            )
    db.commit()


def _by_the_rule(db, koordinator) -> Decimal | None:
    opd_ids = sorted(koordinator.opd_ids_for(Role.KOORDINATOR))
    serving = select(Membership.member_id).where(
        Membership.status.in_(team.SERVING), Membership.placement_opd_id.in_(opd_ids)
    )
    return rules.koordinator_achievement(services.yearly_achievements(db, YEAR, serving).values())


@pytest.mark.parametrize(
    "months_values",
    [
        [["80.00", "80.01"]],  # a member's mean at half a cent, even: 80.00
        [["80.01", "80.02"]],  # odd: 80.02
        [["80.00", "80.01"], ["70.01", "70.02"], ["99.99"]],  # the mean of the figures, half up
        [["100.00", "0.00", "33.33"], ["66.67", None], [None]],  # a month without a figure, a member without
        [["120.00"], ["0.01", "0.02", "0.02"], ["50.50", "50.51", "50.52", "50.53"]],
        [["10.00"], ["10.01"]],  # 10.005 → half up → 10.01
    ],
)
def test_the_koordinators_achievement_equals_the_rule_over_every_members_figure(db, months_values):
    opd = factories.make_opd(name="Dinas Kesehatan")
    koordinator = make_koordinator(opd)
    _reports(db, opd, months_values)
    _reports(db, factories.make_opd(name="Dinas Lain"), [["1.00"]])  # another OPD's member counts not
    expected = _by_the_rule(db, koordinator)
    assert services.koordinator_achievement(db, koordinator, YEAR) == expected
    assert expected is not None


def test_the_koordinators_achievement_is_one_statement_and_none_without_figures(db):
    opd = factories.make_opd(name="Dinas Kesehatan")
    koordinator = make_koordinator(opd)
    _reports(db, opd, [["90.00"]], status=ReportStatus.SUBMITTED)
    koordinator.opd_ids_for(Role.KOORDINATOR)
    with StatementCounter(_db.engine) as counter:
        assert services.koordinator_achievement(db, koordinator, YEAR) is None
    assert counter.count == 1
    _reports(db, opd, [[str(n) for n in range(1, 13)] for _ in range(30)])
    expected = _by_the_rule(db, koordinator)
    with StatementCounter(_db.engine) as counter:
        assert services.koordinator_achievement(db, koordinator, YEAR) == expected == Decimal("6.50")
    assert counter.count == 1
