"""Team rules with their clauses: term (002 §15(1)), tasks (002 §13(1)), discipline (002 §15(3)–(4))."""

import datetime as dt

import pytest

from pontive.team import rules

D = dt.date


def meetings(*statuses):
    """(meeting id, date, status) for weekly meetings from 5 January 2026."""
    return [(i + 1, D(2026, 1, 5) + dt.timedelta(weeks=i), s) for i, s in enumerate(statuses)]


# --- 002 §15(1): one-year term ---------------------------------------------------------------------


def test_term_is_one_year_less_a_day():
    assert rules.term_end(D(2026, 1, 2)) == D(2027, 1, 1)


def test_term_from_29_february_ends_on_28_february():
    assert rules.term_end(D(2028, 2, 29)) == D(2029, 2, 28)


# --- 002 §15(3): 3 consecutive unexcused absences → warning -----------------------------------------


def test_two_absences_are_not_yet_a_breach():
    assert rules.absence_breaches(meetings("absent", "absent")) == []


def test_three_consecutive_absences_make_a_warning_due():
    breaches = rules.absence_breaches(meetings("present", "absent", "absent", "absent"))
    assert [b.key for b in breaches] == ["absence:2"]


def test_an_excused_absence_in_between_breaks_the_run():
    assert rules.absence_breaches(meetings("absent", "absent", "excused", "absent")) == []


def test_attendance_in_between_breaks_the_run():
    assert rules.absence_breaches(meetings("absent", "absent", "present", "absent", "absent")) == []


def test_a_fourth_absence_is_the_same_breach_and_a_new_run_is_a_new_one():
    breaches = rules.absence_breaches(
        meetings("absent", "absent", "absent", "absent", "present", "absent", "absent", "absent")
    )
    assert [b.key for b in breaches] == ["absence:1", "absence:6"]


# --- 002 §15(4): 2 consecutive inactive months → dismissal proposal ------------------------------------


def test_complete_months_start_with_the_first_full_month_and_end_last_month():
    assert rules.complete_months(D(2026, 1, 15), D(2026, 4, 3)) == [(2026, 2), (2026, 3)]
    assert rules.complete_months(D(2026, 1, 1), D(2026, 1, 31)) == []
    assert rules.complete_months(D(2026, 1, 1), D(2026, 2, 1)) == [(2026, 1)]


def test_complete_months_cross_the_year_boundary():
    assert rules.complete_months(D(2025, 11, 1), D(2026, 2, 10)) == [(2025, 11), (2025, 12), (2026, 1)]


def test_one_inactive_month_is_not_a_breach():
    months = [(2026, 1), (2026, 2), (2026, 3)]
    assert rules.inactivity_breaches(months, active={(2026, 1), (2026, 3)}, excused=set()) == []


def test_two_consecutive_inactive_months_make_a_dismissal_proposal_due():
    months = [(2026, 1), (2026, 2), (2026, 3)]
    breaches = rules.inactivity_breaches(months, active={(2026, 1)}, excused=set())
    assert [b.key for b in breaches] == ["inactive:2026-02"]


def test_inactive_months_across_new_year_count_as_consecutive():
    months = [(2025, 11), (2025, 12), (2026, 1)]
    assert [b.key for b in rules.inactivity_breaches(months, active={(2025, 11)}, excused=set())] == [
        "inactive:2025-12"
    ]


def test_a_written_reason_keeps_a_month_from_counting():
    months = [(2026, 1), (2026, 2), (2026, 3)]
    assert rules.inactivity_breaches(months, active={(2026, 1)}, excused={(2026, 2)}) == []


def test_inactive_months_split_by_an_active_one_are_no_breach():
    months = [(2026, 1), (2026, 2), (2026, 3)]
    assert rules.inactivity_breaches(months, active={(2026, 2)}, excused=set()) == []


# --- term ending: extension evaluation ---------------------------------------------------------------


@pytest.mark.parametrize(("days_left", "due"), [(31, False), (30, True), (0, True), (-1, False)])
def test_extension_evaluation_is_due_in_the_last_30_days(days_left, due):
    today = D(2026, 11, 23)
    assert rules.extension_due(today + dt.timedelta(days=days_left), today) is due


# --- tasks (002 §13(1)a) ---------------------------------------------------------------------------------


def test_member_moves_work_forward():
    rules.check_task_move("assigned", "in_progress", as_assignee=True, as_koordinator=False)
    rules.check_task_move("in_progress", "done", as_assignee=True, as_koordinator=False)


def test_only_the_koordinator_verifies():
    with pytest.raises(rules.TaskMoveError, match="Hanya koordinator"):
        rules.check_task_move("done", "verified", as_assignee=True, as_koordinator=False)
    rules.check_task_move("done", "verified", as_assignee=False, as_koordinator=True)


def test_nobody_verifies_their_own_task():
    with pytest.raises(rules.TaskMoveError, match="sendiri"):
        rules.check_task_move("done", "verified", as_assignee=True, as_koordinator=True)


def test_a_stranger_cannot_move_a_task_and_skips_are_refused():
    with pytest.raises(rules.TaskMoveError, match="Hanya anggota"):
        rules.check_task_move("assigned", "in_progress", as_assignee=False, as_koordinator=True)
    with pytest.raises(rules.TaskMoveError, match="tidak dapat dipindahkan"):
        rules.check_task_move("assigned", "verified", as_assignee=False, as_koordinator=True)


def test_overdue_only_while_open():
    today = D(2026, 11, 23)
    assert rules.is_overdue(D(2026, 11, 22), "in_progress", today)
    assert not rules.is_overdue(D(2026, 11, 23), "assigned", today)
    assert not rules.is_overdue(D(2026, 11, 1), "done", today)
    assert not rules.is_overdue(None, "assigned", today)
