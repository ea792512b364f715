"""Excel exports that stream: rows go straight to a temporary file on disk, so memory stays
flat however many rows a list has.

    xlsx_response("anggota-2026.xlsx", "Anggota", ["Nama", Column("Honor", "money"), "Mulai"], rows)

Dates and datetimes become real Excel dates, money real numbers shown as "Rp 15.250.000"
(Excel applies the reader's own thousands separator), and text is always text: a cell that
starts with "=" is never turned into a formula (spreadsheet formula injection).

openpyxl builds the workbook (styles, sheet settings, the package); the rows themselves are
written as XML text by this module. openpyxl's own write-only path makes a cell object and an
XML element per cell, about 12 µs a cell: 20,000 rows of the catalogue's 20 columns took 5–9 s,
where this takes under a second (issue 8 §2: ≤ 3 s).
"""

from __future__ import annotations

import datetime as dt
import decimal
import enum
import math
import re
import tempfile
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from flask import Response, send_file
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.utils.datetime import to_excel
from openpyxl.worksheet._write_only import WriteOnlyWorksheet
from openpyxl.worksheet._writer import WorksheetWriter
from openpyxl.xml.constants import SHEET_MAIN_NS
from openpyxl.xml.functions import tostring

XLSX_MIMETYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MONEY_FORMAT = '"Rp "#,##0'
NUMBER_FORMAT = "#,##0.##"
DATE_FORMAT = "dd/mm/yyyy"
DATETIME_FORMAT = "dd/mm/yyyy hh:mm"

KINDS = ("auto", "text", "number", "money", "date")
_DEFAULT_WIDTHS = {"money": 18, "date": 14, "number": 12}
_SHEET_TITLE_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")
# Characters XML 1.0 cannot carry (openpyxl's ILLEGAL_CHARACTERS_RE, plus lone surrogates and U+FFFE/U+FFFF).
_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_MAX_TEXT = 32767  # Excel's limit for one cell
_ROWS_PER_WRITE = 500


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


def _text_xml(value: str) -> str:
    """An inline string's ``<is>`` element: always text, never a formula, whatever it starts with."""
    if not value.isprintable():  # fast path: most text has no control character
        value = _ILLEGAL.sub("", value)
    if len(value) > _MAX_TEXT:
        value = value[:_MAX_TEXT]
    if not value:
        return ""
    if "&" in value or "<" in value or ">" in value or "\r" in value:
        value = value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\r", "&#13;")
    if value[0].isspace() or value[-1].isspace():
        return f'<is><t xml:space="preserve">{value}</t></is>'
    return f"<is><t>{value}</t></is>"


def _number(value: int | float) -> str:
    if isinstance(value, float):
        return "" if math.isnan(value) or math.isinf(value) else format(value, ".16g")
    return str(value) if -(10**15) < value < 10**15 else format(value, ".16g")


class _Styles:
    """The workbook's style index of each number format (registered once, then used by number)."""

    def __init__(self, sheet: WriteOnlyWorksheet) -> None:
        def style(number_format: str | None = None, heading: bool = False) -> str:
            cell = WriteOnlyCell(sheet)
            if number_format:
                cell.number_format = number_format
            if heading:
                cell.font = Font(bold=True)
                cell.alignment = Alignment(vertical="top", wrap_text=True)
            return str(cell.style_id)

        self.heading = style(heading=True)
        self.money = style(MONEY_FORMAT)
        self.date = style(DATE_FORMAT)
        self.datetime = style(DATETIME_FORMAT)
        self.number = style(NUMBER_FORMAT)


class _RowWriter:
    """Turns plain values into a ``<row>`` of cells, one column kind at a time."""

    def __init__(self, sheet: WriteOnlyWorksheet, kinds: Sequence[str]) -> None:
        self.styles = _Styles(sheet)
        self.epoch = sheet.parent.epoch
        self.kinds = list(kinds)
        self.letters = [get_column_letter(i) for i in range(1, len(self.kinds) + 1)]

    def cell(self, ref: str, value: Any, kind: str) -> str:
        if isinstance(value, enum.Enum):
            value = value.value
            if value is None:
                return ""
        kind_of_value = type(value)
        if kind_of_value is str and kind != "money":
            text = _text_xml(value)
            return f'<c r="{ref}" t="inlineStr">{text}</c>' if text else ""
        if kind == "money" and isinstance(value, int | float | decimal.Decimal) and kind_of_value is not bool:
            number = decimal.Decimal(str(value))
            if not number.is_finite():
                return ""
            plain = int(number) if number == number.to_integral_value() else float(number)
            return f'<c r="{ref}" s="{self.styles.money}" t="n"><v>{_number(plain)}</v></c>'
        if isinstance(value, dt.datetime):
            return f'<c r="{ref}" s="{self.styles.datetime}" t="n"><v>{_number(to_excel(value, self.epoch))}</v></c>'
        if isinstance(value, dt.date):
            return f'<c r="{ref}" s="{self.styles.date}" t="n"><v>{_number(to_excel(value, self.epoch))}</v></c>'
        if kind == "text":
            text = _text_xml(str(value))
            return f'<c r="{ref}" t="inlineStr">{text}</c>' if text else ""
        if isinstance(value, bool):
            return f'<c r="{ref}" t="b"><v>{int(value)}</v></c>'
        if isinstance(value, int | float):
            shown = _number(value)
            return f'<c r="{ref}" t="n"><v>{shown}</v></c>' if shown else ""
        if isinstance(value, decimal.Decimal):
            if not value.is_finite():
                return ""
            return f'<c r="{ref}" s="{self.styles.number}" t="n"><v>{_number(float(value))}</v></c>'
        text = _text_xml(str(value))
        return f'<c r="{ref}" t="inlineStr">{text}</c>' if text else ""

    def row(self, index: int, values: Sequence[Any]) -> str:
        if len(values) > len(self.kinds):
            self.kinds += ["auto"] * (len(values) - len(self.kinds))
            self.letters = [get_column_letter(i) for i in range(1, len(self.kinds) + 1)]
        cells = "".join(
            [
                self.cell(f"{letter}{index}", value, kind)
                for letter, kind, value in zip(self.letters, self.kinds, values, strict=False)
                if value is not None
            ]
        )
        return f'<row r="{index}">{cells}</row>'

    def heading(self, titles: Sequence[str]) -> str:
        cells = "".join(
            f'<c r="{letter}1" s="{self.styles.heading}" t="inlineStr">{_text_xml(title)}</c>'
            for letter, title in zip(self.letters, titles, strict=False)
        )
        return f'<row r="1">{cells}</row>'


class _SheetWriter(WorksheetWriter):
    """openpyxl's worksheet writer with the XML going to a file this module may also write rows to:
    the elements openpyxl makes (views, columns, filter, margins) are serialised one by one, the
    rows are appended as text in between."""

    def get_stream(self):
        with open(self.out, "wb") as self.file:
            self.file.write(f'<worksheet xmlns="{SHEET_MAIN_NS}">'.encode())
            try:
                while True:
                    element = yield
                    if element is True:  # openpyxl's own row writing: never used on this sheet
                        raise TypeError("rows are written by pontive.core.excel")
                    if element is not None:
                        self.file.write(tostring(element))
            except GeneratorExit:
                self.file.write(b"</worksheet>")


class _StreamedSheet(WriteOnlyWorksheet):
    """A write-only sheet whose rows arrive as XML text (``write_rows``), not as cell objects."""

    def _get_writer(self):
        if self._writer is None:
            self._writer = _SheetWriter(self)
            self._writer.write_top()

    def write_rows(self, chunks: Iterable[str]) -> None:
        self._get_writer()
        out = self._writer.file
        out.write(b"<sheetData>")
        for chunk in chunks:
            out.write(chunk.encode("utf-8", "surrogatepass"))
        out.write(b"</sheetData>")
        self._rows = iter(_NO_ROWS)  # close() then writes the tail without asking for rows

    def append(self, row):  # noqa: ARG002 - the rows go through write_rows
        raise TypeError("use write_rows")


class _NoRows:
    def __iter__(self) -> Iterator[Any]:
        return self

    def __next__(self):
        raise StopIteration

    def close(self) -> None:
        pass


_NO_ROWS = _NoRows()


def write_xlsx(fileobj, sheet_title: str, headers: Sequence[str | Column], rows: Iterable[Sequence[Any]]) -> int:
    """Write one sheet to ``fileobj``; returns the number of data rows written."""
    columns = [_as_column(h) for h in headers]
    workbook = Workbook(write_only=True)
    sheet = _StreamedSheet(parent=workbook, title=safe_sheet_title(sheet_title))
    workbook._sheets.append(sheet)
    # Widths, the frozen heading and the filter must be set before the first row is written.
    for index, column in enumerate(columns, 1):
        sheet.column_dimensions[get_column_letter(index)].width = _column_width(column)
    sheet.freeze_panes = "A2"
    writer = _RowWriter(sheet, [c.kind for c in columns])
    count = 0

    def chunks() -> Iterator[str]:
        nonlocal count
        yield writer.heading([c.title for c in columns])
        batch: list[str] = []
        for row in rows:
            count += 1
            batch.append(writer.row(count + 1, row))
            if len(batch) >= _ROWS_PER_WRITE:
                yield "".join(batch)
                batch.clear()
        if batch:
            yield "".join(batch)

    sheet.write_rows(chunks())
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
