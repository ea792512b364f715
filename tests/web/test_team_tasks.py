"""The team's pages through the test client, as each role: task boards and "my tasks" (002 §13(1)a),
work programs and targets (002 §12(2)a), memberships and the organisation chart (002 §9, §15)."""

from __future__ import annotations

import datetime as dt
import re
from contextlib import contextmanager
from dataclasses import dataclass

import pytest
from flask import url_for
from sqlalchemy import event, func, select

from pontive.accounts.models import RoleGrant
from pontive.accounts.roles import Role
from pontive.core.models import AuditLog
from pontive.extensions import db as _db
from pontive.team import services
from pontive.team.models import (
    DisciplineLetter,
    LetterType,
    Membership,
    MembershipStatus,
    Task,
    TaskStatus,
    WorkProgram,
)
from tests import factories
from tests.team_factories import make_koordinator, make_member

HX = {"HX-Request": "true"}


def today() -> dt.date:
    return dt.date.today()


def signed_in(app, user):
    """A client of its own, signed in as ``user`` (several people act in one test)."""
    client = app.test_client()
    response = client.post("/masuk", data={"username": user.username, "password": factories.PASSWORD})
    assert response.status_code == 302, response.get_data(as_text=True)
    return client


def text(response) -> str:
    return response.get_data(as_text=True)


@dataclass
class Opd:
    """One OPD with its koordinator and two members placed there."""

    opd: object
    koordinator: object
    member: Membership
    colleague: Membership


def an_opd(username_prefix: str = "") -> Opd:
    opd = factories.make_opd()
    return Opd(
        opd=opd,
        koordinator=make_koordinator(opd, f"{username_prefix}koordinator" if username_prefix else None),
        member=make_member(opd, f"{username_prefix}anggota" if username_prefix else None, full_name="Agus Prasetyo"),
        colleague=make_member(opd, full_name="Budi Santoso"),
    )


def a_task(db, team: Opd, title: str = "Perbaiki SIMPEG", assignees=None, **data) -> Task:
    ids = [m.member_id for m in (assignees or [team.member])]
    return services.create_task(db, team.koordinator, team.opd.id, {"title": title, **data}, ids, today())


@contextmanager
def counting_queries():
    count = [0]

    def before(*_args, **_kwargs):
        count[0] += 1

    event.listen(_db.engine, "before_cursor_execute", before)
    try:
        yield count
    finally:
        event.remove(_db.engine, "before_cursor_execute", before)


# --- the board: assigning (002 §13(1)a) ----------------------------------------------------------------------


def test_koordinator_assigns_a_task_which_appears_on_the_board_and_is_audited(app, db):
    """002 §13(1)a: the koordinator assigns work to the programmers placed in the OPD."""
    team = an_opd()
    client = signed_in(app, team.koordinator)
    board_url = f"/tim/opd/{team.opd.id}/tugas"
    page = text(client.get(board_url))
    assert "Tugas baru" in page and "Agus Prasetyo" in page and "Budi Santoso" in page

    due = today() + dt.timedelta(days=7)
    response = client.post(
        board_url,
        data={
            "title": "Migrasi server aplikasi",
            "description": "Pindahkan ke server baru.",
            "due_date": due.isoformat(),
            "priority": "high",
            "assignee_ids": [str(team.member.member_id), str(team.colleague.member_id)],
        },
    )
    assert response.status_code == 302 and response.headers["Location"].endswith(board_url)
    task = db.scalar(select(Task).where(Task.title == "Migrasi server aplikasi"))
    assert task.status == TaskStatus.ASSIGNED and task.opd_id == team.opd.id
    assert {u.id for u in task.assignees} == {team.member.member_id, team.colleague.member_id}
    assert db.scalar(select(AuditLog).where(AuditLog.action == "task_create", AuditLog.entity_id == str(task.id)))

    board = text(client.get(board_url))
    column = board.split('id="kolom-assigned"')[1].split('id="kolom-in_progress"')[0]
    assert "Migrasi server aplikasi" in column and "Tinggi" in column


def test_a_forged_post_assigning_a_member_of_another_opd_is_refused_and_creates_nothing(app, db):
    """002 §13(1)a: tasks go to members placed in the koordinator's OPD — never to anyone else,
    even when the form is forged to name someone the checkboxes did not offer."""
    ours, theirs = an_opd(), an_opd()
    client = signed_in(app, ours.koordinator)
    response = client.post(
        f"/tim/opd/{ours.opd.id}/tugas",
        data={"title": "Tugas titipan", "priority": "normal", "assignee_ids": [str(theirs.member.member_id)]},
    )
    assert response.status_code == 422
    assert "Tugas hanya dapat diberikan kepada anggota yang ditempatkan di OPD ini" in text(response)
    assert db.scalar(select(func.count(Task.id))) == 0


def test_the_new_task_form_shows_what_is_missing(app, db):
    team = an_opd()
    client = signed_in(app, team.koordinator)
    response = client.post(f"/tim/opd/{team.opd.id}/tugas", data={"title": "Tanpa anggota", "priority": "normal"})
    assert response.status_code == 422 and "Pilih minimal satu anggota." in text(response)
    response = client.post(f"/tim/opd/{team.opd.id}/tugas", data={"title": "", "priority": "normal"})
    assert response.status_code == 422 and "Wajib diisi." in text(response)
    assert db.scalar(select(func.count(Task.id))) == 0


def test_a_koordinator_of_opd_a_gets_404_for_opd_b_board_tasks_and_task_detail(app, db):
    """002 §13(1)a: a koordinator works with their own OPD only; another OPD's tasks do not exist for them."""
    a, b = an_opd(), an_opd()
    task_b = a_task(db, b)
    client = signed_in(app, a.koordinator)
    assert client.get(f"/tim/opd/{b.opd.id}/tugas").status_code == 404
    forged = {"title": "Titipan", "assignee_ids": [str(b.member.member_id)]}
    assert client.post(f"/tim/opd/{b.opd.id}/tugas", data=forged).status_code == 404
    assert client.get(f"/tim/tugas/{task_b.id}").status_code == 404
    assert client.post(f"/tim/tugas/{task_b.id}/status", data={"status": "verified"}).status_code == 404
    assert client.post(f"/tim/tugas/{task_b.id}/komentar", data={"body": "Halo"}).status_code == 404
    assert db.scalar(select(func.count(Task.id))) == 1
    # A member of OPD A does not see OPD B's task either.
    assert signed_in(app, a.member.member).get(f"/tim/tugas/{task_b.id}").status_code == 404


# --- the board: moving (002 §13(1)a) ---------------------------------------------------------------------


def test_member_works_the_task_and_the_koordinator_verifies_it(app, db):
    """002 §13(1)a: assigned → in progress → done by the member, verified by the koordinator."""
    team = an_opd()
    task = a_task(db, team)
    member = signed_in(app, team.member.member)
    koordinator = signed_in(app, team.koordinator)
    move = f"/tim/tugas/{task.id}/status"

    page = text(member.get("/tim/tugas-saya"))
    assert "Mulai kerjakan" in page
    assert member.post(move, data={"status": "in_progress", "next": "/tim/tugas-saya"}).status_code == 302
    assert member.post(move, data={"status": "done"}).status_code == 302
    assert "Verifikasi" not in text(member.get(f"/tim/tugas/{task.id}"))
    refused = member.post(move, data={"status": "verified"}, follow_redirects=True)
    assert "Hanya koordinator OPD yang dapat memverifikasi" in text(refused)
    assert "Verifikasi" in text(koordinator.get(f"/tim/opd/{team.opd.id}/tugas"))
    assert koordinator.post(move, data={"status": "verified"}).status_code == 302

    db.refresh(task)
    assert task.status == TaskStatus.VERIFIED and task.verified_by_id == team.koordinator.id
    history = text(koordinator.get(f"/tim/tugas/{task.id}"))
    assert "Ditugaskan → Dikerjakan" in history and "Dikerjakan → Selesai" in history
    assert "Selesai → Terverifikasi" in history
    assert team.koordinator.full_name in history and team.member.member.full_name in history


def test_a_koordinator_returning_a_task_must_write_why(app, db):
    team = an_opd()
    task = a_task(db, team)
    services.move_task(db, team.member.member, task, TaskStatus.IN_PROGRESS)
    services.move_task(db, team.member.member, task, TaskStatus.DONE)
    client = signed_in(app, team.koordinator)
    response = client.post(f"/tim/tugas/{task.id}/status", data={"status": "in_progress"}, follow_redirects=True)
    assert "Tuliskan catatan mengapa tugas dikembalikan." in text(response)
    client.post(f"/tim/tugas/{task.id}/status", data={"status": "in_progress", "note": "Tambahkan log."})
    db.refresh(task)
    assert task.status == TaskStatus.IN_PROGRESS
    assert "Tambahkan log." in text(client.get(f"/tim/tugas/{task.id}"))


def test_a_koordinator_who_is_also_an_assignee_cannot_verify_their_own_task(app, db):
    """002 §13(1)a with the rule of issue 4: nobody verifies their own work."""
    team = an_opd()
    both = make_member(team.opd, "rangkap")
    both.member.grants.append(RoleGrant(role=Role.KOORDINATOR, opd_id=team.opd.id))
    db.commit()
    task = services.create_task(db, both.member, team.opd.id, {"title": "Kerjakan sendiri"}, [both.member_id], today())
    services.move_task(db, both.member, task, TaskStatus.IN_PROGRESS)
    services.move_task(db, both.member, task, TaskStatus.DONE)
    client = signed_in(app, both.member)
    response = client.post(
        f"/tim/tugas/{task.id}/status", data={"status": "verified"}, headers={**HX, "HX-Target": "board"}
    )
    assert response.status_code == 422
    assert "Anda tidak dapat memverifikasi tugas Anda sendiri." in text(response)
    db.refresh(task)
    assert task.status == TaskStatus.DONE


def test_an_htmx_status_change_swaps_a_fragment_and_a_plain_post_goes_back(app, db):
    team = an_opd()
    task = a_task(db, team)
    other = a_task(db, team, "Tugas lain")
    client = signed_in(app, team.member.member)
    move = f"/tim/tugas/{task.id}/status"

    board = client.post(move, data={"status": "in_progress"}, headers={**HX, "HX-Target": "board"})
    assert board.status_code == 200 and "<html" not in text(board)
    assert 'id="board"' in text(board) and "sekarang Dikerjakan" in text(board)
    assert board.headers.get("Vary") and "HX-Request" in board.headers["Vary"]

    card = client.post(move, data={"status": "done"}, headers={**HX, "HX-Target": f"task-{task.id}"})
    assert card.status_code == 200 and "<html" not in text(card)
    assert text(card).lstrip().startswith("<article") and f'id="task-{task.id}"' in text(card)
    assert "Selesai" in text(card)

    refused = client.post(
        f"/tim/tugas/{other.id}/status", data={"status": "verified"}, headers={**HX, "HX-Target": f"task-{other.id}"}
    )
    assert refused.status_code == 422 and "<html" not in text(refused)
    assert 'role="alert"' in text(refused) and "tidak dapat dipindahkan" in text(refused)

    plain = client.post(f"/tim/tugas/{other.id}/status", data={"status": "in_progress", "next": "/tim/tugas-saya"})
    assert plain.status_code == 302 and plain.headers["Location"] == "/tim/tugas-saya"
    elsewhere = client.post(f"/tim/tugas/{other.id}/status", data={"status": "done", "next": "https://contoh.example/"})
    assert elsewhere.status_code == 302 and elsewhere.headers["Location"] == f"/tim/tugas/{other.id}"


def test_board_filters_answer_with_the_board_fragment(app, db):
    team = an_opd()
    a_task(db, team, "Perbaiki SIMPEG", priority="high")
    a_task(db, team, "Backup basis data", assignees=[team.colleague])
    client = signed_in(app, team.koordinator)
    url = f"/tim/opd/{team.opd.id}/tugas"

    searched = client.get(url, query_string={"q": "simpeg"}, headers={**HX, "HX-Target": "board"})
    assert searched.status_code == 200 and "<html" not in text(searched)
    assert text(searched).lstrip().startswith('<div id="board">')
    assert "Perbaiki SIMPEG" in text(searched) and "Backup basis data" not in text(searched)

    by_member = text(client.get(url, query_string={"anggota": team.colleague.member_id}, headers=HX))
    assert "Backup basis data" in by_member and "Perbaiki SIMPEG" not in by_member
    by_priority = text(client.get(url, query_string={"prioritas": "high"}, headers=HX))
    assert "Perbaiki SIMPEG" in by_priority and "Backup basis data" not in by_priority
    none_late = text(client.get(url, query_string={"terlambat": "1"}, headers=HX))
    assert "Perbaiki SIMPEG" not in none_late and "Backup basis data" not in none_late

    whole = client.get(url, query_string={"q": "simpeg"})
    assert "<html" in text(whole) and 'id="board-filters"' in text(whole)
    assert 'value="simpeg"' in text(whole)


def test_a_past_due_open_task_is_flagged_overdue(app, db):
    team = an_opd()
    late = a_task(db, team, "Laporan terlambat")
    a_task(db, team, "Masih ada waktu", due_date=today() + dt.timedelta(days=3))
    late.due_date = today() - dt.timedelta(days=2)
    db.commit()
    board = text(signed_in(app, team.koordinator).get(f"/tim/opd/{team.opd.id}/tugas"))
    late_card = board.split(f'id="task-{late.id}"')[1].split("</article>")[0]
    assert "Terlambat" in late_card
    assert board.count("badge-overdue") == 1
    mine = text(signed_in(app, team.member.member).get("/tim/tugas-saya", query_string={"status": "terlambat"}))
    assert "Laporan terlambat" in mine and "Masih ada waktu" not in mine


def test_my_tasks_lists_only_my_own_tasks(app, db):
    """002 §14: a member sees the tasks given to them."""
    team = an_opd()
    a_task(db, team, "Tugas saya sendiri")
    a_task(db, team, "Tugas rekan", assignees=[team.colleague])
    client = signed_in(app, team.member.member)
    page = text(client.get("/tim/tugas-saya"))
    assert "Tugas saya sendiri" in page and "Tugas rekan" not in page
    fragment = client.get("/tim/tugas-saya", query_string={"status": "done"}, headers=HX)
    assert "<html" not in text(fragment) and "Tugas saya sendiri" not in text(fragment)
    searched = text(client.get("/tim/tugas-saya", query_string={"q": "SENDIRI"}, headers=HX))
    assert "Tugas saya sendiri" in searched and "1 tugas" in searched
    assert "Tugas saya sendiri" not in text(client.get("/tim/tugas-saya", query_string={"q": "rekan"}, headers=HX))


def test_my_tasks_count_every_task_of_mine_and_only_the_filtered_ones(app, db):
    """The count under "Tugas saya" comes from the member's assignments alone without a filter; with one,
    from the matching tasks. Both right past the first page of 20."""
    team = an_opd()
    for i in range(23):
        task = a_task(db, team, f"Tugas {i:02d}", assignees=[team.member, team.colleague] if i % 2 else None)
        if i < 21:
            services.move_task(db, team.member.member, task, TaskStatus.IN_PROGRESS)
    a_task(db, team, "Tugas rekan", assignees=[team.colleague])
    client = signed_in(app, team.member.member)
    page = text(client.get("/tim/tugas-saya"))
    assert "23 tugas" in page and "Tugas rekan" not in page and "page=2" in page
    assert "21 tugas" in text(client.get("/tim/tugas-saya", query_string={"status": "in_progress"}, headers=HX))
    assert "2 tugas" in text(client.get("/tim/tugas-saya", query_string={"status": "assigned"}, headers=HX))
    second = text(client.get("/tim/tugas-saya", query_string={"page": 2}, headers=HX))
    assert second.count('href="/tim/tugas/') >= 3 and "23 tugas" in second


def test_task_detail_shows_comments_and_history(app, db):
    team = an_opd()
    task = a_task(db, team)
    member = signed_in(app, team.member.member)
    response = member.post(f"/tim/tugas/{task.id}/komentar", data={"body": "Sudah mulai saya cek."})
    assert response.status_code == 302
    assert member.post(f"/tim/tugas/{task.id}/komentar", data={"body": "  "}).status_code == 422
    page = text(signed_in(app, team.koordinator).get(f"/tim/tugas/{task.id}"))
    assert "Sudah mulai saya cek." in page and "Komentar" in page and "Ditugaskan" in page
    # The ketua reads the task but cannot comment on it.
    ketua = factories.make_user("ketua", roles=["ketua"])
    ketua_page = text(signed_in(app, ketua).get(f"/tim/tugas/{task.id}"))
    assert "Sudah mulai saya cek." in ketua_page and "Kirim komentar" not in ketua_page


def test_the_boards_entry_takes_a_koordinator_to_their_board_and_lists_opds_for_the_ketua(app, db):
    team = an_opd()
    a_task(db, team)
    response = signed_in(app, team.koordinator).get("/tim/papan")
    assert response.status_code == 302 and response.headers["Location"].endswith(f"/tim/opd/{team.opd.id}/tugas")
    ketua = factories.make_user("ketua", roles=["ketua"])
    client = signed_in(app, ketua)
    listing = text(client.get("/tim/papan"))
    assert team.opd.name in listing
    board = text(client.get(f"/tim/opd/{team.opd.id}/tugas"))
    assert "Perbaiki SIMPEG" in board and "Tugas baru" not in board and "Mulai kerjakan" not in board


# --- programs and targets (002 §12(2)a) ----------------------------------------------------------------------


def program_form(opd_id: int, **overrides) -> dict:
    data = {
        "opd_id": str(opd_id),
        "year": "2026",
        "title": "Pengembangan aplikasi layanan",
        "description": "Program tahunan.",
        "targets-0-description": "Aplikasi layanan perizinan",
        "targets-0-value": "2",
        "targets-0-unit": "aplikasi",
        "targets-1-description": "Pelatihan operator",
        "targets-1-value": "1,5",
        "targets-1-unit": "kegiatan",
    }
    data.update(overrides)
    return data


def test_sekretaris_sets_an_opd_program_with_measurable_targets(app, db):
    """002 §12(2)a: the sekretaris sets each OPD's work targets and programs."""
    opd = factories.make_opd()
    client = signed_in(app, factories.make_user("sekretaris", roles=["sekretaris"]))
    assert client.get("/tim/program/baru").status_code == 200
    response = client.post("/tim/program/baru", data=program_form(opd.id))
    assert response.status_code == 302
    program = db.scalar(select(WorkProgram))
    assert (program.opd_id, program.year) == (opd.id, 2026)
    assert [(t.description, str(t.value), t.unit) for t in program.targets] == [
        ("Aplikasi layanan perizinan", "2.00", "aplikasi"),
        ("Pelatihan operator", "1.50", "kegiatan"),
    ]
    listing = text(client.get("/tim/program", query_string={"tahun": 2026, "opd": opd.id}))
    assert "Pengembangan aplikasi layanan" in listing and "1,50" in listing and "aplikasi" in listing

    edit = client.get(f"/tim/program/{program.id}/ubah")
    assert edit.status_code == 200 and 'value="1.5"' in text(edit)
    changed = program_form(opd.id, title="Pengembangan aplikasi", **{"targets-1-description": ""})
    assert client.post(f"/tim/program/{program.id}/ubah", data=changed).status_code == 302
    db.refresh(program)
    assert program.title == "Pengembangan aplikasi" and len(program.targets) == 1


def test_a_target_without_a_unit_is_refused_with_the_message(app, db):
    """002 §12(2)a: a target is measurable — a value and its unit."""
    opd = factories.make_opd()
    client = signed_in(app, factories.make_user("sekretaris", roles=["sekretaris"]))
    response = client.post("/tim/program/baru", data=program_form(opd.id, **{"targets-1-unit": ""}))
    assert response.status_code == 422
    assert "Target 2: satuan wajib diisi" in text(response)
    assert db.scalar(select(func.count(WorkProgram.id))) == 0


def test_a_koordinator_reads_their_opd_programs_but_cannot_edit(app, db):
    ours, theirs = factories.make_opd(), factories.make_opd()
    sekretaris = factories.make_user("sekretaris", roles=["sekretaris"])
    year = today().year
    target = [{"description": "Dokumen arsitektur", "value": "1", "unit": "dokumen"}]
    mine = services.save_program(db, sekretaris, {"opd_id": ours.id, "year": year, "title": "Program kami"}, target)
    services.save_program(db, sekretaris, {"opd_id": theirs.id, "year": year, "title": "Program mereka"}, target)
    client = signed_in(app, make_koordinator(ours))
    page = text(client.get("/tim/program"))
    assert "Program kami" in page and "Program mereka" not in page
    assert "Program baru" not in page and "/ubah" not in page
    assert client.get("/tim/program", query_string={"opd": theirs.id}).status_code == 200
    assert "Program mereka" not in text(client.get("/tim/program", query_string={"opd": theirs.id}))
    assert client.get("/tim/program/baru").status_code == 403
    assert client.get(f"/tim/program/{mine.id}/ubah").status_code == 403
    assert client.post(f"/tim/program/{mine.id}/ubah", data=program_form(ours.id)).status_code == 403


# --- memberships (002 §15) and the organisation chart (002 §9) ------------------------------------------------


def test_ketua_changes_a_membership_status_with_a_reason_shown_in_the_history(app, db):
    """002 §15: every change of a membership's status is recorded with its reason."""
    team = an_opd()
    client = signed_in(app, factories.make_user("ketua", roles=["ketua"]))
    url = f"/tim/anggota/{team.member.id}"
    response = client.post(f"{url}/status", data={"status": "warned", "reason": "Tidak hadir rapat tiga kali."})
    assert response.status_code == 302 and response.headers["Location"].endswith(url)
    page = text(client.get(url))
    assert "Aktif → Mendapat peringatan" in page and "Tidak hadir rapat tiga kali." in page
    db.refresh(team.member)
    assert team.member.status == MembershipStatus.WARNED


def test_a_membership_status_change_without_a_reason_is_refused(app, db):
    team = an_opd()
    client = signed_in(app, factories.make_user("ketua", roles=["ketua"]))
    response = client.post(f"/tim/anggota/{team.member.id}/status", data={"status": "dismissed", "reason": " "})
    assert response.status_code == 422
    assert "Tuliskan alasan perubahan status keanggotaan." in text(response)
    db.refresh(team.member)
    assert team.member.status == MembershipStatus.ACTIVE and not team.member.events


def test_an_extension_by_a_new_decree_starts_a_new_one_year_term(app, db):
    """002 §15(1): one year from the decree, extendable by a new decree after evaluation."""
    team = an_opd()
    old = team.member
    client = signed_in(app, factories.make_user("admin", roles=["admin"]))
    response = client.post(
        f"/tim/anggota/{old.id}/perpanjang", data={"decree_number": "188/Kep.9/2027", "decree_date": "2026-12-20"}
    )
    renewed = db.scalar(select(Membership).where(Membership.previous_id == old.id))
    assert response.status_code == 302 and response.headers["Location"].endswith(f"/tim/anggota/{renewed.id}")
    assert (renewed.start_date, renewed.end_date) == (dt.date(2027, 1, 2), dt.date(2028, 1, 1))
    page = text(client.get(f"/tim/anggota/{renewed.id}"))
    assert "188/Kep.9/2027" in page and "2 Januari 2027" in page and "1 Januari 2028" in page
    assert "Diperpanjang" in text(client.get(f"/tim/anggota/{old.id}"))
    refused = client.post(f"/tim/anggota/{renewed.id}/perpanjang", data={"decree_number": "", "decree_date": ""})
    assert refused.status_code == 422 and "Nomor keputusan wajib diisi." in text(refused)


def test_the_membership_list_filters_and_a_koordinator_sees_only_their_opd(app, db):
    a, b = an_opd(), an_opd()
    services.set_membership_status(db, factories.make_user(roles=["ketua"]), b.colleague, MembershipStatus.WARNED, "x")
    sekretaris = signed_in(app, factories.make_user("sekretaris", roles=["sekretaris"]))
    everyone = text(sekretaris.get("/tim/anggota"))
    assert everyone.count("Agus Prasetyo") == 2 and a.member.decree_number in everyone
    warned = sekretaris.get("/tim/anggota", query_string={"status": "warned"}, headers=HX)
    assert "<html" not in text(warned) and text(warned).count("Budi Santoso") == 1
    assert "Agus" not in text(warned)
    by_opd = text(sekretaris.get("/tim/anggota", query_string={"opd": b.opd.id, "q": "budi"}, headers=HX))
    assert by_opd.count("Budi Santoso") == 1 and "Agus" not in by_opd

    koordinator = signed_in(app, a.koordinator)
    listing = text(koordinator.get("/tim/anggota"))
    assert a.member.decree_number in listing and b.member.decree_number not in listing
    assert koordinator.get(f"/tim/anggota/{a.member.id}").status_code == 200
    assert koordinator.get(f"/tim/anggota/{b.member.id}").status_code == 404
    assert "Ubah status" not in text(koordinator.get(f"/tim/anggota/{a.member.id}"))


def test_the_membership_list_pages_through_every_term_in_member_name_order(app, db):
    """The list reads the members in name order (case-insensitive) and pages their terms: every term once,
    a member's terms together, the search and a filter applied on every page."""
    ours, theirs = an_opd(), an_opd()
    names = [f"{'Zaki' if i % 3 else 'agus'} {chr(ord('A') + (i * 7) % 26)}{i:02d}" for i in range(30)]
    terms = [make_member(ours.opd if i % 2 else theirs.opd, full_name=name) for i, name in enumerate(names)]
    for i in range(0, 30, 4):  # a second term for some: an older one ended
        old = make_member(ours.opd, start=dt.date(2025, 1, 2), full_name="x")
        old.member_id, old.status = terms[i].member_id, MembershipStatus.ENDED
        terms.append(old)
    db.commit()
    every = [ours.member, ours.colleague, theirs.member, theirs.colleague, *terms]
    users = {m.member_id: m.member for m in every}
    expected = sorted(every, key=lambda m: (users[m.member_id].full_name.lower(), m.member_id, m.id))

    def listed(client, **query) -> list[str]:
        rows, page = [], 1
        while True:
            html = text(client.get("/tim/anggota", query_string={**query, "page": page}, headers=HX))
            found = re.findall(r'href="/tim/anggota/(\d+)"', html)
            rows += [n for n in dict.fromkeys(found)]
            if f"page={page + 1}" not in html:
                return rows
            page += 1

    sekretaris = signed_in(app, factories.make_user("sekretaris", roles=["sekretaris"]))
    assert listed(sekretaris) == [str(m.id) for m in expected]
    assert "42 keanggotaan" in text(sekretaris.get("/tim/anggota"))  # 4 + 30 members, 8 with an ended term
    serving = [m for m in expected if m.status != MembershipStatus.ENDED]
    assert listed(sekretaris, status="active") == [str(m.id) for m in serving]
    agus = [m for m in expected if "agus" in users[m.member_id].full_name.lower()]
    assert listed(sekretaris, q="AGUS") == [str(m.id) for m in agus]
    koordinator = signed_in(app, ours.koordinator)
    assert listed(koordinator) == [str(m.id) for m in expected if m.placement_opd_id == ours.opd.id]


def test_the_discipline_letters_on_a_membership_are_listed(app, db):
    """002 §15(3)–(5): warnings and dismissal proposals are recorded on the membership."""
    team = an_opd()
    letter = DisciplineLetter(
        membership_id=team.member.id,
        kind=LetterType.WARNING,
        breach_key="absence:1",
        breach="Tidak hadir rapat 3 kali berturut-turut tanpa alasan tertulis",
        number="800/12/Diskominfo",
        letter_date=dt.date(2026, 11, 20),
        issued_by_id=team.koordinator.id,
    )
    db.add(letter)
    db.commit()
    page = text(signed_in(app, team.koordinator).get(f"/tim/anggota/{team.member.id}"))
    section = page.split('id="surat"')[1]
    assert "Surat peringatan" in section and "800/12/Diskominfo" in section and "20 November 2026" in section
    if "discipline.letter_pdf" in app.view_functions:  # the discipline pages serve the PDF
        with app.test_request_context():
            href = url_for("discipline.letter_pdf", letter_id=letter.id)
        assert f'href="{href}"' in section


def test_a_member_sees_their_own_membership_only(app, db):
    team = an_opd()
    client = signed_in(app, team.member.member)
    page = text(client.get(f"/tim/anggota/{team.member.id}"))
    assert team.member.decree_number in page and "Ubah status" not in page
    assert client.get(f"/tim/anggota/{team.colleague.id}").status_code == 404
    assert client.get("/tim/anggota").status_code == 403


def test_the_organisation_chart_shows_leaders_koordinators_and_members(app, db):
    """002 §9: pembina, ketua, sekretaris, a koordinator per OPD, and the members."""
    team = an_opd()
    factories.make_user("pembina", roles=["pembina"], full_name="Drs. Andi Kurniawan")
    factories.make_user("ketua", roles=["ketua"], full_name="Ir. Siti Rahmawati")
    page = text(signed_in(app, team.member.member).get("/tim/struktur"))
    assert "Drs. Andi Kurniawan" in page and "Ir. Siti Rahmawati" in page
    section = page.split(f'id="org-opd-{team.opd.id}"')[1]
    assert team.koordinator.full_name in section and "Agus Prasetyo" in section and "Budi Santoso" in section


# --- access: every endpoint, three kinds of visitor ---------------------------------------------------------


@pytest.fixture()
def world(db):
    team = an_opd()
    task = a_task(db, team)
    program = services.save_program(
        db,
        factories.make_user("sekretaris", roles=["sekretaris"]),
        {"opd_id": team.opd.id, "year": today().year, "title": "Program"},
        [{"description": "Aplikasi", "value": "1", "unit": "aplikasi"}],
    )
    users = {
        "koordinator": team.koordinator,
        "anggota": team.member.member,
        "sekretaris": factories.make_user("sekretaris2", roles=["sekretaris"]),
        "ketua": factories.make_user("ketua", roles=["ketua"]),
        "pembina": factories.make_user("pembina", roles=["pembina"]),
        "admin": factories.make_user("admin", roles=["admin"]),
    }
    return team, task, program, users


def endpoints(team, task, program) -> list[tuple[str, str, list[str], dict]]:
    """(method, url, the roles that may use it, a form to post)."""
    o, t, m, p = team.opd.id, task.id, team.member.id, program.id
    readers = ["ketua", "sekretaris", "pembina", "admin"]
    return [
        ("GET", "/tim/papan", ["ketua", "sekretaris", "koordinator"], {}),  # a koordinator is sent on to their board
        ("GET", f"/tim/opd/{o}/tugas", ["koordinator", "ketua", "sekretaris"], {}),
        ("POST", f"/tim/opd/{o}/tugas", ["koordinator"], {"title": ""}),
        ("GET", f"/tim/opd/{o}/tugas/kolom/assigned", ["koordinator", "ketua", "sekretaris"], {}),
        ("GET", f"/tim/opd/{o}/anggota-cari", ["koordinator", "ketua", "sekretaris"], {}),  # → the board
        ("GET", f"/tim/tugas/{t}", ["koordinator", "anggota", "ketua", "sekretaris", "pembina"], {}),
        ("POST", f"/tim/tugas/{t}/status", ["koordinator", "anggota"], {"status": "assigned"}),
        ("POST", f"/tim/tugas/{t}/komentar", ["koordinator", "anggota"], {"body": ""}),
        ("GET", "/tim/tugas-saya", ["anggota"], {}),
        ("GET", "/tim/program", ["sekretaris", "admin", "ketua", "pembina", "koordinator"], {}),
        ("GET", "/tim/program/baru", ["sekretaris", "admin"], {}),
        ("GET", f"/tim/program/{p}/ubah", ["sekretaris", "admin"], {}),
        ("GET", "/tim/anggota", [*readers, "koordinator"], {}),
        ("GET", f"/tim/anggota/{m}", [*readers, "koordinator", "anggota"], {}),
        ("POST", f"/tim/anggota/{m}/status", ["ketua", "admin"], {"status": "warned", "reason": ""}),
        ("POST", f"/tim/anggota/{m}/perpanjang", ["ketua", "admin"], {"decree_number": ""}),
        ("GET", "/tim/struktur", [*readers, "koordinator", "anggota"], {}),
    ]


def test_every_team_endpoint_refuses_strangers_and_serves_its_roles(app, world):
    team, task, program, users = world
    anonymous = app.test_client()
    strangers = [signed_in(app, factories.make_user(role, roles=[role])) for role in ("pelamar", "kontrak")]
    clients = {role: signed_in(app, user) for role, user in users.items()}
    problems = []
    for method, url, roles, form in endpoints(team, task, program):
        response = anonymous.open(url, method=method, data=form)
        if not (response.status_code == 302 and "/masuk" in response.headers["Location"]):
            problems.append(f"anonymous {method} {url}: {response.status_code}")
        for client in strangers:
            if (status := client.open(url, method=method, data=form).status_code) != 403:
                problems.append(f"stranger {method} {url}: {status}")
        for role, client in clients.items():
            status = client.open(url, method=method, data=form).status_code
            if role not in roles:
                if status != 403:
                    problems.append(f"{role} {method} {url}: {status}, expected 403")
            elif method == "GET" and status != (
                302 if (url == "/tim/papan" and role == "koordinator") or url.endswith("/anggota-cari") else 200
            ):
                problems.append(f"{role} {method} {url}: {status}, expected 200")
            elif method == "POST" and status not in (302, 422):
                problems.append(f"{role} {method} {url}: {status}, expected a redirect or 422")
    assert not problems, "\n".join(problems)


def test_nav_shows_the_team_pages_a_role_may_open(app, db):
    team = an_opd()
    member_menu = text(signed_in(app, team.member.member).get("/tim/struktur"))
    assert "Tugas saya" in member_menu and "Struktur tim" in member_menu and "Program kerja" not in member_menu
    koordinator_menu = text(signed_in(app, team.koordinator).get("/tim/struktur"))
    assert "Papan tugas OPD" in koordinator_menu and "Anggota tim" in koordinator_menu
    assert "Tugas saya" not in koordinator_menu


# --- constant query counts ------------------------------------------------------------------------------------


def queries_for(client, url: str) -> int:
    with counting_queries() as count:
        assert client.get(url).status_code == 200
    return count[0]


def test_pages_take_the_same_number_of_queries_however_many_rows(app, db):
    team = an_opd()
    sekretaris = factories.make_user("sekretaris", roles=["sekretaris"])
    target = [{"description": "Aplikasi", "value": "1", "unit": "aplikasi"}]

    def grow(n: int) -> None:
        for i in range(n):
            extra = make_member(team.opd)
            task = a_task(db, team, f"Tugas {i}", assignees=[team.member, extra])
            if i % 2:
                services.move_task(db, team.member.member, task, TaskStatus.IN_PROGRESS)
            services.save_program(
                db, sekretaris, {"opd_id": team.opd.id, "year": today().year, "title": f"Program {i}"}, target
            )

    grow(2)
    pages = {
        "board": (signed_in(app, team.koordinator), f"/tim/opd/{team.opd.id}/tugas"),
        "my tasks": (signed_in(app, team.member.member), "/tim/tugas-saya"),
        "programs": (signed_in(app, sekretaris), "/tim/program"),
        "memberships": (signed_in(app, sekretaris), "/tim/anggota"),
        "structure": (signed_in(app, sekretaris), "/tim/struktur"),
        "boards": (signed_in(app, factories.make_user("ketua", roles=["ketua"])), "/tim/papan"),
    }
    before = {name: queries_for(client, url) for name, (client, url) in pages.items()}
    grow(6)
    after = {name: queries_for(client, url) for name, (client, url) in pages.items()}
    assert after == before


def test_the_task_form_only_offers_members_placed_in_the_opd(app, db):
    ours, theirs = an_opd(), an_opd()
    page = text(signed_in(app, ours.koordinator).get(f"/tim/opd/{ours.opd.id}/tugas"))
    offered = set(re.findall(r'name="assignee_ids"[^>]*value="(\d+)"', page))
    offered |= set(re.findall(r'value="(\d+)"[^>]*name="assignee_ids"', page))
    assert offered == {str(ours.member.member_id), str(ours.colleague.member_id)}
    assert str(theirs.member.member_id) not in offered
