"""Discipline as each role meets it (002 §15(3)–(5)): the flags a koordinator and the ketua see, the
warning and the dismissal proposal they issue as PDF letters, the member's written reason for an
inactive month, the pembina's inbox — and the team's dashboard cards and demo data."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from pypdf import PdfReader
from sqlalchemy import event, select

from pontive.extensions import db as _db
from pontive.team import cards, services
from pontive.team.models import (
    DisciplineLetter,
    InactivityReason,
    LetterType,
    MeetingScope,
    Membership,
    MembershipStatus,
    Task,
    TaskEvent,
    TaskStatus,
)
from tests import factories
from tests.team_factories import make_koordinator, make_member

TODAY = dt.date.today()
LETTER_DAY = dt.date(2026, 11, 23)


def sign_in(app, user):
    client = app.test_client()
    response = client.post("/masuk", data={"username": user.username, "password": factories.PASSWORD})
    assert response.status_code == 302
    return client


def pdf_text(pdf: bytes) -> str:
    return " ".join(" ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages).split())


def month_start(months_back: int) -> dt.date:
    """The first day of the month ``months_back`` months before this one."""
    year, month = divmod(TODAY.year * 12 + TODAY.month - 1 - months_back, 12)
    return dt.date(year, month + 1, 1)


def absent_three_times(db, koordinator, opd, membership) -> None:
    for days_ago in (21, 14, 7):
        meeting = services.create_meeting(
            db,
            koordinator,
            {
                "date": dt.datetime.combine(TODAY - dt.timedelta(days=days_ago), dt.time(9)),
                "scope": MeetingScope.OPD,
                "opd_id": opd.id,
                "agenda": "Rapat mingguan",
            },
        )
        services.record_attendance(db, koordinator, meeting, {membership.member_id: {"status": "absent"}})


def absent_member(db, opd, koordinator, name="Bayu Firmansyah") -> Membership:
    """A member whose term began last month, absent from the last 3 meetings."""
    membership = make_member(opd, start=month_start(1), full_name=name)
    absent_three_times(db, koordinator, opd, membership)
    return membership


def inactive_member(db, opd, koordinator, name="Citra Lestari") -> tuple[Membership, str]:
    """Active in the first month of the term, then two full months without activity."""
    membership = make_member(opd, start=month_start(3), full_name=name)
    task = services.create_task(db, koordinator, opd.id, {"title": "Audit server"}, [membership.member_id], TODAY)
    services.move_task(db, membership.member, task, TaskStatus.IN_PROGRESS)
    first_month = dt.datetime.combine(month_start(3) + dt.timedelta(days=9), dt.time(10))
    db.execute(TaskEvent.__table__.update().values(at=first_month))
    db.commit()
    return membership, f"inactive:{month_start(2):%Y-%m}"


def warn(client, membership, key, number="800/017/Peringatan/2026"):
    return client.post(
        f"/disiplin/{membership.id}/peringatan",
        data={"breach_key": key, "number": number, "letter_date": LETTER_DAY.isoformat()},
    )


def warning_key(db, membership) -> str:
    return next(f.key for f in services.flags_for(db, [membership], TODAY)[membership.id] if f.kind == "warning_due")


# --- the warning (002 §15(3)) --------------------------------------------------------------------------------


def test_three_absences_show_a_warning_flag_to_the_koordinator(client, login_as, opd, db):
    """002 §15(3): absent from 3 meetings in a row without a written excuse → a warning is due."""
    koordinator = login_as("koordinator", opd=opd)
    absent_member(db, opd, koordinator)
    page = client.get("/disiplin").get_data(as_text=True)
    assert "Bayu Firmansyah" in page
    assert "Peringatan koordinator (Pasal 15 ayat 3)" in page
    assert "Terbitkan surat peringatan" in page
    dashboard = client.get("/dasbor").get_data(as_text=True)
    assert "Peringatan disiplin" in dashboard and 'id="flags-warning">1<' in dashboard


def test_two_absences_or_an_excused_one_between_show_no_flag(client, login_as, opd, db):
    """002 §15(3) counts absences "secara berturut-turut" and "tanpa alasan tertulis"."""
    koordinator = login_as("koordinator", opd=opd)
    membership = make_member(opd, start=month_start(1), full_name="Dimas Pratama")
    for days_ago, status in ((21, "absent"), (14, "present"), (7, "absent")):
        meeting = services.create_meeting(
            db,
            koordinator,
            {
                "date": dt.datetime.combine(TODAY - dt.timedelta(days=days_ago), dt.time(9)),
                "scope": MeetingScope.OPD,
                "opd_id": opd.id,
                "agenda": "Rapat",
            },
        )
        services.record_attendance(db, koordinator, meeting, {membership.member_id: {"status": status}})
    page = client.get("/disiplin").get_data(as_text=True)
    assert "Dimas Pratama" not in page and "Tidak ada catatan disiplin" in page


def test_issuing_the_warning_marks_the_member_warned_and_the_letter_opens(app, client, login_as, opd, db):
    """002 §15(3): the koordinator's warning, a PDF letter recorded on the membership."""
    koordinator = login_as("koordinator", opd=opd, full_name="Dewi Lestari, S.T.")
    membership = absent_member(db, opd, koordinator)
    response = warn(client, membership, warning_key(db, membership))
    assert response.status_code == 302
    db.refresh(membership)
    assert membership.status == MembershipStatus.WARNED
    letter = db.scalar(select(DisciplineLetter))
    assert (letter.kind, letter.number, letter.issued_by_id) == (
        LetterType.WARNING,
        "800/017/Peringatan/2026",
        koordinator.id,
    )

    page = client.get("/disiplin").get_data(as_text=True)
    assert f"/disiplin/surat/{letter.id}.pdf" in page and "Terbitkan surat peringatan" not in page
    pdf = client.get(f"/disiplin/surat/{letter.id}.pdf")
    assert pdf.status_code == 200 and pdf.mimetype == "application/pdf"
    text = pdf_text(pdf.data)
    assert "Bayu Firmansyah" in text
    assert "23 November 2026" in text
    assert "Pasal 15 ayat (3)" in text
    assert "Dewi Lestari, S.T." in text
    assert text.count("Rapat mingguan") == 3  # the three meetings missed
    assert sign_in(app, membership.member).get(f"/disiplin/surat/{letter.id}.pdf").status_code == 200
    other_member = make_member(opd)
    assert sign_in(app, other_member.member).get(f"/disiplin/surat/{letter.id}.pdf").status_code == 404


def test_a_second_warning_for_the_same_breach_is_refused(client, login_as, opd, db):
    koordinator = login_as("koordinator", opd=opd)
    membership = absent_member(db, opd, koordinator)
    key = warning_key(db, membership)
    assert warn(client, membership, key).status_code == 302
    again = warn(client, membership, key, number="800/018/Peringatan/2026")
    assert again.status_code == 422
    assert "sudah diterbitkan" in again.get_data(as_text=True)
    assert db.scalar(select(_db.func.count(DisciplineLetter.id))) == 1


def test_a_koordinator_of_another_opd_sees_neither_the_flag_nor_the_member(app, client, login_as, opd, db):
    koordinator = login_as("koordinator", opd=opd)
    membership = absent_member(db, opd, koordinator)
    key = warning_key(db, membership)
    stranger = sign_in(app, make_koordinator(factories.make_opd()))
    assert "Bayu Firmansyah" not in stranger.get("/disiplin").get_data(as_text=True)
    assert warn(stranger, membership, key).status_code == 404
    assert warn(client, membership, key).status_code == 302
    letter = db.scalar(select(DisciplineLetter))
    assert stranger.get(f"/disiplin/surat/{letter.id}.pdf").status_code == 404


def test_an_incomplete_warning_form_is_refused(client, login_as, opd, db):
    koordinator = login_as("koordinator", opd=opd)
    membership = absent_member(db, opd, koordinator)
    response = warn(client, membership, warning_key(db, membership), number="")
    assert response.status_code == 422
    assert db.scalar(select(DisciplineLetter)) is None


# --- the dismissal proposal (002 §15(4)–(5)) ------------------------------------------------------------


def test_the_ketua_sees_the_dismissal_flag_after_two_inactive_months_and_proposes(app, client, login_as, opd, db):
    """002 §15(4)–(5): 2 months inactive without a written reason → the ketua proposes dismissal to
    the Wali Kota through the pembina."""
    membership, key = inactive_member(db, opd, make_koordinator(opd))
    login_as("ketua", full_name="Ir. Siti Rahmawati, M.T.")
    page = client.get("/disiplin").get_data(as_text=True)
    assert "Citra Lestari" in page and "Usulan pemberhentian (Pasal 15 ayat 4–5)" in page
    assert "Ajukan usulan pemberhentian" in page
    response = client.post(
        f"/disiplin/{membership.id}/usulan-pemberhentian",
        data={
            "breach_key": key,
            "number": "800/031/TP/2026",
            "letter_date": LETTER_DAY.isoformat(),
            "reason": "Tidak menanggapi panggilan koordinator.",
        },
    )
    assert response.status_code == 302
    db.refresh(membership)
    assert membership.status == MembershipStatus.PROPOSED_DISMISSAL
    letter = db.scalar(select(DisciplineLetter))
    text = pdf_text(client.get(f"/disiplin/surat/{letter.id}.pdf").data)
    assert "Wali Kota" in text and "melalui Pembina (Sekretaris Daerah)" in text
    assert "Pasal 15 ayat (4)" in text and "Pasal 15 ayat (5)" in text
    assert "Citra Lestari" in text and opd.name in text and membership.decree_number in text
    assert "Tidak menanggapi panggilan koordinator." in text
    assert "23 November 2026" in text and "Ir. Siti Rahmawati, M.T." in text


def test_only_the_ketua_proposes_dismissal(app, login_as, opd, db):
    koordinator = make_koordinator(opd)
    membership, key = inactive_member(db, opd, koordinator)
    data = {"breach_key": key, "number": "1", "letter_date": LETTER_DAY.isoformat(), "reason": "x"}
    as_koordinator = sign_in(app, koordinator)
    assert as_koordinator.post(f"/disiplin/{membership.id}/usulan-pemberhentian", data=data).status_code == 403
    page = as_koordinator.get("/disiplin").get_data(as_text=True)
    assert "Citra Lestari" in page and "Ajukan usulan pemberhentian" not in page
    as_sekretaris = sign_in(app, factories.make_user(roles=["sekretaris"]))
    assert "Citra Lestari" in as_sekretaris.get("/disiplin").get_data(as_text=True)
    assert as_sekretaris.post(f"/disiplin/{membership.id}/usulan-pemberhentian", data=data).status_code == 403


def test_the_pembina_sees_the_proposal_in_their_list_and_card(app, client, login_as, opd, db):
    """002 §10, §15(5): the proposal goes to the Wali Kota through the pembina."""
    membership, key = inactive_member(db, opd, make_koordinator(opd))
    ketua = factories.make_user(roles=["ketua"])
    services.propose_dismissal(db, ketua, membership, key, "800/031/TP/2026", LETTER_DAY, "Tidak aktif.", TODAY)
    login_as("pembina")
    listing = client.get("/disiplin/usulan").get_data(as_text=True)
    assert "Citra Lestari" in listing and "800/031/TP/2026" in listing
    letter = db.scalar(select(DisciplineLetter))
    assert client.get(f"/disiplin/surat/{letter.id}.pdf").status_code == 200
    dashboard = client.get("/dasbor").get_data(as_text=True)
    assert "Usulan pemberhentian" in dashboard
    assert "<strong>1</strong> usulan diterima" in dashboard and "Citra Lestari" in dashboard


def test_a_written_reason_for_a_month_removes_the_flag(app, login_as, opd, db):
    """002 §15(4) counts only months "tanpa alasan tertulis"."""
    koordinator = make_koordinator(opd)
    membership, key = inactive_member(db, opd, koordinator)
    as_member = sign_in(app, membership.member)
    form = as_member.get("/disiplin/alasan").get_data(as_text=True)
    assert "Tidak aktif 2 bulan berturut-turut" in form
    first_idle = month_start(2)
    response = as_member.post(
        "/disiplin/alasan",
        data={
            "year": str(first_idle.year),
            "month": str(first_idle.month),
            "reason": "Dirawat di rumah sakit.",
            "file": (io.BytesIO(b"%PDF-1.4 surat dokter"), "surat-dokter.pdf"),
        },
        content_type="multipart/form-data",
    )
    assert response.status_code == 302
    assert "Dirawat di rumah sakit." in as_member.get("/disiplin/alasan").get_data(as_text=True)
    attachment = f"/berkas/{db.scalar(select(InactivityReason.file_id))}"
    assert as_member.get(attachment).status_code == 200
    assert sign_in(app, koordinator).get(attachment).status_code == 200
    assert sign_in(app, make_member(opd).member).get(attachment).status_code == 404
    flags = services.flags_for(db, [membership], TODAY)[membership.id]
    assert [f for f in flags if f.kind == "dismissal_due"] == []
    as_ketua = sign_in(app, factories.make_user(roles=["ketua"]))
    assert "Citra Lestari" not in as_ketua.get("/disiplin").get_data(as_text=True)
    assert key  # the breach that was flagged before


def test_a_reason_for_a_month_not_yet_begun_is_refused(app, login_as, opd, db):
    membership = make_member(opd, start=month_start(3))
    as_member = sign_in(app, membership.member)
    future = month_start(-2)
    response = as_member.post(
        "/disiplin/alasan", data={"year": str(future.year), "month": str(future.month), "reason": "Cuti"}
    )
    assert response.status_code == 422
    assert "bulan yang sudah berjalan" in response.get_data(as_text=True)


def test_an_anggota_without_a_membership_is_told_so(client, login_as):
    login_as("anggota")
    page = client.get("/disiplin/alasan")
    assert page.status_code == 200
    assert "tidak memiliki keanggotaan" in page.get_data(as_text=True)


def test_a_term_ending_within_30_days_links_to_the_membership(client, login_as, opd, db):
    """002 §15(1): a one-year term, extended by a new decree after evaluation."""
    ending = make_member(opd, start=TODAY - dt.timedelta(days=350), full_name="Gita Permata")
    login_as("ketua")
    page = client.get("/disiplin").get_data(as_text=True)
    assert "Gita Permata" in page and "Evaluasi perpanjangan (Pasal 15 ayat 1)" in page
    assert f'href="/tim/anggota/{ending.id}"' in page


@pytest.mark.parametrize(
    ("role", "items"),
    [
        ("koordinator", ["Rapat", "Disiplin"]),
        ("ketua", ["Rapat", "Disiplin", "Usulan pemberhentian"]),
        ("pembina", ["Rapat", "Usulan pemberhentian"]),
        ("anggota", ["Rapat", "Alasan tidak aktif"]),
    ],
)
def test_the_menu_shows_the_team_pages_of_each_role(client, login_as, role, items):
    login_as(role)
    page = client.get("/dasbor").get_data(as_text=True)
    for item in items:
        assert f">{item}</a>" in page, item
    if role == "anggota":
        assert ">Disiplin</a>" not in page


# --- dashboard cards -------------------------------------------------------------------------------------------


def _tasks_for(db, koordinator, opd, membership) -> None:
    """Two open tasks (one overdue) and one done, waiting for verification."""
    worker = membership.member
    ids = []
    for title in ("Perbarui sertifikat", "Migrasi basis data", "Perbaiki formulir"):
        task = services.create_task(
            db, koordinator, opd.id, {"title": title, "due_date": TODAY + dt.timedelta(days=5)}, [worker.id], TODAY
        )
        ids.append(task.id)
    services.move_task(db, worker, db.get(Task, ids[1]), TaskStatus.IN_PROGRESS)
    done = db.get(Task, ids[2])
    services.move_task(db, worker, done, TaskStatus.IN_PROGRESS)
    services.move_task(db, worker, done, TaskStatus.DONE)
    db.get(Task, ids[1]).due_date = TODAY - dt.timedelta(days=2)
    db.commit()


def test_the_member_dashboard_shows_my_tasks_and_the_next_meeting(app, opd, db):
    koordinator = make_koordinator(opd)
    membership = make_member(opd)
    _tasks_for(db, koordinator, opd, membership)
    services.create_meeting(
        db,
        koordinator,
        {
            "date": dt.datetime.combine(TODAY + dt.timedelta(days=3), dt.time(14)),
            "scope": MeetingScope.OPD,
            "opd_id": opd.id,
            "agenda": "Persiapan rilis aplikasi antrean",
        },
    )
    page = sign_in(app, membership.member).get("/dasbor").get_data(as_text=True)
    assert "Tugas saya" in page and "<strong>2</strong> tugas terbuka" in page
    assert "<strong>1</strong> lewat tenggat" in page
    assert "Rapat berikutnya" in page and "Persiapan rilis aplikasi antrean" in page and "14.00" in page


def test_the_koordinator_dashboard_shows_the_opd_board_and_flags(client, login_as, opd, db):
    koordinator = login_as("koordinator", opd=opd)
    _tasks_for(db, koordinator, opd, make_member(opd, start=month_start(1)))
    absent_member(db, opd, koordinator)
    page = client.get("/dasbor").get_data(as_text=True)
    assert "Papan tugas OPD" in page
    assert "<td>2</td><td>1</td><td>1</td>" in page  # open, overdue, waiting for verification
    assert 'id="flags-warning">1<' in page and 'id="flags-dismissal">0<' in page


@pytest.mark.parametrize("role", ["ketua", "sekretaris"])
def test_the_team_overview_lists_each_opd(client, login_as, db, role):
    busy, quiet = factories.make_opd(short_name="Diskominfo"), factories.make_opd(short_name="Disdik")
    koordinator = make_koordinator(busy)
    _tasks_for(db, koordinator, busy, make_member(busy, start=month_start(1)))
    absent_member(db, busy, koordinator)
    make_member(quiet, start=month_start(1))
    login_as(role)
    page = client.get("/dasbor").get_data(as_text=True)
    assert "Ikhtisar tim per OPD" in page
    assert "<td>Diskominfo</td><td>2</td><td>2</td><td>1</td><td>1</td>" in page  # members, open, overdue, flags
    assert "<td>Disdik</td><td>1</td><td>0</td><td>0</td>" in page


def test_the_overview_and_the_koordinators_card_count_each_opd_up_to_a_limit(app, client, login_as, db, monkeypatch):
    """Past boards.OPD_COUNT_LIMIT a count reads "lebih dari …", and so does the total it is part of."""
    from pontive.team import boards

    monkeypatch.setattr(boards, "OPD_COUNT_LIMIT", 1)
    busy, quiet = factories.make_opd(short_name="Diskominfo"), factories.make_opd(short_name="Disdik")
    koordinator = make_koordinator(busy)
    _tasks_for(db, koordinator, busy, make_member(busy, start=month_start(1)))  # 2 open, 1 overdue, 1 done
    make_member(quiet, start=month_start(1))
    login_as("ketua")
    page = client.get("/dasbor/kartu/team_overview", headers={"HX-Request": "true"}).get_data(as_text=True)
    assert "<td>Diskominfo</td><td>1</td><td>lebih dari 1</td><td>1</td>" in page  # members, open, overdue
    assert "<th>2</th><th>lebih dari 1</th><th>1</th>" in page  # totals: members, open (capped), overdue
    page = sign_in(app, koordinator).get("/dasbor").get_data(as_text=True)
    assert "<td>lebih dari 1</td><td>1</td><td>1</td>" in page  # open, overdue, waiting for verification


def test_the_overview_counts_a_task_without_a_due_date_as_open_not_overdue(client, login_as, db):
    opd = factories.make_opd(short_name="Bappeda")
    koordinator = make_koordinator(opd)
    member = make_member(opd, start=month_start(1))
    services.create_task(db, koordinator, opd.id, {"title": "Tanpa tenggat"}, [member.member_id], TODAY)
    services.create_task(db, koordinator, opd.id, {"title": "Hari ini", "due_date": TODAY}, [member.member_id], TODAY)
    late = services.create_task(
        db,
        koordinator,
        opd.id,
        {"title": "Kemarin", "due_date": TODAY + dt.timedelta(days=1)},
        [member.member_id],
        TODAY,
    )
    late.due_date = TODAY - dt.timedelta(days=1)
    db.commit()
    login_as("ketua")
    page = client.get("/dasbor").get_data(as_text=True)
    assert "<td>Bappeda</td><td>1</td><td>3</td><td>1</td><td>0</td>" in page  # members, open, overdue, flags


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


def test_cards_run_the_same_number_of_queries_for_one_opd_or_many(app, db):
    def populate(n):
        for _ in range(n):
            opd = factories.make_opd()
            koordinator = make_koordinator(opd)
            member = make_member(opd)
            _tasks_for(db, koordinator, opd, member)

    def measure(user):
        counts = {}
        for context in (cards.overview_context, cards.proposals_context):
            db.expire_all()
            with app.test_request_context("/dasbor"):
                fresh = db.get(type(user), user.id)
                assert fresh.roles  # loaded before counting
                counts[context.__name__] = count_queries(context, fresh)
        return counts

    ketua = factories.make_user(roles=["ketua"])
    populate(1)
    few = measure(ketua)
    populate(4)
    assert measure(ketua) == few


# --- demo data ----------------------------------------------------------------------------------------------


def test_demo_data_gives_the_koordinator_flags_and_the_ketua_an_overview(runner, app, db):
    assert runner.invoke(args=["seed-demo"]).exit_code == 0
    koordinator = app.test_client()
    assert koordinator.post("/masuk", data={"username": "koordinator", "password": "pontive-demo"}).status_code == 302
    page = koordinator.get("/dasbor").get_data(as_text=True)
    assert 'id="flags-warning">1<' in page and 'id="flags-dismissal">1<' in page
    assert koordinator.get("/disiplin").status_code == 200
    ketua = app.test_client()
    assert ketua.post("/masuk", data={"username": "ketua", "password": "pontive-demo"}).status_code == 302
    overview = ketua.get("/dasbor").get_data(as_text=True)
    assert "Ikhtisar tim per OPD" in overview and "Diskominfostandi" in overview and "Disdukcapil" in overview
    from pontive.accounts.models import User

    anggota = db.scalar(select(User).where(User.username == "anggota"))
    koordinator_user = db.scalar(select(User).where(User.username == "koordinator"))
    membership = services.current_membership(db, anggota.id)
    assert membership.placement_opd_id in koordinator_user.opd_ids_for("koordinator")
    assert db.scalar(select(_db.func.count(DisciplineLetter.id))) == 2  # a warning and a proposal already sent


# --- every endpoint: anonymous → sign-in, a wrong role → 403, the right role → 200 --------------------------


@pytest.fixture()
def letter(db, opd):
    koordinator = make_koordinator(opd)
    membership = absent_member(db, opd, koordinator)
    return services.issue_warning(db, koordinator, membership, warning_key(db, membership), "1", LETTER_DAY, TODAY)


PAGES = [("/disiplin", "sekretaris"), ("/disiplin/alasan", "anggota"), ("/disiplin/usulan", "pembina")]
ENDPOINTS = [("GET", p) for p, _ in PAGES] + [
    ("POST", "/disiplin/{membership}/peringatan"),
    ("POST", "/disiplin/{membership}/usulan-pemberhentian"),
    ("POST", "/disiplin/alasan"),
]


@pytest.mark.parametrize(("path", "role"), PAGES)
def test_pages_answer_the_right_role(client, login_as, path, role):
    login_as(role)
    assert client.get(path).status_code == 200


@pytest.mark.parametrize(("method", "path"), [*ENDPOINTS, ("GET", "/disiplin/surat/{letter}.pdf")])
def test_anonymous_visitors_are_sent_to_sign_in(client, letter, method, path):
    url = path.format(membership=letter.membership_id, letter=letter.id)
    response = client.open(url, method=method)
    assert response.status_code == 302 and "/masuk" in response.headers["Location"]


@pytest.mark.parametrize("role", ["pelamar", "kontrak"])
@pytest.mark.parametrize(("method", "path"), ENDPOINTS)
def test_other_roles_are_refused(client, login_as, letter, role, method, path):
    login_as(role)
    assert client.open(path.format(membership=letter.membership_id), method=method).status_code == 403


@pytest.mark.parametrize("role", ["pelamar", "kontrak", "anggota", "admin"])
def test_a_letter_is_not_found_for_those_it_does_not_concern(client, login_as, letter, role):
    login_as(role)
    assert client.get(f"/disiplin/surat/{letter.id}.pdf").status_code == 404
