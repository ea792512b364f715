"""The stored discipline flag counts (DisciplineSummary): the dashboards and the discipline page read
them instead of every member's attendance and activity. They must always agree with the rules
(002 §15(3)–(4), computed by flags_for), be forgotten as soon as an input changes, be counted again
in a new month, and cost the same few queries whatever the number of members."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import event, func, select

from pontive.extensions import db as _db
from pontive.performance.models import MonthlyReport, ReportStatus
from pontive.team import services
from pontive.team.models import DisciplineSummary, MeetingScope, TaskEvent, TaskStatus
from tests import factories
from tests.team_factories import make_koordinator, make_member

TODAY = dt.date(2026, 11, 23)


def absent_three_times(db, koordinator, opd, membership) -> None:
    for day in (2, 9, 16):
        meeting = services.create_meeting(
            db,
            koordinator,
            {"date": dt.datetime(2026, 11, day, 9), "scope": MeetingScope.OPD, "opd_id": opd.id, "agenda": "Rapat"},
        )
        services.record_attendance(db, koordinator, meeting, {membership.member_id: {"status": "absent"}})


def open_flags_by_kind(db, memberships) -> dict[str, int]:
    """What the rules say, counted the way the cards count: flags without a letter."""
    counts = {"warning_due": 0, "dismissal_due": 0, "extension_due": 0}
    for flags in services.flags_for(db, memberships, TODAY).values():
        for flag in flags:
            if not flag.letter_issued:
                counts[flag.kind] += 1
    return counts


def stored(db) -> int:
    return db.scalar(select(func.count()).select_from(DisciplineSummary))


def team(db):
    """One OPD: a member absent 3 times, one inactive since September, one ending within 30 days, one fine."""
    opd = factories.make_opd()
    koordinator = make_koordinator(opd)
    absent = make_member(opd, start=dt.date(2026, 10, 1), full_name="Absen")
    absent_three_times(db, koordinator, opd, absent)
    inactive = make_member(opd, start=dt.date(2026, 9, 1), full_name="Pasif")
    ending = make_member(opd, start=dt.date(2025, 12, 10), full_name="Berakhir")
    fine = make_member(opd, start=dt.date(2026, 11, 1), full_name="Baik")
    return opd, koordinator, [absent, inactive, ending, fine]


def test_the_stored_counts_agree_with_the_rules(db):
    opd, _koordinator, memberships = team(db)
    counts = services.flag_counts(db, TODAY)[opd.id]
    expected = open_flags_by_kind(db, memberships)
    assert (counts.warning_due, counts.dismissal_due, counts.extension_due) == (
        expected["warning_due"],
        expected["dismissal_due"],
        expected["extension_due"],
    )
    assert counts.members == 4 and counts.warning_due == 1 and counts.dismissal_due >= 1
    assert counts.extension_due == 1  # Berakhir's term ends 9 December 2026
    assert stored(db) == 4
    flagged, watched = services.flagged_memberships(db, TODAY, [opd.id])
    assert watched == 4
    assert {m.member.full_name for m in flagged} == {"Absen", "Pasif", "Berakhir"}


def test_a_letter_an_absence_a_reason_or_activity_forgets_the_member_s_count(db):
    opd, koordinator, (absent, inactive, ending, fine) = team(db)
    services.flag_counts(db, TODAY)
    assert stored(db) == 4

    key = next(f.key for f in services.flags_for(db, [absent], TODAY)[absent.id] if f.kind == "warning_due")
    services.issue_warning(db, koordinator, absent, key, "800/1", TODAY, TODAY)
    assert db.get(DisciplineSummary, absent.id) is None
    assert services.flag_counts(db, TODAY)[opd.id].warning_due == 0  # the letter acts on the flag

    absent_three_times(db, koordinator, opd, fine)  # attendance
    assert db.get(DisciplineSummary, fine.id) is None
    assert services.flag_counts(db, TODAY)[opd.id].warning_due == 1

    before = services.flag_counts(db, TODAY)[opd.id].dismissal_due
    for month in (9, 10):
        services.record_inactivity_reason(db, inactive.member, inactive, 2026, month, "Sakit")
    assert db.get(DisciplineSummary, inactive.id) is None
    assert services.flag_counts(db, TODAY)[opd.id].dismissal_due == before - 1

    task = services.create_task(db, koordinator, opd.id, {"title": "Audit"}, [ending.member_id], TODAY)
    services.flag_counts(db, TODAY)
    services.move_task(db, ending.member, task, TaskStatus.IN_PROGRESS)  # a task event of the member
    assert db.get(DisciplineSummary, ending.id) is None
    assert db.scalar(select(func.count()).select_from(TaskEvent).where(TaskEvent.actor_id == ending.member_id))


def test_a_validated_monthly_report_forgets_the_member_s_count(db):
    """The performance area's validated reports make a month active (its ACTIVITY_SOURCES entry)."""
    opd, _koordinator, (_absent, inactive, _ending, _fine) = team(db)
    before = services.flag_counts(db, TODAY)[opd.id].dismissal_due
    for month in (9, 10):
        db.add(
            MonthlyReport(
                member_id=inactive.member_id,
                opd_id=opd.id,
                year=2026,
                month=month,
                status=ReportStatus.VALIDATED,
                narrative="",
                activities="",
            )
        )
    db.commit()
    assert db.get(DisciplineSummary, inactive.id) is None
    assert services.flag_counts(db, TODAY)[opd.id].dismissal_due == before - 1
    assert open_flags_by_kind(db, [inactive])["dismissal_due"] == 0


def test_a_new_month_counts_again(db):
    """A month ending completes a month of the term: a breach can appear without any change."""
    opd = factories.make_opd()
    member = make_member(opd, start=dt.date(2026, 10, 1))
    assert services.flag_counts(db, TODAY)[opd.id].dismissal_due == 0  # only October is complete
    assert db.get(DisciplineSummary, member.id).period == services.summary_period(TODAY)
    december = dt.date(2026, 12, 2)
    assert services.flag_counts(db, december)[opd.id].dismissal_due == 1  # October and November inactive
    assert db.get(DisciplineSummary, member.id).period == services.summary_period(december)


def count_queries(fn, *args) -> int:
    statements = []

    def listen(conn, cursor, statement, *rest):
        statements.append(statement)

    event.listen(_db.engine, "before_cursor_execute", listen)
    try:
        fn(*args)
    finally:
        event.remove(_db.engine, "before_cursor_execute", listen)
    return len(statements)


def test_once_stored_the_counts_take_one_query_whatever_the_number_of_members(db):
    opd = factories.make_opd()
    koordinator = make_koordinator(opd)
    member = make_member(opd, start=dt.date(2026, 10, 1))
    absent_three_times(db, koordinator, opd, member)
    services.flag_counts(db, TODAY)
    few = count_queries(services.flag_counts, db, TODAY)
    for _ in range(6):
        absent_three_times(db, koordinator, opd, make_member(opd, start=dt.date(2026, 10, 1)))
    services.flag_counts(db, TODAY)  # counts the new members
    assert count_queries(services.flag_counts, db, TODAY) == few == 1
    assert services.flag_counts(db, TODAY)[opd.id].warning_due == 7
