"""The access log: every write through a service leaves a row, with ids only, and rows cannot be
changed or deleted (database triggers) until they are past the 2-year minimum retention."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import DatabaseError, connection, transaction
from django.forms.models import model_to_dict
from django.test import RequestFactory
from django.utils import timezone

from hamkke.audit.models import AccessLog, Action
from hamkke.audit.services import audit_record
from hamkke.cases.services import case_add_participant, case_change_stage, case_open, case_register
from hamkke.cases.stages import Stage
from hamkke.consents.services import consent_record, consent_withdraw
from hamkke.people.services import household_create, person_create
from hamkke.testing import make_rrn
from hamkke.testing.factories import HouseholdFactory

NEW_NAME = "서민지"
NEW_BIRTH = datetime.date(1988, 11, 3)
NEW_RRN = make_rrn(NEW_BIRTH, "F", serial="77777")
NEW_ADDRESS = "서울특별시 중구 명동길 77"
NEW_PHONE = "010-7777-8888"


def _household_create(w):
    household = household_create(actor=w.lead_worker.actor, dong=w.dong_a2, address=NEW_ADDRESS)
    return [("create", "household", None, [])], household


def _person_create(w):
    person = person_create(
        actor=w.lead_worker.actor,
        household=w.household,
        name=NEW_NAME,
        birth_date=NEW_BIRTH,
        sex="F",
        phone=NEW_PHONE,
        rrn=NEW_RRN,
        relation="child",
    )
    return [("create", "person", None, [person.pk])], person


def _case_open(w):
    case = case_open(actor=w.lead_worker.actor, household=HouseholdFactory(dong=w.dong_a2, address=NEW_ADDRESS))
    return [("create", "case", case.pk, [])], case


def _case_register(w):
    case = case_register(
        actor=w.lead_worker.actor,
        dong=w.dong_a2,
        address=NEW_ADDRESS,
        head={"name": NEW_NAME, "birth_date": NEW_BIRTH, "sex": "F", "rrn": NEW_RRN, "phone": NEW_PHONE},
    )
    head = case.household.members.get()
    return [
        ("list", "person", None, []),  # the duplicate check (a read of the district's persons) comes first
        ("create", "household", None, []),
        ("create", "person", None, [head.pk]),
        ("create", "case", case.pk, []),
    ], case


def _case_change_stage(w):
    case = case_change_stage(actor=w.lead_worker.actor, case=w.case, to_stage=Stage.REFUSED, reason="방문 거절")
    return [("update", "case", case.pk, [])], case


def _case_add_participant(w):
    case_add_participant(actor=w.lead_worker.actor, case=w.case, agency=w.unrelated_agency)
    return [("update", "case", w.case.pk, [])], w.case


def _consent_record(w):
    consent = consent_record(
        actor=w.lead_worker.actor,
        case=w.case,
        person=w.head,
        given_on=w.today,
        required_collection=True,
        sensitive_data=True,
    )
    return [("create", "consent", w.case.pk, [w.head.pk])], consent


def _consent_withdraw(w):
    consent = consent_withdraw(actor=w.lead_worker.actor, consent=w.consent)
    return [("update", "consent", w.case.pk, [w.head.pk])], consent


SERVICE_WRITES = {
    "household_create": _household_create,
    "person_create": _person_create,
    "case_open": _case_open,
    "case_register": _case_register,
    "case_change_stage": _case_change_stage,
    "case_add_participant": _case_add_participant,
    "consent_record": _consent_record,
    "consent_withdraw": _consent_withdraw,
}


def personal_data(world) -> list[str]:
    """Strings that must never appear in the access log."""
    head_digits = world.head_rrn.replace("-", "")
    new_digits = NEW_RRN.replace("-", "")
    return [
        world.head.name,
        head_digits,
        world.head_rrn,
        head_digits[6:],
        world.household.address,
        world.head.phone,
        NEW_NAME,
        new_digits,
        NEW_RRN,
        new_digits[6:],
        NEW_ADDRESS,
        NEW_PHONE,
    ]


def assert_no_personal_data(rows, forbidden):
    for row in rows:
        for column, value in model_to_dict(row).items():
            for secret in forbidden:
                assert secret not in str(value), f"{secret!r} in access log column {column}"


@pytest.mark.parametrize("write", list(SERVICE_WRITES))
def test_every_service_write_is_logged_with_ids_only(world, write):
    last = AccessLog.objects.order_by("-id").values_list("id", flat=True).first()
    expected, obj = SERVICE_WRITES[write](world)
    rows = list(AccessLog.objects.filter(id__gt=last).order_by("id"))
    actor = world.lead_worker
    assert [(r.action, r.object_type, r.case_id, r.person_ids) for r in rows] == expected
    for row in rows:
        assert (row.user_id, row.username, row.agency_id, row.district_id) == (
            actor.user.pk,
            actor.username,
            world.lead_agency.pk,
            world.district_a.pk,
        )
        assert row.at is not None
    assert rows[-1].object_id == str(obj.uuid)  # the public id, never the sequential one
    assert_no_personal_data(rows, personal_data(world))


def test_world_building_left_no_personal_data_in_the_log(world):
    rows = list(AccessLog.objects.all())
    assert {(r.action, r.object_type) for r in rows} >= {
        (Action.CREATE, "person"),
        (Action.CREATE, "case"),
        (Action.UPDATE, "case"),
        (Action.CREATE, "consent"),
    }
    assert_no_personal_data(rows, personal_data(world))


def test_refused_write_leaves_no_log_row(world):
    count = AccessLog.objects.count()
    with pytest.raises(ValidationError):  # the RRN says female, the form says male
        case_register(
            actor=world.lead_worker.actor,
            dong=world.dong_a2,
            address=NEW_ADDRESS,
            head={"name": NEW_NAME, "birth_date": NEW_BIRTH, "sex": "M", "rrn": NEW_RRN},
        )
    # every input error is found before the duplicate lookup (issue 13: all errors in one round), so neither
    # a lookup nor a write is logged
    assert list(AccessLog.objects.order_by("id")[count:].values_list("action", flat=True)) == []


def test_request_gives_ip_and_path(world):
    request = RequestFactory().get("/cases/abc/?tab=timeline", REMOTE_ADDR="10.1.2.3", HTTP_X_FORWARDED_FOR="6.6.6.6")
    row = audit_record(
        actor=world.lead_worker.actor, action=Action.VIEW, obj=world.case, case_id=world.case.pk, request=request
    )
    assert (row.ip, row.path) == ("10.1.2.3", "/cases/abc/?tab=")  # X-Forwarded-For is not trusted; no values


def test_anonymous_actor_is_logged_without_user(world):
    from django.contrib.auth.models import AnonymousUser

    from hamkke.accounts.actor import Actor

    row = audit_record(actor=Actor(user=AnonymousUser(), membership=None), action=Action.LOGIN_FAILED)
    assert (row.user_id, row.username, row.agency_id, row.district_id) == (None, "", None, None)


# --- append-only, enforced by the database ---------------------------------------------------


def insert_log_at(at: datetime.datetime, detail: str) -> AccessLog:
    """Insert a row with a chosen time: the model's auto_now_add would overwrite ``at``, and
    rows cannot be updated afterwards."""
    row = AccessLog(at=at, action=Action.VIEW, detail=detail)
    fields = [f for f in AccessLog._meta.concrete_fields if not f.primary_key]
    columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    values = [f.get_db_prep_save(getattr(row, f.attname), connection) for f in fields]
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {AccessLog._meta.db_table} ({columns}) VALUES ({', '.join(['%s'] * len(fields))})",
            values,
        )
    return AccessLog.objects.get(detail=detail)


@pytest.fixture
def log_row(world):
    return AccessLog.objects.filter(case_id=world.case.pk).earliest("id")


def test_update_through_the_orm_is_refused(log_row):
    with pytest.raises(DatabaseError), transaction.atomic():
        AccessLog.objects.filter(pk=log_row.pk).update(detail="tampered")
    log_row.detail = "tampered"
    with pytest.raises(DatabaseError), transaction.atomic():
        log_row.save()
    assert AccessLog.objects.get(pk=log_row.pk).detail != "tampered"


def test_update_in_raw_sql_is_refused(log_row):
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"UPDATE {AccessLog._meta.db_table} SET user_id = NULL WHERE id = %s", [log_row.pk])
    assert AccessLog.objects.get(pk=log_row.pk).user_id == log_row.user_id


def test_delete_is_refused(log_row):
    with pytest.raises(DatabaseError), transaction.atomic():
        AccessLog.objects.filter(pk=log_row.pk).delete()
    with pytest.raises(DatabaseError), transaction.atomic():
        log_row.delete()
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {AccessLog._meta.db_table}")
    assert AccessLog.objects.filter(pk=log_row.pk).exists()


def test_row_just_inside_two_years_cannot_be_deleted(db):
    row = insert_log_at(timezone.now() - datetime.timedelta(days=700), "recent")
    with pytest.raises(DatabaseError), transaction.atomic():
        AccessLog.objects.filter(pk=row.pk).delete()
    assert AccessLog.objects.filter(pk=row.pk).exists()


def test_row_older_than_two_years_can_be_deleted_but_not_changed(db):
    old = insert_log_at(timezone.now() - datetime.timedelta(days=3 * 365), "old")
    recent = insert_log_at(timezone.now() - datetime.timedelta(days=30), "recent")
    assert old.at < timezone.now() - datetime.timedelta(days=2 * 365)
    with pytest.raises(DatabaseError), transaction.atomic():
        AccessLog.objects.filter(pk=old.pk).update(detail="tampered")
    # the retention job's query: only rows past the minimum retention
    deleted, _ = AccessLog.objects.filter(at__lt=timezone.now() - datetime.timedelta(days=2 * 366)).delete()
    assert deleted == 1
    assert not AccessLog.objects.filter(pk=old.pk).exists()
    assert AccessLog.objects.filter(pk=recent.pk).exists()


def test_logged_paths_keep_parameter_names_but_no_values(world):
    """Issue 11, finding 9: a person search by name through the API leaves no name in the access log."""
    from urllib.parse import quote

    from rest_framework.test import APIClient

    client = APIClient()
    client.force_login(world.lead_worker.user)
    response = client.get("/api/v1/persons/", {"name": world.head.name, "birth_date": "1953-08-14"})
    assert response.status_code == 200
    row = AccessLog.objects.filter(object_type="person").latest("pk")
    assert row.path == "/api/v1/persons/?name=&birth_date="
    assert world.head.name not in row.path and quote(world.head.name) not in row.path
