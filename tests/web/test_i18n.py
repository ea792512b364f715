"""English is one cookie away (issue 2 §7): Indonesian by default (`<html lang="id">`), English from
pontive/translations/en. The catalogue must translate every string the code and templates use, so a
string added without its English fails here (run `make translations-update`, translate, commit)."""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from pathlib import Path

import pytest
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from flask import render_template_string

from pontive.core.i18n import LANG_COOKIE
from tests import factories
from tests.contract_factories import make_contract
from tests.recruitment_factories import make_round
from tests.team_factories import make_koordinator, make_member

ROOT = Path(__file__).resolve().parents[2]
PO = ROOT / "pontive" / "translations" / "en" / "LC_MESSAGES" / "messages.po"
# The keywords of `make translations-update` (-k _l -k N_ -k lazy_gettext) besides Babel's defaults.
KEYWORDS = {**DEFAULT_KEYWORDS, "_l": None, "N_": None, "lazy_gettext": None}
PLACEHOLDER = re.compile(r"%\([a-z_]+\)s|%%|%[sd]|\{[a-z_]+\}")
TAG = re.compile(r"</?[a-zA-Z][^>]*>")


def read_catalogue():
    with PO.open("rb") as f:
        return read_po(f)


@pytest.fixture(scope="module")
def en_app(make_app, app, tmp_path_factory):
    """The app with the English catalogue compiled from the .po as it stands (the .mo files are
    git-ignored and `make translations` may not have run), on the suite's test database."""
    out = tmp_path_factory.mktemp("translations") / "en" / "LC_MESSAGES"
    out.mkdir(parents=True)
    with (out / "messages.mo").open("wb") as f:
        write_mo(f, read_catalogue())
    return make_app(BABEL_TRANSLATION_DIRECTORIES=str(out.parent.parent))


@pytest.fixture()
def en(en_app, db):
    """A client that chose English (the language cookie set by /bahasa/en)."""
    client = en_app.test_client()
    client.set_cookie(LANG_COOKIE, "en")
    return client


def sign_in(client, user) -> None:
    response = client.post("/masuk", data={"username": user.username, "password": factories.PASSWORD})
    assert response.status_code == 302, response.get_data(as_text=True)


def page(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return response.get_data(as_text=True)


def text_of(body: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", body).split())


# --- the catalogue ---------------------------------------------------------------------------------


def test_every_entry_is_translated_and_none_is_fuzzy():
    catalogue = read_catalogue()
    assert not catalogue.fuzzy, "the catalogue header is marked fuzzy: pybabel compile would skip it"
    untranslated = [m.id for m in catalogue if m.id and not m.string]
    fuzzy = [m.id for m in catalogue if m.id and m.fuzzy]
    assert not untranslated, f"{len(untranslated)} msgids without English, e.g. {untranslated[:5]}"
    assert not fuzzy, f"{len(fuzzy)} fuzzy entries to review, e.g. {fuzzy[:5]}"


def test_translations_keep_placeholders_and_markup():
    """A lost %(name)s fails at run time; a lone % breaks a template string, which Jinja formats."""
    wrong = []
    for m in read_catalogue():
        if not m.id:
            continue
        if Counter(PLACEHOLDER.findall(m.id)) != Counter(PLACEHOLDER.findall(m.string)):
            wrong.append((m.id, m.string))
        elif sorted(TAG.findall(m.id)) != sorted(TAG.findall(m.string)):
            wrong.append((m.id, m.string))
    assert not wrong, wrong[:5]
    assert not [problem for problem in read_catalogue().check()], "babel's own python-format check"


def test_every_string_in_the_code_and_templates_is_in_the_catalogue():
    """Extract as `make translations-update` does: nothing added since the last update is missing."""
    with (ROOT / "babel.cfg").open() as f:
        method_map, options_map = parse_mapping_cfg(f)
    extracted = {
        message: f"{filename}:{lineno}"
        for filename, lineno, message, _comments, _context in extract_from_dir(
            str(ROOT), method_map, options_map, keywords=KEYWORDS
        )
        if message
    }
    translated = {m.id for m in read_catalogue() if m.id and m.string and not m.fuzzy}
    missing = {message: where for message, where in extracted.items() if message not in translated}
    assert not missing, (
        f"{len(missing)} strings have no English yet; run `make translations-update` and translate them "
        f"in {PO.relative_to(ROOT)}: {list(missing.items())[:8]}"
    )
    assert len(extracted) > 1000  # the extraction saw the whole application


def test_labels_kept_as_data_are_in_the_catalogue():
    """Templates translate labels with _(label): role, status and month names must be msgids."""
    from pontive.accounts.roles import ROLE_LABELS
    from pontive.catalogue import rules as catalogue_rules
    from pontive.contracts import rules as contract_rules
    from pontive.core import formats, nav
    from pontive.dashboard import cards
    from pontive.performance import rules as performance_rules
    from pontive.recruitment import rules as recruitment_rules
    from pontive.team import rules as team_rules

    translated = {m.id for m in read_catalogue() if m.id and m.string}
    labels = [
        *ROLE_LABELS.values(),
        *recruitment_rules.STATUS_LABELS.values(),
        *team_rules.TASK_STATUS_LABELS.values(),
        *catalogue_rules.STATUSES.values(),
        *contract_rules.LEAVE_KINDS.values(),
        *performance_rules.RATINGS.values(),
        *performance_rules.PREDIKATS,
        *formats.MONTHS["id"],
        *(item.label for item in nav._ITEMS),
        *(card.title for card in cards._CARDS.values()),
    ]
    assert not [label for label in labels if label not in translated]


# --- pages in English ------------------------------------------------------------------------------


def test_indonesian_is_the_default_and_bahasa_en_switches(en_app, db):
    client = en_app.test_client()
    assert '<html lang="id">' in page(client, "/masuk")
    response = client.get("/bahasa/en", headers={"Referer": "http://localhost/masuk"})
    assert response.status_code == 302 and response.headers["Location"].endswith("/masuk")
    assert f"{LANG_COOKIE}=en" in response.headers["Set-Cookie"]
    body = page(client, "/masuk")
    assert '<html lang="en">' in body and "Bahasa Indonesia" in body  # the way back
    client.get("/bahasa/id")
    assert '<html lang="id">' in page(client, "/masuk")


def test_login_page(en):
    body = page(en, "/masuk")
    assert '<html lang="en">' in body
    for english in ("Sign in to Pontive", "Username", "Password", "Sign in"):
        assert english in body
    for indonesian in ("Masuk ke Pontive", "Nama pengguna", "Kata sandi"):
        assert indonesian not in body


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("admin", ["System Administrator", "Users", "Audit log"]),
        ("anggota", ["Programmer Team Member", "My tasks", "Monthly reports"]),
        ("koordinator", ["OPD Coordinator", "OPD task board"]),
        ("ppk", ["Commitment-Making Officer (PPK)", "Leave awaiting a decision", "Contracts ending within 30 days"]),
        ("pelamar", ["Applicant", "My applications"]),
    ],
)
def test_dashboards(en, role, expected):
    sign_in(en, factories.make_user(f"{role}_en", roles=[role], full_name="Dewi Lestari"))
    body = page(en, "/dasbor")
    assert '<html lang="en">' in body
    text = text_of(body)
    for english in ["Welcome, Dewi Lestari", "Dashboard", "My account", "Sign out", *expected]:
        assert english in text, english
    for indonesian in ("Selamat datang", "Dasbor", "Akun saya", "Keluar"):
        assert indonesian not in text, indonesian


def test_team_and_performance_pages(en):
    opd = factories.make_opd()
    make_koordinator(opd)
    member = make_member(opd, "anggota_en").member
    sign_in(en, member)
    tasks = text_of(page(en, "/tim/tugas-saya"))
    assert "My tasks" in tasks and "Tugas saya" not in tasks
    months = text_of(page(en, "/kinerja/laporan"))
    assert "Monthly reports" in months and "Performance plan" in months
    assert "Laporan bulanan" not in months and "Rencana kinerja" not in months


def test_selection_and_catalogue_pages(en):
    selection_round = make_round(title="Seleksi Tim Programmer 2026")
    rounds = text_of(page(en, "/seleksi"))
    assert "Seleksi Tim Programmer 2026" in rounds  # data stays as written
    assert "Choose a selection, read its requirements" in rounds
    detail = text_of(page(en, f"/seleksi/{selection_round.id}"))
    assert "General requirements" in detail and "Persyaratan umum" not in detail

    sign_in(en, factories.make_user("operator_en", roles=["admin"]))
    catalogue = text_of(page(en, "/katalog"))
    for english in ("Application catalogue", "All statuses", "Download Excel"):
        assert english in catalogue, english
    assert "Katalog aplikasi" not in catalogue and "Semua status" not in catalogue


def test_dates_read_in_english_and_rupiah_stays_rupiah(en_app):
    with en_app.test_request_context(headers={"Cookie": f"{LANG_COOKIE}=en"}):
        rendered = render_template_string(
            "{{ d|tanggal }} | {{ a|tanggal }} | {{ d|tanggal(weekday=True) }} | {{ x|rupiah }} | {{ _(month_name) }}",
            d=dt.date(2026, 11, 23),
            a=dt.date(2026, 8, 17),
            x=15_250_000,
            month_name="Agustus",
        )
    assert rendered == "23 November 2026 | 17 August 2026 | Monday, 23 November 2026 | Rp 15.250.000 | August"
    with en_app.test_request_context():
        assert render_template_string("{{ a|tanggal }} {{ x|rupiah }}", a=dt.date(2026, 8, 17), x=15_250_000) == (
            "17 Agustus 2026 Rp 15.250.000"
        )


def test_a_contract_in_english_keeps_its_rupiah_amounts(en):
    ppk = factories.make_user("ppk_en", roles=["ppk"])
    contract = make_contract(ppk=ppk, start=dt.date(2026, 8, 1), end=dt.date(2026, 12, 31))
    sign_in(en, ppk)
    text = text_of(page(en, f"/kontrak/{contract.id}"))
    assert "Rp 15.250.000" in text and "Rp 14.000.000" in text
    assert "1 August 2026" in text and "31 December 2026" in text
    assert "Agustus" not in text and "Desember" not in text
    assert "Contract details" in text and "Data kontrak" not in text
