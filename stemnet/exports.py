"""Every spreadsheet the portal hands out (CSV or XLSX) goes through this module, so that
no cell can run as a formula in Excel or LibreOffice and no control character can break
a file.

Use it for every new export::

    from stemnet.exports import write_csv, write_xlsx

    content = write_csv(rows, header)                 # bytes, UTF-8
    content = write_xlsx(rows, header, "Betalingen")  # bytes, one sheet

``rows`` is any iterable of sequences (a generator is fine). Each cell goes through
``safe_cell``: text starting with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return
gets a leading apostrophe (OWASP's advice against CSV injection), control characters are
removed; numbers, dates and None are written as they are.
"""

import csv
import io
from collections.abc import Iterable, Sequence
from datetime import date, datetime, time
from decimal import Decimal

from .validation import strip_control_characters

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")

CSV_CONTENT_TYPE = "text/csv; charset=utf-8"
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def safe_cell(value):
    """The value as it may go into a spreadsheet cell: text neutralised, other values
    (numbers, dates, None) unchanged. A bool stays a bool."""
    if value is None or isinstance(value, bool | int | float | Decimal | date | datetime | time):
        return value
    # Stripped before the prefix check ("\x1f=1" would otherwise become "=1"); tab and
    # carriage return are kept, so a leading one is neutralised below.
    text = strip_control_characters(str(value))
    if text.startswith(FORMULA_PREFIXES):
        text = "'" + text
    return text


def _safe_rows(rows: Iterable[Sequence]):
    for row in rows:
        yield [safe_cell(value) for value in row]


def write_csv(rows: Iterable[Sequence], header: Sequence[str]) -> bytes:
    """A CSV file (UTF-8, comma-separated, header row) with every cell neutralised."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([safe_cell(h) for h in header])
    for row in _safe_rows(rows):
        writer.writerow(["" if v is None else v for v in row])
    return out.getvalue().encode("utf-8")


def write_xlsx(rows: Iterable[Sequence], header: Sequence[str], sheet_title: str) -> bytes:
    """An XLSX workbook of one sheet with every cell neutralised; text stays text (a
    neutralised formula is stored as a string, never as a formula)."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.cell.cell import TYPE_STRING

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=safe_sheet_title(sheet_title))
    sheet.append([safe_cell(h) for h in header])
    for row in _safe_rows(rows):
        cells = []
        for value in row:
            if isinstance(value, str):
                cell = WriteOnlyCell(sheet, value=value)
                # openpyxl would read "=..." as a formula; safe_cell already prefixed it,
                # and the explicit type keeps any text a plain string.
                cell.data_type = TYPE_STRING
                cells.append(cell)
            else:
                cells.append(value)
        sheet.append(cells)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def safe_sheet_title(title: str) -> str:
    """Sheet titles may not hold []:*?/\\ and are at most 31 characters."""
    cleaned = "".join(c for c in strip_control_characters(title) if c not in "[]:*?/\\")
    return (cleaned.strip() or "Blad1")[:31]
