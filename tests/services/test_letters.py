"""Letters as PDF: the one letterhead on every letter, Indonesian dates, the logo let through
by the resource policy and nothing else."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import pytest
from pypdf import PdfReader
from werkzeug.datastructures import FileStorage
from xhtml2pdf.config.resources import ResourceAccessError

from pontive.core import letters, services
from pontive.core.letters import LetterError, pdf_response, render_pdf
from pontive.core.settings_views import sample_letter_context
from tests import factories
from tests.services.test_uploads import png_bytes

DAY = dt.date(2026, 11, 23)


def pdf_text(pdf: bytes) -> str:
    """The letter's words, with line breaks and runs of spaces made single spaces."""
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    return " ".join(text.split())


def image_xobjects(pdf: bytes) -> list:
    """Every image XObject in the document, also those wrapped in form XObjects."""
    found = []

    def walk(resources):
        xobjects = resources.get("/XObject") if resources else None
        if not xobjects:
            return
        for ref in xobjects.values():
            obj = ref.get_object()
            if obj.get("/Subtype") == "/Image":
                found.append(obj)
            elif obj.get("/Subtype") == "/Form":
                walk(obj.get("/Resources"))

    for page in PdfReader(io.BytesIO(pdf)).pages:
        walk(page.get("/Resources"))
    return found


@pytest.fixture()
def ctx(app, db):
    with app.test_request_context("/"):
        yield


def save_letterhead_with_logo(db, logo: bytes | None = None):
    admin = factories.make_user("admin_kop", roles=["admin"])
    data = {
        "government": "PEMERINTAH KOTA BEKASI",
        "agency": "DINAS KOMINFO UJI",
        "address": "Jl. Uji 1",
        "city": "Bekasi",
    }
    logo_file = FileStorage(io.BytesIO(logo), filename="logo.png") if logo else None
    return services.save_letterhead(db, admin, data, logo_file)


def test_the_sample_letter_carries_the_letterhead_the_number_and_an_indonesian_date(ctx, db):
    pdf = render_pdf("letters/sample.html", **{**sample_letter_context(DAY), "number": "800/123/Diskominfo/2026"})
    assert pdf.startswith(b"%PDF-")
    text = pdf_text(pdf)
    assert "PEMERINTAH KOTA BEKASI" in text
    assert "DINAS KOMUNIKASI, INFORMATIKA, STATISTIK DAN PERSANDIAN" in text  # the city's default
    assert "Bekasi, 23 November 2026" in text
    assert "800/123/Diskominfo/2026" in text
    assert "Contoh Surat" in text
    assert "Tembusan" in text and "Sekretaris Daerah" in text


def test_a_saved_letterhead_replaces_the_default_on_every_letter(ctx, db):
    save_letterhead_with_logo(db)
    text = pdf_text(render_pdf("letters/sample.html", **sample_letter_context(DAY)))
    assert "DINAS KOMINFO UJI" in text
    assert "Jl. Uji 1" in text
    assert "STATISTIK DAN PERSANDIAN" not in text


def test_the_letter_date_is_indonesian_even_for_a_reader_who_chose_english(app, db):
    with app.test_request_context("/", headers={"Cookie": "pontive_lang=en"}):
        pdf = render_pdf("letters/sample.html", **sample_letter_context(dt.date(2026, 8, 17)))
    text = pdf_text(pdf)
    assert "17 Agustus 2026" in text
    assert "August" not in text


def test_a_letterhead_with_a_png_logo_shows_the_logo(ctx, db):
    save_letterhead_with_logo(db, png_bytes((120, 80)))
    pdf = render_pdf("letters/sample.html", **sample_letter_context(DAY))
    images = image_xobjects(pdf)
    assert images, "the resource policy kept the logo out"
    assert (images[0]["/Width"], images[0]["/Height"]) == (120, 80)


def test_a_letterhead_without_a_logo_has_no_image(ctx, db):
    save_letterhead_with_logo(db)
    assert image_xobjects(render_pdf("letters/sample.html", **sample_letter_context(DAY))) == []


def test_letterhead_text_is_printed_as_text_not_markup(ctx, db):
    admin = factories.make_user("admin_html", roles=["admin"])
    data = {"government": "PEMKOT", "agency": "<b>DINAS</b> & CO", "address": "Jl. A", "city": "Bekasi"}
    services.save_letterhead(db, admin, data)
    assert "<b>DINAS</b> & CO" in pdf_text(render_pdf("letters/sample.html", **sample_letter_context(DAY)))


def test_the_renderer_may_read_only_static_and_uploads_and_nothing_remote(ctx, app):
    policy = letters.resource_policy()
    for url in ["http://169.254.169.254/latest/meta-data/", "https://example.com/logo.png"]:
        with pytest.raises(ResourceAccessError):
            policy.check_url(url)
    with pytest.raises(ResourceAccessError):
        policy.check_path("/etc/passwd")
    with pytest.raises(ResourceAccessError):
        policy.check_path(Path(app.config["INSTANCE_DIR"]) / "secret_key")
    policy.check_path(Path(app.static_folder) / "css" / "app.css")
    policy.check_path(Path(app.config["UPLOAD_DIR"]) / "ab" / "ab00")


def test_a_failed_render_raises_instead_of_returning_a_broken_pdf(ctx, db, monkeypatch):
    class Failed:
        err = 1

    monkeypatch.setattr(letters.pisa, "CreatePDF", lambda *a, **kw: Failed())
    with pytest.raises(LetterError):
        render_pdf("letters/sample.html", **sample_letter_context(DAY))


def test_a_pdf_response_opens_in_the_browser_or_downloads(ctx):
    shown = pdf_response(b"%PDF-1.4 x", "Surat Tugas.pdf")
    assert shown.mimetype == "application/pdf"
    assert shown.headers["Content-Disposition"].startswith("inline;")
    assert shown.headers["X-Content-Type-Options"] == "nosniff"
    saved = pdf_response(b"%PDF-1.4 x", "Surat–Tugas.pdf", inline=False)
    assert saved.headers["Content-Disposition"].startswith("attachment;")
    assert "filename*=UTF-8''" in saved.headers["Content-Disposition"]
