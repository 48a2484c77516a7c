"""Reading CSV and xlsx files into rows, and the column values into Python values.

Like a form, this only parses: what the value means for a case (a date before the case was
opened, an RRN's check digit) is decided by the services the importer calls.

A file is hostile until read (issue 11, findings 2-3): rows are streamed, never the whole table
at once; the row limit is checked while streaming; each row is cut to the header's width (an xlsx
may claim 16,384 columns and a million rows in its ``<dimension>``, which openpyxl would pad every
row to); an xlsx's zip entries are checked for size and compression ratio before anything is
unpacked; a cell openpyxl cannot read ends the run with a message, not the worker.
"""

from __future__ import annotations

import contextlib
import csv
import datetime
import io
import re
import zipfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.utils import translation
from django.utils.translation import gettext as _
from openpyxl import load_workbook

from hamkke.core.spreadsheet import unescape_formula

FORMATS = ("csv", "xlsx")
MAX_ROWS = 50_000
CSV_ENCODINGS = ("utf-8-sig", "cp949")  # Excel in Korea saves CSV as CP949 unless told otherwise
CSV_MAX_LINE_CHARS = 256 * 1024  # one physical line; bounds the cells csv.reader builds for one row
XLSX_MAX_UNZIPPED_BYTES = 150 * 1024 * 1024  # a 50,000-row sheet unpacks to about 30 MB
XLSX_MAX_RATIO = 200  # ordinary sheets compress 10-50:1; a zip bomb about 1,000:1
XLSX_RATIO_FROM_BYTES = 1024 * 1024  # small entries may compress better than that harmlessly
XLSX_MAX_ENTRIES = 2_000


class ImportFileError(Exception):
    """The file as a whole cannot be read (format, encoding, header)."""


class CellError(ValueError):
    """A cell cannot be read; the message says why, in the user's language."""


@dataclass(frozen=True)
class Column:
    key: str
    header: str  # the Korean header written by exports and templates
    required: bool = False
    aliases: tuple[str, ...] = ()

    def names(self) -> set[str]:
        return {_normal(n) for n in (self.key, self.header, *self.aliases)}


@dataclass
class Row:
    number: int  # the spreadsheet's row number (the header is row 1)
    values: dict[str, object] = field(default_factory=dict)

    def text(self, key: str) -> str:
        value = self.values.get(key)
        if value is None:
            return ""
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        text = str(value).strip()
        return unescape_formula(text)


def _normal(name: str) -> str:
    return re.sub(r"[\s_()·\-]", "", str(name or "")).casefold()


def format_of(filename: str) -> str:
    suffix = filename.rsplit(".", 1)[-1].lower() if "." in filename else ""
    if suffix not in FORMATS:
        raise ImportFileError(_("CSV 또는 엑셀(xlsx) 파일만 받습니다."))
    return suffix


LINE_END = re.compile(r"\r\n?|\n")


def _bounded_lines(text: str) -> Iterator[str]:
    """The text's lines (with their endings), refusing a line longer than CSV_MAX_LINE_CHARS before
    copying it (io.StringIO would first copy the whole text at 4 bytes a character)."""
    start, number, length = 0, 0, len(text)
    while start < length:
        number += 1
        found = LINE_END.search(text, start, start + CSV_MAX_LINE_CHARS + 2)
        end = found.end() if found else length
        if end - start > CSV_MAX_LINE_CHARS + 2:
            raise ImportFileError(
                _("CSV 파일의 %(row)s번째 줄이 너무 깁니다(%(n)s자 초과).")
                % {"row": f"{number:,}", "n": f"{CSV_MAX_LINE_CHARS:,}"}
            )
        yield text[start:end]
        start = end


def _csv_rows(content: bytes) -> Iterator[Sequence[object]]:
    for encoding in CSV_ENCODINGS:
        try:
            text = content.decode(encoding)
        except UnicodeDecodeError:
            continue
        break
    else:
        raise ImportFileError(_("CSV 파일의 글자 인코딩을 읽을 수 없습니다. UTF-8로 저장해 주세요."))
    reader = csv.reader(_bounded_lines(text))
    number = 0
    while True:
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error:
            raise ImportFileError(
                _("CSV 파일의 %(row)s행을 읽을 수 없습니다(따옴표가 닫히지 않았거나 칸이 너무 깁니다).")
                % {"row": f"{number + 1:,}"}
            ) from None
        number += 1
        yield cells


def check_zip(content: bytes) -> None:
    """Refuse a zip bomb before unpacking: the entries' declared sizes and compression ratios.

    The declared sizes can be trusted as an upper bound: Python's zipfile (which openpyxl reads
    through) stops at the declared size and fails the CRC check when more data follows.
    """
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            entries = archive.infolist()
    except (zipfile.BadZipFile, ValueError, OSError):
        raise ImportFileError(_("엑셀 파일을 열 수 없습니다. xlsx 형식인지 확인하세요.")) from None
    too_big = _("엑셀 파일의 압축을 풀면 너무 큽니다(압축 폭탄일 수 있어 읽지 않았습니다). 파일을 나누어 주세요.")
    if len(entries) > XLSX_MAX_ENTRIES:
        raise ImportFileError(too_big)
    total = 0
    for entry in entries:
        total += entry.file_size
        if total > XLSX_MAX_UNZIPPED_BYTES:
            raise ImportFileError(too_big)
        if entry.file_size > XLSX_RATIO_FROM_BYTES and entry.file_size > XLSX_MAX_RATIO * max(1, entry.compress_size):
            raise ImportFileError(too_big)


def _xlsx_rows(content: bytes) -> Iterator[Sequence[object]]:
    check_zip(content)
    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
        sheet = workbook.worksheets[0]
    except Exception:  # openpyxl raises many kinds (zip, xml, key errors) for a damaged file
        raise ImportFileError(_("엑셀 파일을 열 수 없습니다. xlsx 형식인지 확인하세요.")) from None
    try:
        # The file's <dimension> may lie (A1:XFD1048576): without it, rows are not padded to it.
        sheet.reset_dimensions()  # type: ignore[union-attr]
        rows = sheet.iter_rows(values_only=True)
        number = 0
        while True:
            try:
                cells = next(rows)
            except StopIteration:
                return
            except Exception:  # a damaged cell (t="n" holding text, a bad date...): openpyxl raises
                raise ImportFileError(
                    _(
                        "엑셀 파일의 %(row)s행에 읽을 수 없는 칸이 있습니다(숫자 칸에 글자 등). "
                        "엑셀에서 그 행을 고쳐 다시 저장해 주세요. 아무것도 저장하지 않았습니다."
                    )
                    % {"row": f"{number + 1:,}"}
                ) from None
            number += 1
            yield cells
    finally:
        workbook.close()


def read_rows(content: bytes, file_format: str, columns: list[Column]) -> list[Row]:
    """The file's data rows, keyed by column key. Blank rows are skipped; row numbers stay the file's.

    Streams the file: at most MAX_ROWS rows (stops at the first one over), each cut to the last
    column the header names.
    """
    by_name = {name: column for column in columns for name in column.names()}
    source = _csv_rows(content) if file_format == "csv" else _xlsx_rows(content)
    with contextlib.closing(source):
        first = next(source, None)
        if first is None:
            raise ImportFileError(_("파일이 비어 있습니다."))
        header = [by_name.get(_normal(cell)) if cell is not None else None for cell in first]
        missing = [c.header for c in columns if c.required and c not in header]
        if missing:
            raise ImportFileError(_("필수 열이 없습니다: %(columns)s") % {"columns": ", ".join(missing)})
        width = max(index for index, column in enumerate(header) if column is not None) + 1
        header = header[:width]
        rows = []
        for number, cells in enumerate(source, start=2):
            if not cells:  # a row the file skips (openpyxl yields an empty one): nothing to look at
                continue
            values = {col.key: cell for col, cell in zip(header, cells[:width], strict=False) if col is not None}
            if all(v is None or str(v).strip() == "" for v in values.values()):
                continue
            if len(rows) == MAX_ROWS:
                raise ImportFileError(
                    _("한 번에 %(n)s행까지 가져올 수 있습니다. 파일을 나누어 주세요.") % {"n": f"{MAX_ROWS:,}"}
                )
            rows.append(Row(number=number, values=values))
    if not rows:
        raise ImportFileError(_("가져올 행이 없습니다."))
    return rows


# --- Cell values ----------------------------------------------------------------------------------

DATE_RE = re.compile(r"^(\d{4})[-./년\s]*(\d{1,2})[-./월\s]*(\d{1,2})[.일\s]*$")


def parse_date(value: object) -> datetime.date | None:
    """2024-03-05, 2024.3.5., 2024/03/05, 20240305, 2024년 3월 5일, or an xlsx date cell."""
    if value is None or str(value).strip() == "":
        return None
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    text = str(value).strip()
    if re.fullmatch(r"\d{8}", text):
        text = f"{text[:4]}-{text[4:6]}-{text[6:]}"
    match = DATE_RE.match(text)
    try:
        if not match:
            raise ValueError
        return datetime.date(*(int(part) for part in match.groups()))
    except ValueError:
        raise CellError(_("날짜를 읽을 수 없습니다(예: 2024-03-05): %(value)s") % {"value": text[:30]}) from None


def choice_lookup(choices, extra: dict[str, str] | None = None) -> dict[str, str]:
    """Code or Korean label (spaces ignored) -> code."""
    lookup = {}
    with translation.override("ko"):
        for code, label in choices:
            lookup[_normal(code)] = code
            lookup[_normal(str(label))] = code
    for name, code in (extra or {}).items():
        lookup[_normal(name)] = code
    return lookup


def parse_choice(value: object, lookup: dict[str, str], *, blank_ok: bool = True) -> str:
    text = "" if value is None else str(value).strip()
    if not text:
        if blank_ok:
            return ""
        raise CellError(_("값을 적어 주세요."))
    code = lookup.get(_normal(text))
    if code is None:
        raise CellError(_("알 수 없는 값입니다: %(value)s") % {"value": text[:30]})
    return code


def parse_amount(value: object) -> Decimal | None:
    """A whole number of won: 10000, "10,000", "10,000원"."""
    if value is None or str(value).strip() == "":
        return None
    text = str(value).replace(",", "").replace("원", "").strip()
    try:
        amount = Decimal(text)
    except InvalidOperation:
        raise CellError(_("금액은 숫자로 적으세요: %(value)s") % {"value": text[:30]}) from None
    if not amount.is_finite():
        raise CellError(_("금액은 숫자로 적으세요: %(value)s") % {"value": text[:30]})
    return amount
