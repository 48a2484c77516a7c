"""The one guard against spreadsheet formulas in exported text (CSV/formula injection), and its inverse.

A cell whose text starts with one of FORMULA_STARTS would be run by a spreadsheet (an agency or a
description typed as ``=HYPERLINK(...)``). Exports write such text with a leading apostrophe (the
spreadsheet's own "this is text" mark); imports read a value written that way back without it.
"""

from __future__ import annotations

import csv
import io
import itertools
import tempfile
from collections.abc import Iterable, Iterator, Sequence

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def escape_formula(value):
    """Text a spreadsheet would run as a formula gets a leading apostrophe; other values pass unchanged."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def unescape_formula(text: str) -> str:
    """The inverse of ``escape_formula`` for a value read back from an exported file."""
    return text[1:] if text[:1] == "'" and text[1:2] in FORMULA_STARTS else text


# --- Writing files a row at a time --------------------------------------------------------------------
#
# Every export of rows goes through these writers, which apply the guard to each cell: a caller hands
# over plain values and cannot forget it. Both take an iterator of rows and give the file as an
# iterator of byte chunks, so that a year of records is never held in memory (issue 15 §4).

CSV_ROWS_PER_CHUNK = 1000
FILE_CHUNK_BYTES = 64 * 1024
CSV_CONTENT_TYPE = "text/csv; charset=utf-8"
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CONTENT_TYPES = {"csv": CSV_CONTENT_TYPE, "xlsx": XLSX_CONTENT_TYPE}


def guarded(row: Iterable) -> list:
    """A row of cells with the guard applied to each one."""
    return [escape_formula(value) for value in row]


def csv_chunks(header: Sequence[str], rows: Iterable[Sequence]) -> Iterator[bytes]:
    """CSV in UTF-8 with a BOM (Excel then reads Hangul correctly), a thousand rows per chunk."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([str(title) for title in header])
    yield ("\ufeff" + out.getvalue()).encode("utf-8")
    for batch in _batched(rows):
        out.seek(0)
        out.truncate()
        writer.writerows(guarded(row) for row in batch)
        yield out.getvalue().encode("utf-8")


def _batched(rows: Iterable[Sequence]) -> Iterator[list[Sequence]]:
    iterator = iter(rows)
    while batch := list(itertools.islice(iterator, CSV_ROWS_PER_CHUNK)):
        yield batch


def xlsx_chunks(header: Sequence[str], rows: Iterable[Sequence], *, title: str = "") -> Iterator[bytes]:
    """One sheet written with openpyxl's write-only mode (rows go to a temporary file as they come),
    then the finished workbook read back in chunks. The temporary file goes when the chunks are
    consumed or the iterator is closed (a download the client broke off)."""
    from openpyxl import Workbook

    with tempfile.TemporaryFile() as out:
        book = Workbook(write_only=True)
        sheet = book.create_sheet(title[:31] or None)
        sheet.append([str(title) for title in header])
        for row in rows:
            sheet.append(guarded(row))
        book.save(out)
        out.seek(0)
        while chunk := out.read(FILE_CHUNK_BYTES):
            yield chunk


def file_chunks(file_format: str, header: Sequence[str], rows: Iterable[Sequence], *, title: str = ""):
    """The file in ``file_format`` ("csv" or "xlsx") as byte chunks."""
    if file_format == "xlsx":
        return xlsx_chunks(header, rows, title=title)
    return csv_chunks(header, rows)
