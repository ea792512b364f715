"""The stored applications per status per round (RoundStatusCount) follow every change of an application."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import func, insert, select

from pontive.recruitment import services
from pontive.recruitment.models import (
    Application,
    ApplicationStatus,
    RoundStatus,
    RoundStatusCount,
)
from tests import factories
from tests.recruitment_factories import TODAY, make_applicant, make_application, make_round


def grouped(db) -> dict[tuple[int, str], int]:
    """What the counts must be: a GROUP BY over every application but the drafts."""
    rows = db.execute(
        select(Application.round_id, Application.status, func.count())
        .where(Application.status != ApplicationStatus.DRAFT)
        .group_by(Application.round_id, Application.status)
    )
    return {(round_id, ApplicationStatus(status).value): n for round_id, status, n in rows}


def stored(db) -> dict[tuple[int, str], int]:
    rows = db.execute(select(RoundStatusCount.round_id, RoundStatusCount.status, RoundStatusCount.n))
    return {(round_id, ApplicationStatus(status).value): n for round_id, status, n in rows if n}


def assert_in_step(db) -> None:
    db.expire_all()
    assert stored(db) == grouped(db)


def test_counts_follow_filing_every_stage_withdrawal_and_the_announcement(db):
    ketua = factories.make_user(roles=["ketua"])
    selection_round = make_round(quota=1)
    other_round = make_round(title="Seleksi Lain")
    draft = make_application(selection_round, "draft")
    assert_in_step(db)
    assert stored(db) == {}  # drafts are not counted
    services.submit_application(db, draft.applicant, draft, TODAY)
    assert_in_step(db)
    assert stored(db) == {(selection_round.id, "submitted"): 1}
    best = make_application(selection_round, "passed", scores=(90, 90))
    assert_in_step(db)
    second = make_application(selection_round, "passed", scores=(80, 85))
    failed = make_application(selection_round, "submitted")
    services.decide_admin_check(db, selection_round.panel[0].user, failed, False, "Dokumen tidak sah.")
    assert_in_step(db)
    elsewhere = make_application(other_round, "submitted")
    services.withdraw_application(db, elsewhere.applicant, elsewhere)
    assert_in_step(db)
    assert stored(db)[(other_round.id, "withdrawn")] == 1
    assert (other_round.id, "submitted") not in stored(db)
    services.withdraw_application(db, draft.applicant, draft)
    selection_round.status = RoundStatus.CLOSED
    db.commit()
    services.announce(db, ketua, selection_round, "800/123/2026", TODAY)
    assert_in_step(db)
    services.appoint(db, ketua, best, "188.45/Kep.131/2026", dt.date(2027, 1, 2))
    assert_in_step(db)
    assert stored(db)[(selection_round.id, "appointed")] == 1
    assert stored(db)[(selection_round.id, "not_selected")] == 1
    assert second.status == ApplicationStatus.NOT_SELECTED


def test_counts_follow_deletions_and_a_failed_filing_changes_nothing(db):
    selection_round = make_round()
    draft = make_application(selection_round, "draft")
    submitted = make_application(selection_round, "submitted")
    db.delete(draft)
    db.commit()
    assert_in_step(db)
    services.decide_admin_check(db, selection_round.panel[0].user, submitted, True, "Diputuskan tim seleksi.")
    db.delete(submitted)
    db.commit()
    assert_in_step(db)
    assert stored(db) == {}
    # a change rolled back takes its count back with it
    again = make_application(selection_round, "submitted")
    services.withdraw_application(db, again.applicant, again)
    assert_in_step(db)
    again.status = ApplicationStatus.SUBMITTED
    db.flush()
    db.rollback()
    assert_in_step(db)
    assert stored(db) == {(selection_round.id, "withdrawn"): 1}


def test_recount_rebuilds_the_counts_after_a_bulk_insert(db):
    selection_round = make_round()
    make_application(selection_round, "submitted")
    applicants = [make_applicant() for _ in range(3)]
    db.execute(
        insert(Application.__table__),
        [
            {"round_id": selection_round.id, "applicant_id": a.id, "status": status, "degree": "", "major": ""}
            for a, status in zip(applicants, ["submitted", "interview", "draft"], strict=True)
        ],
    )
    assert stored(db) != grouped(db)  # bulk inserts bypass the listener
    services.recount(db, [selection_round.id])
    assert_in_step(db)
    assert stored(db) == {(selection_round.id, "submitted"): 2, (selection_round.id, "interview"): 1}
    services.recount(db)
    assert_in_step(db)
