"""The yearly application report (seed 001 "Membuat laporan tahunan Aplikasi"; issue 7 §4): the
figures, the PDF (read back with pypdf) and the Excel (read back with openpyxl), city-wide and for one
OPD, built with a number of queries that does not grow with the number of applications."""

from __future__ import annotations

import datetime as dt
import io
from contextlib import contextmanager

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader
from sqlalchemy import event

from pontive.catalogue import reports, services
from pontive.catalogue.demo import load_sop_steps
from pontive.core.letters import render_pdf
from pontive.extensions import db as _db
from tests import factories

YEAR = 2026
TODAY = dt.date(2026, 11, 20)
NOW = dt.datetime(2026, 11, 20, 10, 0)


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


def record(db, actor, opd, name: str, **fields):
    data = {"name": name, "owner_opd_id": opd.id, "status": "production", "kind": "web", **fields}
    return services.save_app(db, actor, data)


@pytest.fixture()
def city(db):
    """Two OPDs: Dinkes with three applications (one project late on the SOP, one handed over), Disdik with one."""
    load_sop_steps(db)
    db.commit()
    admin = factories.make_user(roles=["admin"])
    dinkes = factories.make_opd("Dinas Kesehatan", short_name="Dinkes")
    disdik = factories.make_opd("Dinas Pendidikan", short_name="Disdik")
    simpus = record(db, admin, dinkes, "SIMPUS Puskesmas", kind="web")
    record(db, admin, dinkes, "Bekasi Sehat", kind="android", status="development")
    simrs = record(db, admin, dinkes, "SIMRS", kind="web", status="development")
    record(db, admin, disdik, "Dapodik-sync", kind="api", warranty_until=dt.date(2026, 12, 15))

    late = services.start_project(db, admin, simpus, "upgrade", "Peningkatan SIMPUS", "CV Sehat", YEAR)
    services.record_step(
        db, admin, late.steps[0], started_at=dt.datetime(2026, 10, 1, 8), finished_at=dt.datetime(2026, 10, 9, 8)
    )  # 8 days against 5: late
    services.record_step(db, admin, late.steps[1], started_at=dt.datetime(2026, 11, 10, 9))  # running, on time

    built = services.start_project(db, admin, simrs, "build", "Pembuatan SIMRS", "PT RS Digital", YEAR)
    start = dt.datetime(2026, 2, 2, 8)
    for step in built.steps:
        services.record_step(db, admin, step, started_at=start, finished_at=start + dt.timedelta(minutes=10))
        start += dt.timedelta(hours=1)
    services.hand_over(db, admin, built, dt.date(2026, 3, 1), "ASET/RSUD/2026/1")  # warranty to 28 Feb 2027
    return {"dinkes": dinkes, "disdik": disdik, "admin": admin}


def test_the_figures_count_by_kind_and_status_and_the_sop_timeliness(db, city):
    report = reports.build_report(db, reports.ReportScope(YEAR), TODAY, NOW)
    assert report.total == 4
    assert report.by_status("production") == 3 and report.by_status("development") == 1  # SIMRS handed over
    assert report.by_kind("web") == 2 and report.by_kind("android") == 1 and report.by_kind("api") == 1
    assert [(r.name, r.total) for r in report.per_opd] == [("Dinas Kesehatan", 3), ("Dinas Pendidikan", 1)]
    assert report.projects_total == 2 and report.late_projects == 1 and report.handed_over == 1
    rows = {r.project.title: r.steps for r in report.projects}
    assert rows["Peningkatan SIMPUS"].late == 1 and rows["Peningkatan SIMPUS"].on_time == 0
    assert rows["Pembuatan SIMRS"].on_time == 10 and rows["Pembuatan SIMRS"].late == 0
    assert [a.name for a in report.warranties] == ["Dapodik-sync"]  # SIMRS's ends in 2027
    assert report.warranty_soon(report.warranties[0])  # 25 days after TODAY

    one = reports.build_report(db, reports.ReportScope(YEAR, city["disdik"]), TODAY, NOW)
    assert one.total == 1 and one.per_opd == [] and one.projects == []


def test_the_pdf_names_the_opd_and_gives_the_counts(app, db, city):
    scope = reports.ReportScope(YEAR, city["dinkes"])
    report = reports.build_report(db, scope, TODAY, NOW)
    with app.test_request_context():
        pdf = render_pdf(
            "letters/app_report.html",
            subject=f"Laporan Tahunan Aplikasi {YEAR}",
            report=report,
            scope=scope,
            printed=TODAY,
        )
    text = " ".join(" ".join((page.extract_text() or "").split()) for page in PdfReader(io.BytesIO(pdf)).pages)
    assert "LAPORAN TAHUNAN APLIKASI 2026" in text
    assert "Dinas Kesehatan" in text and "Dinas Pendidikan" not in text
    assert "Jumlah aplikasi tercatat: 3." in text
    assert "2 proyek, 1 dengan langkah terlambat, 1 sudah serah terima" in text
    assert "Peningkatan SIMPUS" in text and "Pembuatan SIMRS" in text


def test_the_pdf_and_excel_downloads_for_the_city(client, db, city):
    client.post(
        "/masuk", data={"username": factories.make_user(roles=["ketua"]).username, "password": factories.PASSWORD}
    )
    response = client.get(f"/katalog/laporan.pdf?tahun={YEAR}")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    text = " ".join((page.extract_text() or "") for page in PdfReader(io.BytesIO(response.data)).pages)
    assert "Seluruh perangkat daerah" in text and "Dinas Pendidikan" in text and "Dapodik-sync" in text

    response = client.get(f"/katalog/laporan.xlsx?tahun={YEAR}")
    assert response.status_code == 200
    rows = list(load_workbook(io.BytesIO(response.data)).active.iter_rows(values_only=True))
    assert rows[0][:5] == ("No.", "Nama aplikasi", "OPD pemilik", "Jenis", "Status")
    by_name = {row[1]: row for row in rows[1:]}
    assert set(by_name) == {"SIMPUS Puskesmas", "Bekasi Sehat", "SIMRS", "Dapodik-sync"}
    assert by_name["SIMPUS Puskesmas"][9] == "Peningkatan SIMPUS" and by_name["SIMPUS Puskesmas"][11] == 1
    assert by_name["SIMRS"][10] == 10 and by_name["SIMRS"][6] == "ASET/RSUD/2026/1"
    assert by_name["Dapodik-sync"][8] == "Ya" and by_name["Dapodik-sync"][2] == "Dinas Pendidikan"

    response = client.get(f"/katalog/laporan.xlsx?tahun={YEAR}&opd={city['disdik'].id}")
    rows = list(load_workbook(io.BytesIO(response.data)).active.iter_rows(values_only=True))
    assert [row[1] for row in rows[1:]] == ["Dapodik-sync"]


def test_the_report_takes_as_many_queries_for_five_applications_as_for_forty(db, city):
    def queries() -> int:
        with counting_queries() as count:
            report = reports.build_report(db, reports.ReportScope(YEAR), TODAY, NOW)
            _ = [(r.project.app.owner_opd.name, r.steps.late) for r in report.projects]
            _ = [a.owner_opd.name for a in report.warranties]
            rows = list(reports.excel_rows(db, reports.ReportScope(YEAR), NOW))
        assert len(rows) == report.total
        return count[0]

    record(db, city["admin"], city["disdik"], "Tambahan 0", warranty_until=dt.date(2026, 6, 1))
    few = queries()
    for n in range(1, 36):
        opd = factories.make_opd() if n % 3 else city["dinkes"]
        record(db, city["admin"], opd, f"Tambahan {n}", warranty_until=dt.date(2026, 6, 1) if n % 2 else None)
    assert queries() == few


def test_lists_cut_at_their_limit_still_give_their_totals(db, city):
    """A list shorter than its limit is counted from its rows; one cut at the limit is counted in SQL."""
    scope = reports.ReportScope(YEAR)
    whole = reports.build_report(db, scope, TODAY, NOW)
    assert len(whole.projects) == whole.projects_total == 2
    assert [a.name for a in whole.warranties] == ["Dapodik-sync"] and whole.warranties_total == 1
    cut = reports.build_report(db, scope, TODAY, NOW, limit=1)
    assert len(cut.projects) == 1 and cut.projects_total == 2
    assert len(cut.warranties) == 1 and cut.warranties_total == 1
    record(db, city["admin"], city["disdik"], "Garansi Kedua", warranty_until=dt.date(2026, 7, 1))
    cut = reports.build_report(db, scope, TODAY, NOW, limit=1)
    assert [a.name for a in cut.warranties] == ["Garansi Kedua"] and cut.warranties_total == 2
