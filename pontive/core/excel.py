"""Excel exports that stream: rows go straight to a temporary file on disk, so memory stays
flat however many rows a list has.

    xlsx_response("anggota-2026.xlsx", "Anggota", ["Nama", Column("Honor", "money"), "Mulai"], rows)

Dates and datetimes become real Excel dates, money real numbers shown as "Rp 15.250.000"
(Excel applies the reader's own thousands separator), and text is always text: a cell that
starts with "=" is never turned into a formula (spreadsheet formula injection).
"""

from __future__ import annotations

import datetime as dt
import decimal
import enum
import re
import tempfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from flask import Response, send_file
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

XLSX_MIMETYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MONEY_FORMAT = '"Rp "#,##0'
NUMBER_FORMAT = "#,##0.##"
DATE_FORMAT = "dd/mm/yyyy"
DATETIME_FORMAT = "dd/mm/yyyy hh:mm"

KINDS = ("auto", "text", "number", "money", "date")
_DEFAULT_WIDTHS = {"money": 18, "date": 14, "number": 12}
_SHEET_TITLE_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")


@dataclass(frozen=True)
class Column:
    """A column heading with what its values are (``auto`` looks at each value) and its width."""

    title: str
    kind: str = "auto"
    width: float | None = None

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"unknown column kind {self.kind!r}")


def _as_column(header: str | Column) -> Column:
    return header if isinstance(header, Column) else Column(str(header))


def _column_width(column: Column) -> float:
    if column.width is not None:
        return column.width
    return max(len(column.title) + 4, _DEFAULT_WIDTHS.get(column.kind, 12))


def safe_sheet_title(title: str) -> str:
    """Excel refuses []:*?/\\ in a sheet name and more than 31 characters."""
    cleaned = " ".join(_SHEET_TITLE_FORBIDDEN.sub(" ", title or "").split()).strip("'")
    return cleaned[:31] or "Data"


class _Cells:
    """Turns plain values into what a write-only sheet can append, one column kind at a time."""

    def __init__(self, sheet) -> None:
        self.sheet = sheet

    def _styled(self, value: Any, number_format: str) -> WriteOnlyCell:
        cell = WriteOnlyCell(self.sheet, value=value)
        cell.number_format = number_format
        return cell

    def text(self, value: Any) -> Any:
        text = ILLEGAL_CHARACTERS_RE.sub("", str(value))
        if text.startswith("="):
            cell = WriteOnlyCell(self.sheet, value=text)
            cell.data_type = "s"  # text, never a formula
            return cell
        return text

    def convert(self, value: Any, kind: str) -> Any:
        if value is None:
            return None
        if isinstance(value, enum.Enum):
            value = value.value
        if kind == "money" and isinstance(value, int | float | decimal.Decimal) and not isinstance(value, bool):
            number = decimal.Decimal(str(value))
            plain = int(number) if number == number.to_integral_value() else float(number)
            return self._styled(plain, MONEY_FORMAT)
        if isinstance(value, dt.datetime):
            return self._styled(value, DATETIME_FORMAT)
        if isinstance(value, dt.date):
            return self._styled(value, DATE_FORMAT)
        if kind == "text":
            return self.text(value)
        if isinstance(value, bool | int | float):
            return value
        if isinstance(value, decimal.Decimal):
            return self._styled(float(value), NUMBER_FORMAT)
        return self.text(value)


def write_xlsx(fileobj, sheet_title: str, headers: Sequence[str | Column], rows: Iterable[Sequence[Any]]) -> int:
    """Write one sheet to ``fileobj``; returns the number of data rows written."""
    columns = [_as_column(h) for h in headers]
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(safe_sheet_title(sheet_title))
    # Widths, the frozen heading and the filter must be set before the first row is written.
    for index, column in enumerate(columns, 1):
        sheet.column_dimensions[get_column_letter(index)].width = _column_width(column)
    sheet.freeze_panes = "A2"
    cells = _Cells(sheet)
    bold = Font(bold=True)
    wrap = Alignment(vertical="top", wrap_text=True)
    heading = []
    for column in columns:
        cell = WriteOnlyCell(sheet, value=ILLEGAL_CHARACTERS_RE.sub("", column.title))
        cell.font = bold
        cell.alignment = wrap
        heading.append(cell)
    sheet.append(heading)
    count = 0
    kinds = [c.kind for c in columns]
    for row in rows:
        sheet.append([cells.convert(value, kinds[i] if i < len(kinds) else "auto") for i, value in enumerate(row)])
        count += 1
    if columns:
        sheet.auto_filter.ref = f"A1:{get_column_letter(len(columns))}{count + 1}"
    workbook.save(fileobj)
    return count


def xlsx_response(
    filename: str, sheet_title: str, headers: Sequence[str | Column], rows_iterable: Iterable[Sequence[Any]]
) -> Response:
    """An .xlsx download of ``rows_iterable`` (consumed once, row by row), streamed from a
    temporary file that is removed when the response is closed."""
    if not filename.lower().endswith(".xlsx"):
        filename = f"{filename}.xlsx"
    spool = tempfile.TemporaryFile(prefix="pontive-xlsx-")  # noqa: SIM115 - closed by the response
    try:
        write_xlsx(spool, sheet_title, headers, rows_iterable)
        size = spool.seek(0, 2)
        spool.seek(0)
        response = send_file(spool, mimetype=XLSX_MIMETYPE, as_attachment=True, download_name=filename, max_age=0)
    except BaseException:
        spool.close()
        raise
    response.content_length = size
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Cache-Control"] = "private, no-store"
    return response
