"""Excel exports: a big list downloads as a real spreadsheet — dates are dates, money is a number
shown in rupiah, text never turns into a formula — without the server holding it in memory."""

from __future__ import annotations

import datetime as dt
import decimal
import enum
import io
import tempfile
import tracemalloc

import pytest
from openpyxl import load_workbook

from pontive.core.excel import MONEY_FORMAT, XLSX_MIMETYPE, Column, safe_sheet_title, write_xlsx, xlsx_response

HEADERS = ["Nama", "NIP", Column("Honor", "money"), "Mulai kontrak", "Dicatat", "Nilai"]
START = dt.date(2026, 1, 1)


def member_rows(n: int):
    for i in range(n):
        yield [
            f"Anggota {i + 1}",
            f"1990{i:014d}",
            decimal.Decimal("15250000") + i,
            START + dt.timedelta(days=i % 365),
            dt.datetime(2026, 1, 1, 8, 30) + dt.timedelta(minutes=i),
            decimal.Decimal("87.5"),
        ]


@pytest.fixture()
def ctx(app):
    with app.test_request_context("/"):
        yield


def body_of(response) -> bytes:
    data = b"".join(response.response)
    response.close()
    return data


def test_twenty_thousand_rows_download_as_a_spreadsheet_with_real_types(ctx):
    response = xlsx_response("anggota-2026.xlsx", "Anggota", HEADERS, member_rows(20_000))
    assert response.mimetype == XLSX_MIMETYPE
    assert response.headers["Content-Disposition"] == "attachment; filename=anggota-2026.xlsx"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    data = body_of(response)
    assert response.content_length == len(data)

    workbook = load_workbook(io.BytesIO(data), read_only=True)
    sheet = workbook["Anggota"]
    rows = sheet.iter_rows()
    header = next(rows)
    assert [c.value for c in header] == ["Nama", "NIP", "Honor", "Mulai kontrak", "Dicatat", "Nilai"]
    assert all(c.font.b for c in header)

    first = next(rows)
    assert first[0].value == "Anggota 1"
    assert first[1].value == "199000000000000000" and first[1].data_type == "s"  # a NIP stays text
    assert first[2].value == 15_250_000 and first[2].number_format == MONEY_FORMAT
    assert first[3].value == dt.datetime(2026, 1, 1) and first[3].is_date
    assert first[4].value == dt.datetime(2026, 1, 1, 8, 30) and first[4].is_date
    assert first[5].value == pytest.approx(87.5)

    last = None
    count = 1
    for last in rows:
        count += 1
    assert count == 20_000
    assert last[0].value == "Anggota 20000"
    assert last[2].value == 15_250_000 + 19_999
    assert last[3].value == dt.datetime.combine(START + dt.timedelta(days=19_999 % 365), dt.time())
    workbook.close()


def test_the_server_memory_does_not_grow_with_the_number_of_rows():
    def peak(n: int) -> int:
        tracemalloc.start()
        try:
            with tempfile.TemporaryFile() as fh:
                write_xlsx(fh, "Anggota", HEADERS, member_rows(n))
            return tracemalloc.get_traced_memory()[1]
        finally:
            tracemalloc.stop()

    small, large = peak(300), peak(3_000)
    assert large < small * 1.5 + 256 * 1024, (small, large)


def test_text_that_looks_like_a_formula_stays_text(tmp_path):
    path = tmp_path / "x.xlsx"
    with path.open("wb") as fh:
        write_xlsx(fh, "Data", ["Catatan"], [['=HYPERLINK("http://contoh.invalid","klik")'], ["+62 812"], ["biasa"]])
    sheet = load_workbook(path).active
    assert sheet["A2"].value == '=HYPERLINK("http://contoh.invalid","klik")'
    assert sheet["A2"].data_type == "s"
    assert sheet["A3"].value == "+62 812"


def test_columns_are_wide_enough_and_the_heading_stays_in_view(tmp_path):
    path = tmp_path / "x.xlsx"
    with path.open("wb") as fh:
        write_xlsx(
            fh, "Data", ["No", Column("Nama lengkap pegawai", width=40), Column("Honor", "money")], [[1, "A", 5]]
        )
    sheet = load_workbook(path).active
    assert sheet.column_dimensions["B"].width == 40
    assert sheet.column_dimensions["C"].width >= 18
    assert sheet.column_dimensions["A"].width >= 10
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == "A1:C2"


def test_empty_values_and_control_characters_do_not_break_the_file(tmp_path):
    path = tmp_path / "x.xlsx"
    with path.open("wb") as fh:
        count = write_xlsx(fh, "Data", ["A", "B"], [[None, "baris\x00satu\x07"], ["", "dua\nbaris"]])
    assert count == 2
    sheet = load_workbook(path).active
    assert sheet["A2"].value is None
    assert sheet["B2"].value == "barissatu"
    assert sheet["B3"].value == "dua\nbaris"


def test_sheet_names_and_file_names_are_made_acceptable(ctx):
    assert safe_sheet_title("Rekap: 2026/2027 [final]?") == "Rekap 2026 2027 final"
    assert len(safe_sheet_title("x" * 50)) == 31
    assert safe_sheet_title("///") == "Data"
    response = xlsx_response("Rekap Honor – Mei", "Rekap", ["A"], [])
    disposition = response.headers["Content-Disposition"]
    body_of(response)
    assert disposition.startswith("attachment;")
    assert "filename*=UTF-8''Rekap%20Honor%20%E2%80%93%20Mei.xlsx" in disposition


class Colour(enum.Enum):
    RED = "merah"


def test_text_keeps_its_spaces_markup_characters_and_line_breaks(tmp_path):
    path = tmp_path / "x.xlsx"
    values = ["  diawali spasi", "a & b < c > d", "baris\r\nbaru", "#N/A", "x" * 40_000, "\ufffeganjil\ud800"]
    with path.open("wb") as fh:
        write_xlsx(fh, "Data", ["Teks"], [[v] for v in values])
    sheet = load_workbook(path).active
    got = [sheet.cell(row=n, column=1) for n in range(2, 2 + len(values))]
    assert got[0].value == "  diawali spasi"
    assert got[1].value == "a & b < c > d"
    assert got[2].value == "baris\r\nbaru"
    assert got[3].value == "#N/A" and got[3].data_type == "s"  # text, not an error cell
    assert len(got[4].value) == 32_767  # Excel's limit for one cell
    assert got[5].value == "ganjil"


def test_values_of_every_kind_keep_their_type(tmp_path):
    path = tmp_path / "x.xlsx"
    with path.open("wb") as fh:
        write_xlsx(
            fh,
            "Data",
            [Column("Uang", "money"), Column("Kode", "text"), "Ya", "Angka", "Warna", "Jam"],
            [
                [decimal.Decimal("1500.50"), 12345, True, 2.5, Colour.RED, dt.time(8, 30), "kolom lebih"],
                [12.0, None, False, 10**17, None, None],
            ],
        )
    sheet = load_workbook(path).active
    assert sheet["A2"].value == pytest.approx(1500.5) and sheet["A2"].number_format == MONEY_FORMAT
    assert sheet["B2"].value == "12345" and sheet["B2"].data_type == "s"
    assert sheet["C2"].value is True and sheet["C3"].value is False
    assert sheet["D2"].value == 2.5
    assert sheet["E2"].value == "merah"
    assert sheet["F2"].value == "08:30:00"
    assert sheet["G2"].value == "kolom lebih"  # a row wider than its headings keeps its extra value
    assert sheet["A3"].value == 12 and sheet["A3"].number_format == MONEY_FORMAT
    assert sheet["B3"].value is None
    assert sheet["D3"].value == 10**17
    assert sheet.auto_filter.ref == "A1:F3"
