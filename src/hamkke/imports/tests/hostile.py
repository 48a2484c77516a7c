"""Hostile import files (issue 11, findings 2-3), made on demand so that the repository holds the
recipe, not 200 MB: each is a real xlsx (a workbook written by openpyxl whose sheet XML is replaced)
or CSV, small on disk, and claims or unpacks to far more than it holds."""

from __future__ import annotations

import functools
import io
import zipfile
from collections.abc import Iterable, Iterator
from xml.sax.saxutils import escape

from .helpers import HOUSEHOLD_HEADER, household_row, xlsx_bytes

SHEET = "xl/worksheets/sheet1.xml"
OPEN = b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
CLOSE = b"</sheetData></worksheet>"


def _column(index: int) -> str:
    name = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        name = chr(65 + rest) + name
    return name


def row_xml(number: int, values: list, *, first_column: int = 0) -> bytes:
    cells = "".join(
        f'<c r="{_column(first_column + i)}{number}" t="inlineStr"><is><t>{escape(str(v))}</t></is></c>'
        for i, v in enumerate(values)
        if v != ""
    )
    return f'<row r="{number}">{cells}</row>'.encode()


def good_rows() -> list[bytes]:
    return [
        row_xml(1, HOUSEHOLD_HEADER),
        row_xml(2, household_row("H-1", "김하나", "1950-02-03")),
        row_xml(3, household_row("H-1", "이둘", "1952-07-08", sex="남", relation="배우자")),
    ]


def xlsx_with_sheet(chunks: Iterable[bytes], *, dimension: str = "") -> bytes:
    """An openpyxl workbook whose first sheet is the given XML (streamed into the zip, level 9)."""
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(xlsx_bytes(["x"], []))) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as target,
    ):
        for item in source.infolist():
            if item.filename != SHEET:
                target.writestr(item.filename, source.read(item.filename))
                continue
            with target.open(SHEET, "w", force_zip64=True) as sheet:
                sheet.write(OPEN)
                if dimension:
                    sheet.write(f'<dimension ref="{dimension}"/>'.encode())
                sheet.write(b"<sheetData>")
                for chunk in chunks:
                    sheet.write(chunk)
                sheet.write(CLOSE)
    return out.getvalue()


@functools.cache
def malformed_cell() -> bytes:
    """Row 4 has a number cell holding text: openpyxl raises while iterating the rows."""
    bad = b'<row r="4"><c r="A4" t="inlineStr"><is><t>H-2</t></is></c><c r="F4" t="n"><v>not-a-number</v></c></row>'
    return xlsx_with_sheet([*good_rows(), bad])


@functools.cache
def huge_dimension() -> bytes:
    """Claims 16,384 columns by 4,000 rows, and has a cell in the last column of row 4,000."""
    far = b'<row r="4000"><c r="XFD4000" t="inlineStr"><is><t>x</t></is></c></row>'
    return xlsx_with_sheet([*good_rows(), far], dimension="A1:XFD4000")


@functools.cache
def million_rows_claimed() -> bytes:
    """Claims (and ends at) row 1,048,576, Excel's last: a million empty rows in between."""
    last = b'<row r="1048576"><c r="Z1048576" t="inlineStr"><is><t>x</t></is></c></row>'
    return xlsx_with_sheet([*good_rows(), last], dimension="A1:XFD1048576")


def _many_rows(count: int) -> Iterator[bytes]:
    yield row_xml(1, HOUSEHOLD_HEADER)
    for number in range(2, count + 2):
        yield row_xml(number, [f"K-{number}"])


@functools.cache
def too_many_rows(count: int = 60_000) -> bytes:
    """More rows than the 50,000 limit, each non-blank."""
    return xlsx_with_sheet(_many_rows(count))


@functools.cache
def zip_bomb(megabytes: int = 200) -> bytes:
    """A sheet that unpacks to ``megabytes`` MB of blanks (about 1,000:1): a few hundred KB on disk."""
    block = b" " * (1024 * 1024)
    return xlsx_with_sheet([*good_rows(), *(block for _ in range(megabytes))])


@functools.cache
def csv_long_line(megabytes: int = 16) -> bytes:
    """One CSV line of ``megabytes`` MB of two-letter cells (millions of fields in one row)."""
    header = ",".join(HOUSEHOLD_HEADER).encode()
    return header + b"\r\n" + b"ab," * (megabytes * 1024 * 1024 // 3) + b"\r\n"


@functools.cache
def csv_too_many_rows(count: int = 60_000) -> bytes:
    lines = [",".join(HOUSEHOLD_HEADER)] + [f"K-{n}" for n in range(count)]
    return "\r\n".join(lines).encode()
