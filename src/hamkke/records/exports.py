"""The one exporter of service records: the reports page, the import/export page and the API all use it.

It reads through ``records.selectors.service_records_for_export`` (the reader's case scope and the
sensitive-data rule), as plain values (``values_list(...).iterator()``: no model object per row,
choice labels from dicts made once), writes through ``core.spreadsheet`` (one formula guard) and
records one access-log row per export (``audit.services.audit_export``). The file is made while it is
sent: memory stays bounded for a year of a metro district's records (issue 15 §4).

A *layout* is the list of columns of a file, as (field key, header) pairs: the reports page has its
own (case number, dong, recorder), the import/export page the importer's columns, so that an
exported file imports again without duplicates.
"""

from __future__ import annotations

import datetime
import uuid
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass

from django.http import HttpRequest
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from hamkke.access.policy import DISTRICT_WIDE, may
from hamkke.accounts.actor import Actor
from hamkke.audit.services import audit_export
from hamkke.core.domains import LifeDomain
from hamkke.core.downloads import ChunkedFile
from hamkke.core.spreadsheet import CONTENT_TYPES, file_chunks

from .models import ServiceRecord
from .selectors import service_records_for_export

CHUNK_ROWS = 2000
PROGRESS_EVERY_ROWS = 1000  # how often an optional ``progress`` callback hears the number of rows made
OBJECT_TYPE = "servicerecord"

# What one query reads per record, in this order (one join per foreign key, no objects).
VALUES = (
    "uuid",
    "case__uuid",
    "provided_on",
    "case__household__dong__name",
    "domain",
    "mode",
    "provider_agency__name",
    "resource__name",
    "description",
    "amount_kind",
    "amount",
    "recorded_by__display_name",
    "recorded_by__username",
)
(
    UUID,
    CASE_UUID,
    PROVIDED_ON,
    DONG,
    DOMAIN,
    MODE,
    AGENCY,
    RESOURCE,
    DESCRIPTION,
    AMOUNT_KIND,
    AMOUNT,
    RECORDER_NAME,
    RECORDER_USERNAME,
) = range(len(VALUES))

Labels = dict[str, dict[str, str]]
Value = Callable[[tuple, Labels], object]


def _labels() -> Labels:
    """Choice labels in the active language, made once per export (not one lookup per row)."""
    return {
        "domain": {key: str(label) for key, label in LifeDomain.choices},
        "mode": {key: str(label) for key, label in ServiceRecord.Mode.choices},
        "amount_kind": {key: str(label) for key, label in ServiceRecord.AmountKind.choices if key},
    }


# field key -> the cell's value from a row of VALUES.
FIELDS: dict[str, Value] = {
    "service_key": lambda row, labels: str(row[UUID]),
    "case": lambda row, labels: str(row[CASE_UUID]),
    "case_reference": lambda row, labels: row[CASE_UUID].hex[:8].upper(),  # core.models reference
    "household_key": lambda row, labels: "",
    "provided_on": lambda row, labels: row[PROVIDED_ON].isoformat(),
    "dong": lambda row, labels: row[DONG],
    "domain": lambda row, labels: labels["domain"].get(row[DOMAIN], row[DOMAIN]),
    "mode": lambda row, labels: labels["mode"].get(row[MODE], row[MODE]),
    "provider_agency": lambda row, labels: row[AGENCY],
    "resource": lambda row, labels: row[RESOURCE] or "",
    "description": lambda row, labels: row[DESCRIPTION],
    "amount_kind": lambda row, labels: labels["amount_kind"].get(row[AMOUNT_KIND], ""),
    "amount": lambda row, labels: "" if row[AMOUNT] is None else int(row[AMOUNT]),
    "recorded_by": lambda row, labels: row[RECORDER_NAME] or row[RECORDER_USERNAME],
    "domain_code": lambda row, labels: row[DOMAIN],
    "mode_code": lambda row, labels: row[MODE],
    "amount_kind_code": lambda row, labels: row[AMOUNT_KIND],
}

# The reports page's file: for reading (case number, dong and recorder instead of ids).
REPORT_LAYOUT: tuple[tuple[str, object], ...] = (
    ("provided_on", _lazy("제공일")),
    ("case_reference", _lazy("사례 번호")),
    ("dong", _lazy("행정동")),
    ("domain", _lazy("서비스 영역")),
    ("mode", _lazy("제공 방식")),
    ("provider_agency", _lazy("제공 기관")),
    ("resource", _lazy("자원")),
    ("description", _lazy("내용")),
    ("amount_kind", _lazy("금품 구분")),
    ("amount", _lazy("금액(원)")),
    ("recorded_by", _lazy("기록자")),
)


# The API's file: for programs (public ids and choice codes, English column names that do not change).
API_LAYOUT: tuple[tuple[str, object], ...] = tuple(
    (key, key)
    for key in (
        "service_key",
        "case",
        "provided_on",
        "domain_code",
        "mode_code",
        "provider_agency",
        "resource",
        "description",
        "amount_kind_code",
        "amount",
    )
)


@dataclass(frozen=True)
class Selection:
    """Which records an export holds, and how the access log names it."""

    scope: str  # whose scope, in words ("○○복지관", "시군구 전체")
    period: str  # in words ("2026.1.1.~2026.12.31." or "전체 기간")
    start: datetime.date | None = None
    end: datetime.date | None = None
    provider_agency_ids: list[int] | None = None


def scope_words(*, actor: Actor, provider_agencies: Sequence[str] = ()) -> str:
    """Whose scope an export was read in, for the log row: the district, or the actor's agency (the
    cases it may read), and the provider agencies chosen."""
    if actor.membership is None:
        return ""
    if may(actor, DISTRICT_WIDE):
        words = _("%(district)s 전체") % {"district": actor.membership.district.name}
    else:
        words = _("%(agency)s의 열람 범위") % {"agency": actor.membership.agency.name}
    if provider_agencies:
        words += " · " + _("제공 기관: %(names)s") % {"names": ", ".join(provider_agencies)}
    return words


Progress = Callable[[int], None]


def rows(
    *, actor: Actor, selection: Selection, keys: Sequence[str], progress: Progress | None = None
) -> Iterator[list]:
    """The records of ``selection`` the actor may read, as lists of cells of the fields ``keys``;
    ``progress`` (a background job) hears the number of rows made every PROGRESS_EVERY_ROWS rows."""
    unknown = set(keys) - FIELDS.keys()
    if unknown:
        raise KeyError(f"no such export field: {sorted(unknown)}")
    labels = _labels()
    cells = [FIELDS[key] for key in keys]
    records = service_records_for_export(
        actor=actor, start=selection.start, end=selection.end, provider_agency_ids=selection.provider_agency_ids
    )
    return _rows(records.values_list(*VALUES).iterator(chunk_size=CHUNK_ROWS), cells, labels, progress)


def _rows(records, cells: list[Value], labels: Labels, progress: Progress | None) -> Iterator[list]:
    done = 0
    for record in records:
        yield [cell(record, labels) for cell in cells]
        done += 1
        if progress is not None and done % PROGRESS_EVERY_ROWS == 0:
            progress(done)
    if progress is not None:
        progress(done)


def count(*, actor: Actor, selection: Selection) -> int:
    records = service_records_for_export(
        actor=actor, start=selection.start, end=selection.end, provider_agency_ids=selection.provider_agency_ids
    )
    return records.count()


def service_records_export(
    *,
    actor: Actor,
    selection: Selection,
    layout: Sequence[tuple[str, object]],
    file_format: str,
    reason: str,
    name: str,
    request: HttpRequest | None = None,
    progress: Progress | None = None,
) -> ChunkedFile:
    """The file of ``selection`` in ``layout``, logged (one row) before its first byte is made.

    ``reason`` is already checked by the caller (each page has its own form rules). The file is
    made as the returned chunks are consumed; its name carries the export's id from the log row.
    """
    if file_format not in CONTENT_TYPES:
        raise ValueError(f"unknown file format {file_format!r}")
    header = [str(title) for _key, title in layout]
    keys = [key for key, _title in layout]
    export_id = uuid.uuid4().hex
    audit_export(
        actor=actor,
        object_type=OBJECT_TYPE,
        export_id=export_id,
        file_format=file_format,
        scope=selection.scope,
        period=selection.period,
        rows=count(actor=actor, selection=selection),
        reason=reason,
        request=request,
    )
    chunks = file_chunks(
        file_format,
        header,
        rows(actor=actor, selection=selection, keys=keys, progress=progress),
        title=_("서비스 제공 기록"),
    )
    return ChunkedFile(f"{name}-{export_id[:8]}.{file_format}", CONTENT_TYPES[file_format], chunks)
