"""One application's whole selection in a real browser (issue 3 "Checked by": "a browser test walks an
application from filing to announcement"), through the pages alone:

1. a new person finds the open contract-worker round on a phone, registers an applicant account,
   fills the application (000 §10), uploads the required documents and submits it;
2. the demo panel member confirms the administrative check, issues the interview call letter, scores
   the interview and the practical test and closes each stage (002 §16(3));
3. the admin closes registration on the round's page;
4. the ketua announces the result (002 §16(4));
5. the applicant, signed in again, sees "Diterima" with every decision's reason and downloads the
   call letter PDF.

The demo data leaves another applicant's draft in the round; a draft is not "in progress"
(services.IN_PROGRESS), so it does not hold the announcement back and the test leaves it alone.
"""

from __future__ import annotations

import datetime as dt
import re
import secrets

from playwright.sync_api import expect
from sqlalchemy import func, select

from pontive.accounts import rules as account_rules
from pontive.extensions import db
from pontive.recruitment.demo import DEMO_PDF
from pontive.recruitment.models import Application, ApplicationStatus
from pontive.recruitment.rules import STATUS_LABELS

PHONE = {"width": 390, "height": 844}
INTERVIEW_SCORE, PRACTICAL_SCORE = 85, 90
LETTER_PREFIX = "800/PANSEL-UJI"
ANNOUNCEMENT_NUMBER = "800/PENG-UJI/2026"
ADMIN_REASON = "Semua persyaratan administratif terpenuhi; berkas lengkap."


def status_badge(page):
    """The application's status, shown right under its heading (applicant's and panel's page alike)."""
    return page.locator("main h1 + p .badge")


def flash(page):
    """The page's flash message (base.html), not the notes inside its sections that share the style."""
    return page.locator("main > .flash-success")


def no_horizontal_scroll(page) -> None:
    width = page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"{page.url} is {width}px wide on a {PHONE['width']}px screen"


def new_applicant() -> dict[str, str]:
    token = secrets.token_hex(3)
    # Region 327501 (Kota Bekasi), born 05-09-1990 as a woman (day + 40), then a serial.
    nik = f"3275014509900{secrets.randbelow(1000):03d}"
    assert account_rules.nik_problem(nik) is None
    return {
        "name": "Rina Maharani",
        "nik": nik,
        "email": f"rina.{token}@contoh.example",
        "phone": "0812-3456-7890",
        "username": f"rina.{token}",
        "password": f"Rina-{token}-sandi-kuat",
    }


def birth_date_aged_25_at_closing(today: dt.date) -> dt.date:
    """Some 25 years and a month before today: the round closes within a month (demo data), so the
    applicant is 25 on the closing date (000 §10A: 21–35)."""
    return today.replace(year=today.year - 25, day=1) - dt.timedelta(days=31)


# --- 1. the applicant files -----------------------------------------------------------------------


def register_and_file(page, person: dict[str, str], pdf_path) -> str:
    """Registers, files and submits; returns the round's title."""
    page.goto("/seleksi")
    round_card = page.locator("article", has_text="Tenaga IT kontrak")
    expect(round_card).to_have_count(1)
    round_title = round_card.get_by_role("heading", level=2).inner_text().strip()
    expect(round_card).to_contain_text("IPK minimal 2,75")
    round_card.get_by_role("button", name="Daftar akun pelamar").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Daftar akun pelamar")
    page.get_by_label("Nama lengkap").fill(person["name"])
    page.get_by_label("NIK (16 digit, sesuai KTP)").fill(person["nik"])
    page.get_by_label("E-mail").fill(person["email"])
    page.get_by_label("Nomor HP").fill(person["phone"])
    page.get_by_label("Nama pengguna").fill(person["username"])
    page.get_by_label("Kata sandi", exact=True).fill(person["password"])
    page.get_by_label("Ulangi kata sandi").fill(person["password"])
    page.get_by_role("button", name="Daftar", exact=True).click()

    # A new account lands on its (still empty) applications.
    expect(page.get_by_role("heading", level=1)).to_have_text("Lamaran saya")
    expect(flash(page)).to_contain_text("Akun pelamar Anda telah dibuat")
    expect(page.locator("main")).to_contain_text("Anda belum memiliki lamaran.")
    page.get_by_role("button", name="Lihat seleksi yang dibuka").click()
    round_card = page.locator("article", has_text=round_title)
    round_card.get_by_role("button", name="Lamar sekarang").click()

    expect(page.get_by_role("heading", level=1)).to_have_text(round_title)
    expect(status_badge(page)).to_have_text(STATUS_LABELS["draft"])
    expect(page.locator("#kelengkapan .missing li").first).to_be_visible()

    # 1. Data lamaran (000 §10).
    data = page.locator("#data")
    data.get_by_role("group", name="Warga Negara Indonesia (WNI)?").get_by_label("Ya", exact=True).check()
    data.get_by_label("Tanggal lahir", exact=True).fill(birth_date_aged_25_at_closing(dt.date.today()).isoformat())
    data.get_by_label("NPWP", exact=True).fill("09.254.294.3-407.000")
    data.get_by_label("Pendidikan terakhir", exact=True).select_option("S1")
    data.get_by_label("Jurusan / program studi", exact=True).fill("Teknik Informatika")
    data.get_by_label("Perguruan tinggi", exact=True).fill("Universitas Islam 45 Bekasi")
    data.get_by_label("Akreditasi perguruan tinggi", exact=True).select_option("Baik Sekali")
    data.get_by_label("IPK (skala 4)", exact=True).fill("3,20")
    data.get_by_label("Kota/kabupaten sesuai KTP", exact=True).fill("Bekasi")
    data.get_by_role("group", name="Saya tidak sedang terikat kontrak atau pekerjaan lain").get_by_label(
        "Ya", exact=True
    ).check()
    data.get_by_role("button", name="Simpan draf").click()
    expect(flash(page)).to_have_text("Draf lamaran disimpan.")
    expect(page.locator("#data").get_by_label("IPK (skala 4)", exact=True)).to_have_value("3,20")

    # 2. Dokumen: each upload swaps the documents block (htmx).
    for kind, label in (("cv", "Daftar riwayat hidup"), ("ktp", "KTP"), ("diploma", "Ijazah dan transkrip nilai")):
        card = page.locator(f"#dokumen-{kind}")
        expect(card.locator("header small")).to_have_text("Wajib")
        card.locator(f"#file-{kind}").set_input_files(str(pdf_path))
        card.get_by_role("button", name="Unggah").click()
        expect(page.locator("#dokumen > .flash-success[role=status]")).to_have_text(f"{label} diunggah.")
        expect(page.locator(f"#dokumen-{kind} header small")).to_have_text("Sudah diunggah")
        expect(page.locator(f"#dokumen-{kind}")).to_contain_text(pdf_path.name)

    # 3. Kelengkapan dan pengajuan.
    expect(page.locator("#kelengkapan")).to_contain_text("Data dan dokumen wajib sudah lengkap")
    expect(page.locator("#kelengkapan .missing")).to_have_count(0)
    no_horizontal_scroll(page)
    page.get_by_role("button", name="Ajukan lamaran").click()
    expect(flash(page)).to_contain_text("Lamaran Anda telah diajukan")
    expect(status_badge(page)).to_have_text(STATUS_LABELS["submitted"])
    expect(page.locator("#riwayat")).to_contain_text("Lamaran diajukan")
    expect(page.get_by_role("button", name="Ajukan lamaran")).to_have_count(0)
    return round_title


# --- 2. the panel works the application -------------------------------------------------------------


def panel_works_application(page, round_title: str, name: str) -> str:
    """From the round's board to both stages closed; returns the board's address."""
    page.goto("/panitia")
    page.get_by_role("link", name=round_title).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(round_title)
    board_url = page.url
    page.wait_for_load_state()  # htmx has wired the search box (the heading shows before the scripts have run)
    page.get_by_label("Cari nama atau NIK").fill(name)
    expect(page).to_have_url(re.compile("q=" + re.escape(name.split()[0])))  # the htmx search pushes its address
    results = page.locator("#results")
    expect(results.locator("tbody tr")).to_have_count(1)
    row = results.locator("tbody tr", has_text=name)
    expect(row).to_contain_text(STATUS_LABELS["submitted"])
    row.get_by_role("link", name=name).click()

    # The administrative check: the system's result beside the documents, confirmed by the panel.
    expect(page.get_by_role("heading", level=1)).to_have_text(name)
    expect(status_badge(page)).to_have_text(STATUS_LABELS["submitted"])
    check = page.locator("section[aria-labelledby=check-title]")
    expect(check).to_contain_text("memenuhi semua persyaratan")
    expect(check.locator(".badge-off")).to_have_count(0)
    expect(page.locator("section[aria-labelledby=documents-title] li")).to_have_count(3)
    decision = page.locator("section[aria-labelledby=decision-title]")
    decision.get_by_label("Memenuhi persyaratan administratif", exact=True).check()
    decision.get_by_label("Alasan (wajib bila berbeda dari hasil pemeriksaan sistem)").fill(ADMIN_REASON)
    decision.get_by_role("button", name="Simpan keputusan").click()
    expect(flash(page)).to_have_text("Lamaran dinyatakan memenuhi persyaratan administratif.")
    expect(status_badge(page)).to_have_text(STATUS_LABELS["admin_passed"])
    expect(page.locator("section[aria-labelledby=decision-title]")).to_have_count(0)

    # The interview call letter, from the board, to this applicant only.
    page.get_by_role("link", name=round_title).click()
    letter = page.locator("section[aria-labelledby=letter-wawancara-title]")
    expect(letter).to_contain_text("1 pelamar menunggu surat ini.")
    event_day = dt.date.today() + dt.timedelta(days=7)
    letter.get_by_label("Awalan nomor surat").fill(LETTER_PREFIX)
    letter.get_by_label("Tanggal surat").fill(dt.date.today().isoformat())
    letter.get_by_label("Tanggal pelaksanaan").fill(event_day.isoformat())
    letter.get_by_label("Pukul").fill("10:30")
    letter.get_by_label("Tempat").fill("Ruang Rapat Diskominfostandi, Lt. 3")
    letter.get_by_label("Hanya pelamar yang dicentang").check()
    letter.locator("summary", has_text="Pilih pelamar").click()
    letter.get_by_label(name, exact=True).check()
    letter.get_by_role("button", name="Buat surat panggilan").click()
    expect(flash(page)).to_have_text("1 surat panggilan dibuat.")
    expect(page.locator("section[aria-labelledby=letter-wawancara-title]")).to_have_count(0)

    page.wait_for_load_state()
    page.get_by_label("Cari nama atau NIK").fill(name)
    expect(page).to_have_url(re.compile("q=" + re.escape(name.split()[0])))
    row = page.locator("#results tbody tr", has_text=name)
    expect(page.locator("#results tbody tr")).to_have_count(1)
    expect(row).to_contain_text(STATUS_LABELS["interview"])
    row.get_by_role("link", name=name).click()
    expect(status_badge(page)).to_have_text(STATUS_LABELS["interview"])
    expect(page.locator("section[aria-labelledby=letters-title]")).to_contain_text(f"{LETTER_PREFIX}/001")

    # The interview, then the practical test: score, close the stage, the status moves on.
    for slug, heading, score, label in (
        ("wawancara", "Wawancara", INTERVIEW_SCORE, "practical"),
        ("praktik", "Uji kompetensi teknis metode praktek", PRACTICAL_SCORE, "passed"),
    ):
        stage = page.locator(f"section[aria-labelledby=stage-{slug}-title]")
        expect(stage.get_by_role("heading", level=2)).to_have_text(heading)
        expect(stage).to_contain_text("0 penilai sudah memberi nilai.")
        stage.get_by_label("Nilai (0–100)").fill(str(score))
        stage.get_by_label("Catatan").fill(f"{heading}: dinilai dalam uji peramban.")
        stage.get_by_role("button", name="Simpan nilai").click()
        expect(flash(page)).to_have_text("Nilai Anda disimpan.")
        stage = page.locator(f"section[aria-labelledby=stage-{slug}-title]")
        expect(stage).to_contain_text("1 penilai sudah memberi nilai.")
        expect(stage.locator("tbody tr")).to_contain_text(str(score))
        stage.get_by_role("button", name="Tutup tahap ini").click()
        expect(flash(page)).to_contain_text(f"nilai rata-rata {score},00, lolos")
        expect(status_badge(page)).to_have_text(STATUS_LABELS[label])
        expect(page.locator(f"section[aria-labelledby=stage-{slug}-title]")).to_contain_text(
            f"Nilai rata-rata {score},00; batas lulus 70."
        )
    return board_url


# --- 3. registration closes ----------------------------------------------------------------------------


def close_registration(page, round_id: str, round_title: str) -> None:
    page.goto(f"/kelola-seleksi/{round_id}")
    expect(page.get_by_role("heading", level=1)).to_have_text(round_title)
    status = page.locator("#round-status")
    expect(status.get_by_role("heading", level=2)).to_have_text("Status: Pendaftaran dibuka")
    status.get_by_role("button", name="Tutup pendaftaran").click()
    expect(flash(page)).to_have_text(f"Pendaftaran {round_title} ditutup.")
    expect(page.locator("#round-status h2")).to_have_text("Status: Pendaftaran ditutup")
    expect(page.get_by_role("button", name="Tutup pendaftaran")).to_have_count(0)


# --- 4. the ketua announces -----------------------------------------------------------------------------


def announce(page, round_title: str, name: str) -> None:
    page.goto("/panitia")
    page.get_by_role("link", name=round_title).click()
    page.get_by_role("button", name="Hasil dan peringkat").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Hasil dan peringkat")
    announcement = page.locator("section[aria-labelledby=announcement-title]")
    expect(announcement.locator(".flash-error")).to_have_count(0)  # nothing is still being assessed
    announcement.get_by_label("Nomor surat pengumuman").fill(ANNOUNCEMENT_NUMBER)
    announcement.get_by_label("Tanggal surat").fill(dt.date.today().isoformat())
    announcement.get_by_role("button", name="Umumkan hasil seleksi").click()

    expect(flash(page)).to_contain_text("Hasil seleksi diumumkan.")
    expect(page.locator("main h1 + p")).to_contain_text("Sudah diumumkan")
    expect(page.locator("section[aria-labelledby=announcement-title]")).to_contain_text(
        f"Diumumkan dengan surat nomor {ANNOUNCEMENT_NUMBER}"
    )
    expect(page.get_by_role("button", name="Surat pengumuman (PDF)")).to_be_visible()
    ranked = page.locator("section[aria-labelledby=group-1-title]")
    expect(ranked.get_by_role("heading", level=2)).to_contain_text("kuota 1")
    row = ranked.locator("tbody tr", has_text=name)
    expect(row.locator("td").first).to_have_text("1")
    expect(row.locator("td").last).to_have_text(STATUS_LABELS["selected"])
    final = INTERVIEW_SCORE * 30 / 100 + PRACTICAL_SCORE * 70 / 100  # the demo round's weights
    expect(row).to_contain_text(f"{final:.2f}".replace(".", ","))


# --- 5. the applicant sees the result ---------------------------------------------------------------------


def applicant_sees_result(page, login, person: dict[str, str], round_title: str) -> None:
    login(page, person["username"], person["password"])
    page.goto("/lamaran")
    mine = page.locator("article", has_text=round_title)
    expect(mine.locator(".badge")).to_have_text(STATUS_LABELS["selected"])
    mine.get_by_role("button", name="Lihat lamaran").click()

    expect(status_badge(page)).to_have_text(STATUS_LABELS["selected"])
    result = page.locator("#hasil")
    expect(result).to_contain_text(f"{STATUS_LABELS['selected']} · peringkat 1")
    expect(result).to_contain_text(f"Pengumuman nomor {ANNOUNCEMENT_NUMBER}")
    history = page.locator("#riwayat")
    for step, reason in (
        ("Lamaran diajukan", None),
        ("Pemeriksaan administratif", ADMIN_REASON),
        ("Surat pemanggilan wawancara", f"Surat {LETTER_PREFIX}/001"),
        ("Hasil wawancara", f"Nilai rata-rata wawancara {INTERVIEW_SCORE}"),
        ("Hasil uji kompetensi teknis", f"Nilai rata-rata uji kompetensi teknis {PRACTICAL_SCORE}"),
        ("Pengumuman hasil seleksi", "Peringkat 1, dalam kuota."),
    ):
        entry = history.locator("li", has_text=step)
        expect(entry).to_have_count(1)
        if reason:
            expect(entry).to_contain_text(reason)
    no_horizontal_scroll(page)

    # The call letter PDF, fetched with the applicant's own session.
    letters = page.locator("#surat")
    expect(letters).to_contain_text(f"{LETTER_PREFIX}/001")
    href = letters.get_by_role("button", name="Unduh surat (PDF)").get_attribute("href")
    response = page.context.request.get(href)
    assert response.ok, f"{href} answered {response.status}"
    assert response.headers["content-type"].startswith("application/pdf")
    assert response.body().startswith(b"%PDF")


def drafts_in_round(live_server, round_id: str) -> int:
    """Read only: the drafts still in the round (the demo applicant's)."""
    with live_server.app.app_context():
        count = db.session.scalar(
            select(func.count(Application.id)).where(
                Application.round_id == int(round_id), Application.status == ApplicationStatus.DRAFT
            )
        )
        db.session.remove()
    return count


def round_id_of(board_url: str) -> str:
    found = re.search(r"/panitia/seleksi/(\d+)", board_url)
    assert found, board_url
    return found.group(1)


def test_an_application_from_filing_to_announcement(new_page, login, live_server, tmp_path, screenshot):
    person = new_applicant()
    pdf_path = tmp_path / "dokumen-pelamar.pdf"
    pdf_path.write_bytes(DEMO_PDF)

    applicant = new_page(**PHONE)
    round_title = register_and_file(applicant, person, pdf_path)
    screenshot(applicant, "seleksi-lamaran-diajukan-390")

    panel = new_page()
    login(panel, "panel")
    board_url = panel_works_application(panel, round_title, person["name"])

    round_id = round_id_of(board_url)
    assert drafts_in_round(live_server, round_id) >= 1, "the demo data no longer leaves a draft in the round"
    admin = new_page()
    login(admin, "admin")
    close_registration(admin, round_id, round_title)

    ketua = new_page()
    login(ketua, "ketua")
    announce(ketua, round_title, person["name"])
    screenshot(ketua, "seleksi-hasil-diumumkan")
    assert drafts_in_round(live_server, round_id) >= 1, "announced with the draft left as it was"

    again = new_page(**PHONE)
    applicant_sees_result(again, login, person, round_title)
    screenshot(again, "seleksi-hasil-pelamar-390")
