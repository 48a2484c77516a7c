"""Reading CSV and xlsx files into rows, and the column values into Python values.

Like a form, this only parses: what the value means for a case (a date before the case was
opened, an RRN's check digit) is decided by the services the importer calls.
"""

from __future__ import annotations

import csv
import datetime
import io
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.utils import translation
from django.utils.translation import gettext as _

from hamkke.core.spreadsheet import unescape_formula

FORMATS = ("csv", "xlsx")
MAX_ROWS = 50_000
CSV_ENCODINGS = ("utf-8-sig", "cp949")  # Excel in Korea saves CSV as CP949 unless told otherwise


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


def _csv_table(content: bytes) -> list[list[object]]:
    for encoding in CSV_ENCODINGS:
        try:
            text = content.decode(encoding)
        except UnicodeDecodeError:
            continue
        return list(csv.reader(io.StringIO(text)))
    raise ImportFileError(_("CSV 파일의 글자 인코딩을 읽을 수 없습니다. UTF-8로 저장해 주세요."))


def _xlsx_table(content: bytes) -> list[list[object]]:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds (zip, xml, key errors) for a damaged file
        raise ImportFileError(_("엑셀 파일을 열 수 없습니다. xlsx 형식인지 확인하세요.")) from None
    try:
        sheet = workbook.worksheets[0]
        return [list(row) for row in sheet.iter_rows(values_only=True)]
    finally:
        workbook.close()


def read_rows(content: bytes, file_format: str, columns: list[Column]) -> list[Row]:
    """The file's data rows, keyed by column key. Blank rows are skipped; row numbers stay the file's."""
    table = _csv_table(content) if file_format == "csv" else _xlsx_table(content)
    if not table:
        raise ImportFileError(_("파일이 비어 있습니다."))
    by_name = {name: column for column in columns for name in column.names()}
    header = [by_name.get(_normal(cell)) if cell is not None else None for cell in table[0]]
    missing = [c.header for c in columns if c.required and c not in header]
    if missing:
        raise ImportFileError(_("필수 열이 없습니다: %(columns)s") % {"columns": ", ".join(missing)})
    rows = []
    for number, cells in enumerate(table[1:], start=2):
        values = {col.key: cell for col, cell in zip(header, cells, strict=False) if col is not None}
        if all(v is None or str(v).strip() == "" for v in values.values()):
            continue
        rows.append(Row(number=number, values=values))
        if len(rows) > MAX_ROWS:
            raise ImportFileError(
                _("한 번에 %(n)s행까지 가져올 수 있습니다. 파일을 나누어 주세요.") % {"n": f"{MAX_ROWS:,}"}
            )
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
