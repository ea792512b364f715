"""Recaps of the monthly reports (004 "export … PDF dan Excel"): one row per member-month, members
without a report included, the yearly mean over validated months, each built from one statement
whatever the number of members; and the figures behind the review dashboard cards (issue 5 §10)."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal
from types import SimpleNamespace

import pytest
from sqlalchemy import event

from pontive.extensions import db as _db
from pontive.performance import cards, recaps, services
from pontive.performance.models import MonthlyReport, ReportStatus
from pontive.recruitment.demo import DEMO_PDF
from pontive.team.models import Membership
from tests import factories
from tests.team_factories import make_koordinator, make_member

YEAR, MONTH = 2026, 10
BEHAVIOUR_AS = {key: "as" for key, _ in services.rules.BERAKHLAK}


class Upload(io.BytesIO):
    def __init__(self, name: str = "bukti.pdf"):
        super().__init__(DEMO_PDF)
        self.filename = name


def member_month(
    db,
    opd,
    name: str,
    *,
    values: tuple[str, str] = ("2", "3"),
    submit: bool = True,
    year: int = YEAR,
    month: int = MONTH,
    member=None,
) -> SimpleNamespace:
    """A member placed in ``opd`` with two action plans (targets 2 and 4) in a month, filled with
    ``values`` and evidence, and submitted unless ``submit`` is False."""
    membership = None
    if member is None:
        membership = make_member(opd, full_name=name)
        member = membership.member
    plan = services.get_or_create_plan(db, member, year)
    rhk = plan.work_results[0] if plan.work_results else None
    if rhk is None:
        rhk = services.save_work_result(
            db,
            member,
            plan,
            {"title": "Tersedianya aplikasi layanan", "kind": "main"},
            [{"description": "Modul selesai", "target_value": "12", "unit": "modul"}],
        )
    first = services.save_action_plan(
        db, member, rhk, {"month": month, "description": "Modul pengaduan", "target_value": "2", "unit": "modul"}
    )
    second = services.save_action_plan(
        db, member, rhk, {"month": month, "description": "Uji coba", "target_value": "4", "unit": "skenario"}
    )
    report = services.get_or_create_report(db, member, year, month)
    services.save_report(
        db,
        member,
        report,
        narrative=f"Laporan {name} bulan {month}.",
        activities="Rapat, pengembangan.",
        realisations={first.id: {"value": values[0]}, second.id: {"value": values[1]}},
    )
    for action in (first, second):
        services.add_evidence(db, member, report, action.id, Upload())
    if submit:
        services.submit_report(db, member, report)
    return SimpleNamespace(
        member=member, membership=membership, plan=plan, rhk=rhk, actions=(first, second), report=report
    )


@pytest.fixture()
def team(db):
    """Two OPDs with a koordinator each; in the first, Ani (validated 85 %) and Budi (submitted) and
    Cici (no report); in the second, Dodi (validated 100 %)."""
    first, second = factories.make_opd(name="Dinas Kesehatan"), factories.make_opd(name="Dinas Pendidikan")
    k1, k2 = make_koordinator(first), make_koordinator(second)
    ani = member_month(db, first, "Ani Wijaya", values=("3", "2"))  # 150 % → 120, 50 % → mean 85
    services.validate_report(db, k1, ani.report, "Baik.")
    budi = member_month(db, first, "Budi Santoso")
    cici = make_member(first, full_name="Cici Lestari")
    dodi = member_month(db, second, "Dodi Pratama", values=("2", "4"))
    services.validate_report(db, k2, dodi.report, "Sesuai target.")
    for filed in (ani, budi, dodi):  # on time: before the 5th of the next month
        filed.report.submitted_at = dt.datetime(YEAR, MONTH + 1, 3, 2, 0)
    db.commit()
    return SimpleNamespace(first=first, second=second, k1=k1, k2=k2, ani=ani, budi=budi, cici=cici, dodi=dodi)


class StatementCounter:
    def __init__(self, engine):
        self.engine, self.count = engine, 0

    def __enter__(self):
        event.listen(self.engine, "before_cursor_execute", self._count)
        return self

    def __exit__(self, *exc):
        event.remove(self.engine, "before_cursor_execute", self._count)

    def _count(self, *args, **kwargs):
        self.count += 1


def test_monthly_recap_has_a_row_per_member_including_those_without_a_report(db, team):
    rows = list(recaps.monthly_rows(db, recaps.Scope(YEAR, MONTH, (team.first.id,), team.first.name)))
    by_name = {r.full_name: r for r in rows}
    assert list(by_name) == ["Ani Wijaya", "Budi Santoso", "Cici Lestari"]
    assert by_name["Ani Wijaya"].status == "validated" and by_name["Ani Wijaya"].achievement == Decimal("85.00")
    assert by_name["Ani Wijaya"].validated_by == team.k1.full_name
    assert by_name["Budi Santoso"].status_label == "Diajukan"
    assert by_name["Cici Lestari"].status is None and by_name["Cici Lestari"].status_label == recaps.NO_REPORT


def test_the_whole_team_recap_is_ordered_by_opd_then_name(db, team):
    rows = list(recaps.monthly_rows(db, recaps.Scope(YEAR, MONTH)))
    assert [(r.opd_name, r.full_name) for r in rows] == [
        ("Dinas Kesehatan", "Ani Wijaya"),
        ("Dinas Kesehatan", "Budi Santoso"),
        ("Dinas Kesehatan", "Cici Lestari"),
        ("Dinas Pendidikan", "Dodi Pratama"),
    ]


def test_recap_rows_come_from_one_statement_whatever_the_number_of_members(db, team):
    """Never a query per member: the monthly and the yearly recap are one statement each."""
    for n in range(5):
        make_member(team.first, full_name=f"Tambahan {n}")
    with StatementCounter(_db.engine) as counter:
        monthly = list(recaps.monthly_rows(db, recaps.Scope(YEAR, MONTH)))
    assert len(monthly) == 9 and counter.count == 1
    with StatementCounter(_db.engine) as counter:
        yearly = list(recaps.yearly_rows(db, recaps.Scope(YEAR)))
    assert len(yearly) == 9 and counter.count == 1


def test_yearly_recap_means_the_validated_months_only(db, team):
    september = member_month(db, team.first, "", values=("2", "4"), month=9, member=team.ani.member)
    services.validate_report(db, team.k1, september.report, "OK")  # 100 %
    november = member_month(db, team.first, "", month=11, member=team.ani.member)  # submitted, not counted
    assert november.report.status == ReportStatus.SUBMITTED
    rows = {r.full_name: r for r in recaps.yearly_rows(db, recaps.Scope(YEAR, None, (team.first.id,)))}
    ani = rows["Ani Wijaya"]
    assert ani.achievement(9) == Decimal("100.00") and ani.achievement(10) == Decimal("85.00")
    assert ani.achievement(11) is None and ani.status(11) == "submitted"
    assert ani.mean == Decimal("92.50") and ani.validated_count == 2
    assert ani.mean == services.yearly_achievements(db, YEAR, [ani.member_id])[ani.member_id]
    assert rows["Cici Lestari"].mean is None


def test_export_rows_carry_member_opd_month_status_achievement_and_validator(app, db, team):
    with app.test_request_context("/"):
        rows = list(recaps.monthly_export_rows(db, recaps.Scope(YEAR, MONTH, (team.second.id,))))
    assert len(rows) == 1
    name, username, opd, month, status, achievement, validator, validated_at = rows[0]
    assert (name, opd, month, status, achievement) == (
        "Dodi Pratama",
        "Dinas Pendidikan",
        "Oktober 2026",
        "Divalidasi (terkunci)",
        Decimal("100.00"),
    )
    assert validator == team.k2.full_name and validated_at is not None


def test_koordinator_card_counts_waiting_reports_and_late_members(app, db, team, monkeypatch):
    """004 / issue 5 §10: the koordinator sees the reports waiting and who is late with last month."""
    monkeypatch.setattr(cards, "_today", lambda: dt.date(2026, 11, 23))
    with app.test_request_context("/"):
        ctx = cards.waiting_context(team.k1)
    assert ctx["waiting"] == 1  # Budi's
    assert ctx["period"] == "Oktober 2026"
    assert [r.full_name for r in ctx["late"]] == ["Cici Lestari"]  # no report, due 5 November


def test_per_opd_card_rates_and_predikat_distribution(app, db, team, monkeypatch):
    monkeypatch.setattr(cards, "_today", lambda: dt.date(2026, 11, 23))
    with app.test_request_context("/"):
        ctx = cards.per_opd_context(team.k1)
    rows = {r["name"]: r for r in ctx["rows"]}
    assert (rows["Dinas Kesehatan"]["members"], rows["Dinas Kesehatan"]["filed"]) == (3, 2)
    assert (rows["Dinas Kesehatan"]["validated"], rows["Dinas Kesehatan"]["validated_rate"]) == (1, 33)
    assert (rows["Dinas Pendidikan"]["filed_rate"], rows["Dinas Pendidikan"]["validated_rate"]) == (100, 100)
    assert ctx["totals"] == {"members": 4, "filed": 3, "validated": 2, "filed_rate": 75, "validated_rate": 50}

    services.save_evaluation(
        db, team.k1, team.ani.member, YEAR, results_rating="below", behaviour=BEHAVIOUR_AS, behaviour_rating="as"
    )
    with app.test_request_context("/"):
        predikat = cards.predikat_context(team.k1)
    assert predikat["year"] == YEAR and predikat["total"] == 1
    assert {r["name"]: r["count"] for r in predikat["rows"]}["Butuh Perbaikan"] == 1


def test_scale_demo_bulk_inserts_the_asked_number_of_action_plans_with_their_months(db, monkeypatch):
    """Issue 5 §10: ``--scale`` adds action plans by the hundred thousand; here a small budget checks
    that every action plan lands in its month's report, with realisations and history."""
    from sqlalchemy import func, select

    from pontive.core.seeding import DemoContext
    from pontive.performance import demo
    from pontive.performance.models import ActionPlan, MonthlyReport, Realisation, ReportReview

    opd = factories.make_opd()
    make_koordinator(opd)
    monkeypatch.setattr(demo, "ACTIONS_PER_SCALE", 130)
    ctx = DemoContext(scale=1, password="x", password_hash="x", today=dt.date(2026, 11, 23))
    demo._bulk(db, ctx, set(), demo._koordinators(db))
    db.commit()
    assert db.scalar(select(func.count(ActionPlan.id))) == 130
    reports = db.scalar(select(func.count(MonthlyReport.id)))
    assert reports == 26  # five a month; 130 / 5
    drafts = db.scalar(select(func.count(MonthlyReport.id)).where(MonthlyReport.status == ReportStatus.DRAFT))
    filed = reports - drafts
    assert db.scalar(select(func.count(ReportReview.id))) >= filed
    # every action plan of a filed month has its realisation in that month's report
    realised = db.scalar(
        select(func.count(Realisation.id))
        .join(ActionPlan, ActionPlan.id == Realisation.action_plan_id)
        .join(MonthlyReport, MonthlyReport.id == Realisation.report_id)
        .where(
            ActionPlan.member_id == MonthlyReport.member_id,
            ActionPlan.year == MonthlyReport.year,
            ActionPlan.month == MonthlyReport.month,
        )
    )
    assert realised == filed * 5
    validated = db.scalars(select(MonthlyReport).where(MonthlyReport.status == ReportStatus.VALIDATED)).all()
    assert validated and all(r.achievement is not None and r.validated_by_id for r in validated)


def test_a_member_moved_within_the_period_counts_once_under_the_latest_placement_in_scope(db, team):
    """Two terms overlapping October (a move to another OPD): the whole team shows the member once,
    under the later placement; each OPD's recap shows them under its own placement."""
    moved = make_member(team.first, full_name="Eka Putri", start=dt.date(2025, 10, 20))
    db.add(
        Membership(
            member_id=moved.member_id,
            placement_opd_id=team.second.id,
            decree_number="188/Kep.pindah/2026",
            decree_date=dt.date(2026, 10, 20),
            start_date=dt.date(2026, 10, 20),
            end_date=dt.date(2027, 10, 19),
        )
    )
    db.commit()
    whole = [(r.opd_name, r.full_name) for r in recaps.monthly_rows(db, recaps.Scope(YEAR, MONTH))]
    assert whole.count(("Dinas Pendidikan", "Eka Putri")) == 1
    assert ("Dinas Kesehatan", "Eka Putri") not in whole
    first = recaps.Scope(YEAR, MONTH, (team.first.id,))
    assert "Eka Putri" in [r.full_name for r in recaps.monthly_rows(db, first)]
    assert recaps.count_members(db, recaps.Scope(YEAR, MONTH)) == 5
    assert recaps.count_members(db, first) == 4


def test_counting_members_can_stop_early(db, team):
    """A page counts at most so far past itself (issue 8 §2): the count stops at its limit."""
    assert recaps.count_members(db, recaps.Scope(YEAR, MONTH)) == 4
    assert recaps.count_members(db, recaps.Scope(YEAR, MONTH), limit=2) == 2
    validated = MonthlyReport.status == ReportStatus.VALIDATED
    assert recaps.count_monthly(db, recaps.Scope(YEAR, MONTH), condition=validated) == 2
    assert recaps.count_monthly(db, recaps.Scope(YEAR, MONTH), condition=validated, limit=1) == 1


def test_a_koordinators_own_achievement_is_the_mean_of_their_members_in_one_statement(db, team):
    """004: the koordinator's achievement is the mean of their members' yearly means (Ani 85 %, Budi
    and Cici without a validated month), read in one grouped statement."""
    assert services.koordinator_achievement(db, team.k1, YEAR) == Decimal("85.00")
    with StatementCounter(_db.engine) as counter:  # the koordinator's own grants are loaded by now
        value = services.koordinator_achievement(db, team.k1, YEAR)
    assert value == Decimal("85.00") and counter.count == 1
    assert services.koordinator_achievement(db, team.k2, YEAR) == Decimal("100.00")
