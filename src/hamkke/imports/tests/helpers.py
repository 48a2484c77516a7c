import csv
import io

from openpyxl import Workbook

from hamkke.imports.importers import HOUSEHOLD_COLUMNS, SERVICE_COLUMNS
from hamkke.imports.models import ImportJob
from hamkke.imports.services import import_job_create, import_job_run

HOUSEHOLD_HEADER = [c.header for c in HOUSEHOLD_COLUMNS]
SERVICE_HEADER = [c.header for c in SERVICE_COLUMNS]


def csv_bytes(header, rows) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue().encode("utf-8-sig")


def xlsx_bytes(header, rows) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def household_row(
    key, name, birth, sex="여", relation="세대주", dong="명동", address="중구 명동길 1", rrn="", opened_on=""
):
    return [key, dong, address, "", name, birth, sex, relation, "010-0000-0000", rrn, "", opened_on, ""]


def service_row(
    case="",
    household_key="",
    provided_on="",
    domain="생계·경제",
    mode="직접 제공",
    agency="",
    description="쌀 10kg",
    amount_kind="현물",
    amount="30000",
    key="",
    resource="",
):
    return [key, case, household_key, provided_on, domain, mode, agency, resource, description, amount_kind, amount]


def run(actor, kind, content, *, filename="file.csv", mode=ImportJob.Mode.DRY_RUN):
    job = import_job_create(actor=actor, kind=kind, filename=filename, content=content, mode=mode)
    return import_job_run(job=job)
