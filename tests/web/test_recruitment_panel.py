"""The selection panel's and the ketua's pages (002 §16; 000 §10; DESIGN §1), as each user sees them."""

from __future__ import annotations

import datetime as dt
import io
import re

import pytest
from openpyxl import load_workbook
from sqlalchemy import event, func, select

from pontive.recruitment import services
from pontive.recruitment.models import (
    Application,
    ApplicationEvent,
    ApplicationStatus,
    CallLetter,
    LetterKind,
    RoundKind,
    RoundStatus,
    Score,
    Stage,
)
from pontive.team.models import Membership
from tests import factories
from tests.recruitment_factories import TODAY, make_applicant, make_application, make_round

HX = {"HX-Request": "true"}


def sign_in_as(client, user) -> None:
    """End the client's session and sign in as ``user``."""
    client.post("/keluar")
    response = client.post("/masuk", data={"username": user.username, "password": factories.PASSWORD})
    assert response.status_code == 302


def page(response) -> str:
    return response.get_data(as_text=True)


@pytest.fixture()
def panelist(login_as):
    return login_as("panel", username="panelis", full_name="Hendra Wijaya")


def announced_round(db, panel_user, ketua, **round_fields):
    """A team round with one passed application, closed and announced by ``ketua``."""
    selection_round = make_round(panel=[panel_user], **round_fields)
    application = make_application(selection_round, "passed")
    selection_round.status = RoundStatus.CLOSED
    db.commit()
    services.announce(db, ketua, selection_round, "800/PENG/2026", TODAY)
    return selection_round, application


# --- who sees what --------------------------------------------------------------------------------


def test_a_panel_member_sees_only_the_rounds_they_sit_on(client, panelist):
    """002 §16(1): each round has its own panel; another round's board and applications are 404."""
    mine = make_round(title="Seleksi Kami", panel=[panelist])
    other = make_round(title="Seleksi Tetangga")
    ours = make_application(mine, "submitted")
    theirs = make_application(other, "submitted")

    listing = page(client.get("/panitia"))
    assert "Seleksi Kami" in listing and "Seleksi Tetangga" not in listing
    assert client.get(f"/panitia/seleksi/{mine.id}").status_code == 200
    assert client.get(f"/panitia/lamaran/{ours.id}").status_code == 200
    for url in (
        f"/panitia/seleksi/{other.id}",
        f"/panitia/seleksi/{other.id}/hasil",
        f"/panitia/seleksi/{other.id}/hasil.xlsx",
        f"/panitia/lamaran/{theirs.id}",
    ):
        assert client.get(url).status_code == 404, url
    response = client.post(f"/panitia/lamaran/{theirs.id}/administrasi", data={"decision": "lulus"})
    assert response.status_code == 404
    assert theirs.status == ApplicationStatus.SUBMITTED


def test_the_ketua_sees_every_round_but_may_not_score(client, login_as, db):
    """002 §16(1): only the round's panel scores; the ketua reads, and is told why not."""
    login_as("ketua")
    selection_round = make_round(title="Seleksi Terbuka")
    application = make_application(selection_round, "interview")
    assert "Seleksi Terbuka" in page(client.get("/panitia"))
    assert "tanpa hak memutuskan atau menilai" in page(client.get(f"/panitia/lamaran/{application.id}"))

    response = client.post(
        f"/panitia/lamaran/{application.id}/nilai/wawancara", data={"wawancara-score": "90"}, follow_redirects=True
    )
    assert "Anda bukan anggota tim seleksi untuk seleksi ini." in page(response)
    assert db.scalar(select(func.count(Score.id))) == 0


def test_a_draft_stays_the_applicants_own(client, panelist):
    """Issue 3 §3: drafts are not the panel's business until they are submitted."""
    selection_round = make_round(panel=[panelist])
    draft = make_application(selection_round, "draft")
    assert client.get(f"/panitia/lamaran/{draft.id}").status_code == 404


# --- the board and the queue ----------------------------------------------------------------------


def test_the_board_counts_each_stage_and_the_queue_filters_as_an_htmx_fragment(client, panelist):
    """Issue 3 §7: the queue shows each stage's work with counts, with htmx filters; the same URL
    without HX-Request is the whole page."""
    selection_round = make_round(panel=[panelist])
    make_application(selection_round, "submitted", applicant=make_applicant(full_name="Sari Wulandari"))
    make_application(selection_round, "submitted", applicant=make_applicant(full_name="Tono Haryanto"))
    make_application(selection_round, "admin_passed", applicant=make_applicant(full_name="Budi Santoso"))
    url = f"/panitia/seleksi/{selection_round.id}"

    full = page(client.get(url))
    assert "<html" in full and "Menunggu pemeriksaan administratif" in full
    assert f'href="{url}?status=submitted">Diajukan</a></td>\n      <td>2</td>' in full

    fragment = client.get(url, query_string={"status": "admin_passed"}, headers=HX)
    body = page(fragment)
    assert fragment.status_code == 200
    assert "<html" not in body and 'id="results"' in body
    assert "Budi Santoso" in body and "Sari Wulandari" not in body

    whole = page(client.get(url, query_string={"status": "admin_passed"}))
    assert "<html" in whole and "Budi Santoso" in whole and "Sari Wulandari" not in whole


def test_the_queue_total_comes_from_the_stored_counts_and_matches_the_rows(app, client, panelist, monkeypatch):
    """Issue 8 §2: the unfiltered or status-filtered queue tells its total from round_status_count; it is
    the rows the queue pages through (drafts left out), and a search still counts what it finds."""
    monkeypatch.setitem(app.config, "PER_PAGE", 2)  # the app lives for the whole session: restore it after
    selection_round = make_round(panel=[panelist])
    for name in ("Sari Wulandari", "Tono Haryanto", "Wulan Sari"):
        make_application(selection_round, "submitted", applicant=make_applicant(full_name=name))
    make_application(selection_round, "admin_passed", applicant=make_applicant(full_name="Budi Santoso"))
    make_application(selection_round, "draft", applicant=make_applicant(full_name="Dina Draf"))
    url = f"/panitia/seleksi/{selection_round.id}"

    def shown(**args) -> tuple[str, set[str]]:
        body = page(client.get(url, query_string=args, headers=HX))
        names = {"Sari Wulandari", "Tono Haryanto", "Wulan Sari", "Budi Santoso", "Dina Draf"}
        return re.search(r">([^<>]+) lamaran</p>", body).group(1), {n for n in names if n in body}

    first, second = shown(), shown(page=2)
    assert first[0] == second[0] == "4" and len(first[1]) == 2 and len(second[1]) == 2
    assert "Dina Draf" not in first[1] | second[1]
    assert shown(status="submitted")[0] == "3" and shown(status="admin_passed") == ("1", {"Budi Santoso"})
    assert shown(q="wulan")[0] == "2"


def test_active_search_finds_an_applicant_by_name_or_nik(client, panelist):
    """Issue 3 §7: search by name or NIK."""
    selection_round = make_round(panel=[panelist])
    make_application(selection_round, "submitted", applicant=make_applicant(full_name="Sari Wulandari"))
    make_application(
        selection_round, "submitted", applicant=make_applicant(full_name="Budi Santoso", nik="3275010101900042")
    )
    url = f"/panitia/seleksi/{selection_round.id}"
    by_name = page(client.get(url, query_string={"q": "wulan"}, headers=HX))
    assert "Sari Wulandari" in by_name and "Budi Santoso" not in by_name
    by_nik = page(client.get(url, query_string={"q": "900042"}, headers=HX))
    assert "Budi Santoso" in by_nik and "Sari Wulandari" not in by_nik
    board = page(client.get(url))
    assert 'hx-trigger="input changed delay:300ms' in board


def test_the_queue_filters_by_category(client, panelist):
    """002 §17: the panel works category by category."""
    selection_round = make_round(panel=[panelist])
    make_application(selection_round, "submitted", applicant=make_applicant(full_name="Juni Programmer"))
    make_application(
        selection_round,
        "submitted",
        applicant=make_applicant(full_name="Nina Jaringan"),
        category_code="junior_network_admin",
    )
    category_id = next(q.category_id for q in selection_round.quotas if q.category.code == "junior_network_admin")
    body = page(
        client.get(f"/panitia/seleksi/{selection_round.id}", query_string={"kategori": category_id}, headers=HX)
    )
    assert "Nina Jaringan" in body and "Juni Programmer" not in body


def queries(client, db, url: str) -> int:
    """How many SQL statements a GET of ``url`` runs."""
    statements = []

    def count(*_args):
        statements.append(1)

    event.listen(db.get_bind(), "before_cursor_execute", count)
    try:
        assert client.get(url).status_code == 200
    finally:
        event.remove(db.get_bind(), "before_cursor_execute", count)
    return len(statements)


def test_the_board_takes_the_same_number_of_queries_for_few_or_many_applications(client, panelist, db):
    """The queue joins applicant and category: no query per row."""
    selection_round = make_round(panel=[panelist])
    url = f"/panitia/seleksi/{selection_round.id}"
    make_application(selection_round, "submitted")
    few = queries(client, db, url)
    for _ in range(6):
        make_application(selection_round, "submitted")
    assert queries(client, db, url) == few


# --- the administrative check ----------------------------------------------------------------------


def test_the_admin_check_shows_each_reason_beside_the_documents(client, panelist, db):
    """002 §18b, issue 3 §4: each requirement with its reason and clause, beside the documents."""
    selection_round = make_round(panel=[panelist])
    application = make_application(
        selection_round,
        "submitted",
        applicant=make_applicant(full_name="Dian Puspita", nik="3275014101950003", phone="0812-3456-7890"),
        category_code="senior_system_admin",
        years="3",
    )
    body = page(client.get(f"/panitia/lamaran/{application.id}"))
    assert "Pengalaman 3 tahun, minimal 4 tahun untuk Senior System Administrator." in body
    assert "002 §18b" in body and "Tidak memenuhi" in body
    assert "3275014101950003" in body and "0812-3456-7890" in body
    assert f'href="/berkas/{application.documents[0].file_id}"' in body
    assert body.index('id="documents-title"') < body.index('id="check-title"')

    application.admin_results = None  # e.g. filed before the check existed: computed for display
    db.commit()
    assert "Pengalaman 3 tahun, minimal 4 tahun" in page(client.get(f"/panitia/lamaran/{application.id}"))


def test_overriding_the_system_result_needs_a_written_reason(client, panelist, db):
    """Issue 3 §4: a panel member confirms or overrides with a written reason; without one nothing changes."""
    selection_round = make_round(panel=[panelist])
    application = make_application(selection_round, "submitted", category_code="senior_system_admin", years="3")
    url = f"/panitia/lamaran/{application.id}/administrasi"

    refused = client.post(url, data={"decision": "lulus", "reason": "  "})
    assert refused.status_code == 422
    assert "Tuliskan alasan bila keputusan berbeda dari hasil pemeriksaan sistem." in page(refused)
    db.refresh(application)
    assert application.status == ApplicationStatus.SUBMITTED
    assert not db.scalar(select(ApplicationEvent.id).where(ApplicationEvent.action == "admin_check"))

    done = client.post(url, data={"decision": "lulus", "reason": "Masa magang dua tahun diakui tim."})
    assert done.status_code == 302
    db.refresh(application)
    assert application.status == ApplicationStatus.ADMIN_PASSED
    assert application.admin_override_reason == "Masa magang dua tahun diakui tim."


def test_confirming_a_failed_check_keeps_its_reasons_in_the_history(client, panelist, db):
    """002 §16(3)b; DESIGN §1.2: a failed application keeps its reasons."""
    selection_round = make_round(panel=[panelist])
    application = make_application(selection_round, "submitted", category_code="senior_system_admin", years="3")
    response = client.post(
        f"/panitia/lamaran/{application.id}/administrasi", data={"decision": "gagal"}, follow_redirects=True
    )
    assert response.status_code == 200
    db.refresh(application)
    assert application.status == ApplicationStatus.ADMIN_FAILED
    body = page(response)
    assert "Diajukan &rarr; Tidak memenuhi syarat administratif" in body
    assert "Pengalaman 3 tahun, minimal 4 tahun untuk Senior System Administrator." in body
    assert "Hendra Wijaya" in body  # who decided


# --- scores and stages -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "message"),
    [("101", "Nilai harus antara 0 dan 100."), ("-5", "Nilai harus berupa bilangan bulat 0–100.")],
)
def test_a_score_outside_0_to_100_is_refused_and_nothing_is_saved(client, panelist, db, value, message):
    """Issue 3 "a score outside 0–100"."""
    selection_round = make_round(panel=[panelist])
    application = make_application(selection_round, "interview")
    response = client.post(
        f"/panitia/lamaran/{application.id}/nilai/wawancara",
        data={"wawancara-score": value, "wawancara-notes": "catatan"},
    )
    assert response.status_code == 422
    assert message in page(response)
    assert db.scalar(select(func.count(Score.id))) == 0


def test_before_scoring_you_do_not_see_the_other_panelists_score(client, panelist, db):
    """Issue 3 §6 "no anchoring": only after submitting your own score do you see the others'."""
    second = factories.make_user("panelis2", roles=["panel"], full_name="Wulan Anggraini")
    selection_round = make_round(panel=[panelist, second], min_panel_scores=2)
    application = make_application(selection_round, "interview")
    services.record_score(db, second, application, Stage.INTERVIEW, 95, "Jawaban sangat runtut.")
    url = f"/panitia/lamaran/{application.id}"

    before = page(client.get(url))
    assert "Jawaban sangat runtut." not in before and "Wulan Anggraini" not in before
    assert "1 penilai sudah memberi nilai." in before

    response = client.post(
        f"{url}/nilai/wawancara", data={"wawancara-score": "80", "wawancara-notes": "Cukup."}, follow_redirects=True
    )
    after = page(response)
    assert "Nilai Anda disimpan." in after
    assert "Jawaban sangat runtut." in after and "Wulan Anggraini" in after and "<td>95</td>" in after


def test_closing_a_stage_moves_the_application_on(client, panelist, db):
    """002 §16(3)c: the interview's mean against the pass mark sends the applicant to the practical test."""
    selection_round = make_round(panel=[panelist])
    application = make_application(selection_round, "interview")
    url = f"/panitia/lamaran/{application.id}/tutup/wawancara"

    too_early = client.post(url, follow_redirects=True)
    assert "Baru 0 penilai memberi nilai; minimal 1 penilai." in page(too_early)
    db.refresh(application)
    assert application.status == ApplicationStatus.INTERVIEW

    services.record_score(db, panelist, application, Stage.INTERVIEW, 84)
    response = client.post(url, follow_redirects=True)
    db.refresh(application)
    assert application.status == ApplicationStatus.PRACTICAL
    body = page(response)
    assert "nilai rata-rata 84,00, lolos" in body
    assert "Wawancara &rarr; Uji kompetensi teknis" in body


def test_the_competency_form_answers_show_on_the_application(client, panelist, db):
    """002 §16(3)b.1, §19: the applicant's checklist with evidence, for the interview."""
    selection_round = make_round(panel=[panelist])
    application = make_application(selection_round, "interview")
    services.save_competency_form(
        db, application.applicant, application, [{"index": 0, "claimed": True, "note": "Aplikasi e-Retribusi"}]
    )
    assert "Aplikasi e-Retribusi" in page(client.get(f"/panitia/lamaran/{application.id}"))


def test_a_returning_contract_worker_has_a_place_for_the_end_of_contract_evaluation(client, panelist):
    """000 §11, issue 3 §4: the panel sees the previous contract's evaluation (none recorded yet)."""
    selection_round = make_round(RoundKind.CONTRACT, panel=[panelist])
    returning = factories.make_user(roles=["pelamar", "kontrak"])
    application = make_application(selection_round, "submitted", applicant=returning)
    body = page(client.get(f"/panitia/lamaran/{application.id}"))
    assert "Evaluasi akhir kontrak" in body and "Belum ada evaluasi akhir kontrak" in body


# --- call letters ------------------------------------------------------------------------------------


def letter_form(prefix: str, **changes) -> dict:
    data = {
        "jenis": prefix,
        f"{prefix}-number_prefix": "800/PANSEL",
        f"{prefix}-letter_date": "2026-11-23",
        f"{prefix}-event_date": "2026-11-30",
        f"{prefix}-event_time": "09:00",
        f"{prefix}-place": "Ruang Rapat Diskominfo",
        f"{prefix}-whom": "semua",
    }
    data.update({f"{prefix}-{k}": v for k, v in changes.items()})
    return data


def test_call_letters_go_to_everyone_waiting_and_the_applicant_opens_their_own(client, panelist, db):
    """002 §16(3)b: after the administrative check the panel calls to the competency form and interview."""
    selection_round = make_round(panel=[panelist])
    first = make_application(selection_round, "admin_passed")
    second = make_application(selection_round, "admin_passed")
    url = f"/panitia/seleksi/{selection_round.id}/surat-panggilan"

    response = client.post(url, data=letter_form("wawancara"))
    assert response.status_code == 302
    db.refresh(first)
    db.refresh(second)
    assert first.status == second.status == ApplicationStatus.INTERVIEW
    letters = list(db.scalars(select(CallLetter).order_by(CallLetter.id)))
    assert [letter.number for letter in letters] == ["800/PANSEL/001", "800/PANSEL/002"]
    assert letters[0].event_at == dt.datetime(2026, 11, 30, 9, 0)

    pdf = client.get(f"/panitia/surat-panggilan/{letters[0].id}.pdf")
    assert pdf.status_code == 200 and pdf.mimetype == "application/pdf"
    sign_in_as(client, first.applicant)
    assert client.get(f"/panitia/surat-panggilan/{letters[0].id}.pdf").status_code == 200
    assert client.get(f"/panitia/surat-panggilan/{letters[1].id}.pdf").status_code == 404


def test_call_letters_to_the_checked_applicants_only(client, panelist, db):
    """002 §16(3)c: the practical-test letter to those the panel ticks."""
    selection_round = make_round(panel=[panelist])
    chosen = make_application(selection_round, "practical")
    later = make_application(selection_round, "practical")
    url = f"/panitia/seleksi/{selection_round.id}/surat-panggilan"

    nobody = client.post(url, data=letter_form("praktik", whom="dicentang"))
    assert nobody.status_code == 422 and "Centang minimal satu pelamar." in page(nobody)

    response = client.post(url, data=letter_form("praktik", whom="dicentang", application_ids=str(chosen.id)))
    assert response.status_code == 302
    called = set(db.scalars(select(CallLetter.application_id).where(CallLetter.kind == LetterKind.CALL_PRACTICAL)))
    assert called == {chosen.id}
    assert f'value="{later.id}"' in page(client.get(f"/panitia/seleksi/{selection_round.id}"))


def test_the_call_letter_pdf_is_for_the_applicant_the_rounds_panel_the_ketua_and_admins(client, panelist, db):
    """DESIGN §6: letters are personal; anyone else is told nothing (404)."""
    selection_round = make_round(panel=[panelist])
    application = make_application(selection_round, "interview")
    letter_id = db.scalar(select(CallLetter.id))
    url = f"/panitia/surat-panggilan/{letter_id}.pdf"
    client.post("/keluar")
    assert "/masuk" in client.get(url).headers["Location"]
    for role, expected in (("ketua", 200), ("admin", 200), ("anggota", 404), ("pelamar", 404), ("panel", 404)):
        sign_in_as(client, factories.make_user(roles=[role]))
        assert client.get(url).status_code == expected, role
    sign_in_as(client, application.applicant)
    assert client.get(url).status_code == 200


# --- result, announcement, appointment --------------------------------------------------------------


def test_the_result_ranks_per_category_with_the_quota_line_and_the_failed_with_their_reason(client, panelist, db):
    """Issue 3 §7: ranked per category by the weighted final score within the quota; the failed keep their reason."""
    selection_round = make_round(panel=[panelist], quota=1)
    make_application(selection_round, "passed", applicant=make_applicant(full_name="Kedua Saja"), scores=(80, 80))
    make_application(selection_round, "passed", applicant=make_applicant(full_name="Pertama Sekali"), scores=(90, 95))
    failed = make_application(
        selection_round,
        "submitted",
        applicant=make_applicant(full_name="Gagal Administrasi"),
        category_code="senior_system_admin",
        years="3",
    )
    services.decide_admin_check(db, panelist, failed, False, "")

    body = page(client.get(f"/panitia/seleksi/{selection_round.id}/hasil"))
    assert body.index("Pertama Sekali") < body.index("Batas kuota (1)") < body.index("Kedua Saja")
    assert "93,00" in body  # 40 % × 90 + 60 % × 95
    assert "Gagal Administrasi" in body and "Pengalaman 3 tahun, minimal 4 tahun" in body

    export = client.get(f"/panitia/seleksi/{selection_round.id}/hasil.xlsx")
    assert export.status_code == 200
    rows = list(load_workbook(io.BytesIO(export.data)).active.iter_rows(values_only=True))
    assert rows[0][:3] == ("Kategori", "Peringkat", "Nama")
    assert rows[1][1:3] == (1, "Pertama Sekali") and rows[1][8] == "Ya"
    assert rows[2][1:3] == (2, "Kedua Saja") and rows[2][8] == "Tidak"
    assert rows[3][2] == "Gagal Administrasi" and "minimal 4 tahun" in rows[3][10]


def test_the_result_and_its_export_take_the_same_number_of_queries_for_few_or_many_applications(client, panelist, db):
    """The ranked and the failed are each one query joining the applicant, home OPD and category (and
    the failure's reason): the export of a 20,000-application round reads no more than one of 3."""
    selection_round = make_round(panel=[panelist], quota=1)
    urls = [f"/panitia/seleksi/{selection_round.id}/hasil", f"/panitia/seleksi/{selection_round.id}/hasil.xlsx"]

    def add(n: int) -> None:
        for i in range(n):  # each applicant from another OPD
            make_application(selection_round, "passed", scores=(70 + i, 80))
            failed = make_application(selection_round, "submitted", category_code="senior_system_admin", years="3")
            services.decide_admin_check(db, panelist, failed, False, "")

    add(1)
    few = [queries(client, db, url) for url in urls]
    add(4)
    assert [queries(client, db, url) for url in urls] == few
    rows = list(load_workbook(io.BytesIO(client.get(urls[1]).data)).active.iter_rows(values_only=True))
    assert len(rows) == 1 + 10
    assert [row[1] for row in rows[1:6]] == [1, 2, 3, 4, 5] and [row[8] for row in rows[1:6]] == ["Ya"] + ["Tidak"] * 4
    assert all("minimal 4 tahun" in row[10] for row in rows[6:])


def test_in_a_contract_round_a_local_ktp_goes_first_on_equal_scores(client, panelist):
    """000 §10A: a local KTP is preferred — a tie-breaker, not a gate."""
    selection_round = make_round(RoundKind.CONTRACT, panel=[panelist], quota=1)
    make_application(
        selection_round, "passed", applicant=make_applicant(full_name="Orang Jakarta"), ktp_city="Kota Jakarta"
    )
    make_application(selection_round, "passed", applicant=make_applicant(full_name="Orang Bekasi"))
    body = page(client.get(f"/panitia/seleksi/{selection_round.id}/hasil"))
    assert body.index("Orang Bekasi") < body.index("Orang Jakarta")
    assert "ber-KTP Bekasi diutamakan (000 §10A)" in body


def test_the_ketua_announces_only_when_every_application_is_finished(client, login_as, db):
    """002 §16(4): the ketua signs the announcement once every application is decided."""
    ketua = login_as("ketua", full_name="Ir. Siti Rahmawati, M.T.")
    panel_user = factories.make_user(roles=["panel"])
    selection_round = make_round(panel=[panel_user])
    passed = make_application(selection_round, "passed")
    waiting = make_application(selection_round, "submitted")
    selection_round.status = RoundStatus.CLOSED
    db.commit()
    url = f"/panitia/seleksi/{selection_round.id}/umumkan"
    form = {"number": "800/PENG/2026", "letter_date": "2026-11-23"}

    refused = client.post(url, data=form)
    assert refused.status_code == 422
    assert "Masih ada 1 lamaran yang belum selesai dinilai." in page(refused)
    db.refresh(selection_round)
    assert selection_round.status == RoundStatus.CLOSED

    services.decide_admin_check(db, panel_user, waiting, False, "Berkas pengalaman tidak dapat dibaca.")
    assert client.post(url, data=form).status_code == 302
    db.refresh(selection_round)
    db.refresh(passed)
    assert selection_round.status == RoundStatus.ANNOUNCED
    assert selection_round.announced_by_id == ketua.id
    assert passed.status == ApplicationStatus.SELECTED and passed.rank == 1
    pdf = client.get(f"/panitia/seleksi/{selection_round.id}/pengumuman.pdf")
    assert pdf.status_code == 200 and pdf.data.startswith(b"%PDF-")


def test_only_the_ketua_announces(client, panelist, db):
    """002 §16(4): the announcement is the Ketua Tim's letter."""
    selection_round = make_round(panel=[panelist], status=RoundStatus.CLOSED)
    response = client.post(
        f"/panitia/seleksi/{selection_round.id}/umumkan", data={"number": "1", "letter_date": "2026-11-23"}
    )
    assert response.status_code == 403
    assert "Umumkan hasil seleksi" not in page(client.get(f"/panitia/seleksi/{selection_round.id}/hasil"))


def test_recording_the_decree_makes_a_one_year_membership(client, login_as, db):
    """002 §4(1), §15(1): the Wali Kota's decree appoints for one year."""
    admin = login_as("admin")
    ketua = factories.make_user(roles=["ketua"])
    selection_round, application = announced_round(db, factories.make_user(roles=["panel"]), ketua)
    url = f"/panitia/lamaran/{application.id}/angkat"
    prefix = f"sk{application.id}"

    assert f'name="{prefix}-decree_number"' in page(client.get(f"/panitia/seleksi/{selection_round.id}/hasil"))
    missing = client.post(url, data={f"{prefix}-decree_date": "2027-01-04"})
    assert missing.status_code == 422 and "Wajib diisi." in page(missing)
    assert db.scalar(select(func.count(Membership.id))) == 0

    response = client.post(
        url,
        data={
            f"{prefix}-decree_number": "800/Kep.12-Diskominfostandi/2027",
            f"{prefix}-decree_date": "2027-01-04",
            f"{prefix}-placement_opd_id": str(application.home_opd_id),
        },
    )
    assert response.status_code == 302
    membership = db.scalar(select(Membership))
    assert membership.member_id == application.applicant_id
    assert (membership.start_date, membership.end_date) == (dt.date(2027, 1, 4), dt.date(2028, 1, 3))
    assert membership.placement_opd_id == application.home_opd_id
    db.refresh(application)
    assert application.status == ApplicationStatus.APPOINTED
    assert admin.id == db.scalar(select(ApplicationEvent.actor_id).where(ApplicationEvent.action == "appointed"))


# --- dashboard cards and navigation --------------------------------------------------------------------


def test_the_panel_dashboard_shows_the_work_waiting_per_stage(client, panelist):
    """Issue 3 §10: panel — work waiting per stage, each a link to the filtered queue."""
    selection_round = make_round(panel=[panelist], title="Seleksi Dasbor")
    make_application(selection_round, "submitted")
    make_application(selection_round, "submitted")
    make_application(selection_round, "admin_passed")
    body = page(client.get("/dasbor"))
    assert "Menunggu tim seleksi" in body and "Seleksi Dasbor" in body
    board = f"/panitia/seleksi/{selection_round.id}"
    assert f'<a href="{board}?status=submitted">Menunggu pemeriksaan administratif</a>: 2' in body
    assert f'<a href="{board}?status=admin_passed">Menunggu surat panggilan wawancara</a>: 1' in body
    assert 'href="/panitia"' in body  # the "Tim seleksi" menu entry


def test_the_ketua_dashboard_lists_rounds_awaiting_the_announcement(client, login_as):
    """Issue 3 §10: ketua — rounds awaiting announcement, with a link to the result."""
    login_as("ketua")
    closed = make_round(title="Seleksi Selesai", status=RoundStatus.CLOSED)
    make_round(title="Seleksi Masih Buka")
    body = page(client.get("/dasbor"))
    assert "Seleksi menunggu pengumuman" in body
    assert f'href="/panitia/seleksi/{closed.id}/hasil"' in body and "siap diumumkan" in body
    assert "Seleksi Masih Buka" not in body


# --- every endpoint, every kind of user ---------------------------------------------------------------

PANEL, KETUA, ADMIN = "panel", "ketua", "admin"
READERS = {PANEL, KETUA, ADMIN}
ENDPOINTS = [
    # (method, url template, roles allowed by the declaration)
    ("GET", "/panitia", READERS),
    ("GET", "/panitia/seleksi/{round}", READERS),
    ("GET", "/panitia/seleksi/{round}/hasil", READERS),
    ("GET", "/panitia/seleksi/{round}/hasil.xlsx", READERS),
    ("GET", "/panitia/seleksi/{round}/pengumuman.pdf", READERS),
    ("GET", "/panitia/lamaran/{application}", READERS),
    ("POST", "/panitia/seleksi/{round}/surat-panggilan", READERS),
    ("POST", "/panitia/lamaran/{application}/administrasi", READERS),
    ("POST", "/panitia/lamaran/{application}/nilai/wawancara", READERS),
    ("POST", "/panitia/lamaran/{application}/tutup/praktik", READERS),
    ("POST", "/panitia/seleksi/{round}/umumkan", {KETUA}),
    ("POST", "/panitia/lamaran/{application}/angkat", {KETUA, ADMIN}),
]


@pytest.mark.parametrize("role", [None, "anggota", "pelamar", PANEL, KETUA, ADMIN], ids=lambda r: r or "anonymous")
def test_every_panel_endpoint_admits_the_right_roles_only(client, login_as, db, role):
    """DESIGN "Users and roles": anonymous → sign in, wrong role → 403, right role → 200."""
    user = login_as(role) if role else None
    panel_user = user if role == PANEL else factories.make_user(roles=["panel"])
    selection_round, application = announced_round(db, panel_user, factories.make_user(roles=["ketua"]))
    names = {"round": selection_round.id, "application": application.id}
    problems = []
    for method, template, allowed in ENDPOINTS:
        url = template.format(**names)
        status = client.open(url, method=method).status_code
        if role is None:
            ok = status == 302
        elif role not in allowed:
            ok = status == 403
        elif method == "GET":
            ok = status == 200
        else:
            ok = status < 500 and status not in (401, 403, 404)
        if not ok:
            problems.append(f"{method} {url}: {status}")
    letter_url = f"/panitia/surat-panggilan/{db.scalar(select(CallLetter.id))}.pdf"
    letter_status = client.get(letter_url).status_code
    expected = 302 if role is None else (200 if role in READERS else 404)
    if letter_status != expected:
        problems.append(f"GET {letter_url}: {letter_status}, expected {expected}")
    assert not problems, "\n".join(problems)


def test_the_rounds_list_shows_the_stored_counts_with_the_same_queries_for_more_applications(client, panelist, db):
    """/panitia reads the stored counts per round and status (RoundStatusCount), not every application."""
    selection_round = make_round(panel=[panelist], title="Seleksi Hitung")
    make_application(selection_round, "draft")
    make_application(selection_round, "submitted")
    few = queries(client, db, "/panitia")
    body = page(client.get("/panitia"))
    assert "Diajukan</a>: 1" in body
    for _ in range(3):
        make_application(selection_round, "submitted")
    withdrawn = make_application(selection_round, "submitted")
    services.withdraw_application(db, withdrawn.applicant, withdrawn)
    assert queries(client, db, "/panitia") == few
    body = page(client.get("/panitia"))
    assert "Diajukan</a>: 4" in body and "Ditarik</a>: 1" in body
    grouped = dict(
        db.execute(
            select(Application.status, func.count())
            .where(Application.round_id == selection_round.id, Application.status != ApplicationStatus.DRAFT)
            .group_by(Application.status)
        ).all()
    )
    assert {ApplicationStatus(s).value: n for s, n in grouped.items()} == {"submitted": 4, "withdrawn": 1}
