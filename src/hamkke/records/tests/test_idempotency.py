"""Issue 11.8: a double submit (two identical POSTs, a resend after a lost answer, an offline note
sent twice) creates one record — through the services, the forms and the API."""

import threading
import uuid

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connection
from django.urls import reverse

from hamkke.records.models import ContactRecord, ServiceRecord
from hamkke.records.services import contact_record_add, service_records_add

from .conftest import ago
from .test_services import row
from .test_views import contact_data, contact_url, service_data, services_url

pytestmark = pytest.mark.django_db


def contact(world, key, member="lead_worker", case=None, **overrides):
    values = {"contacted_at": ago(1), "kind": "home_visit", "outcome": "refused", "note": "문 앞에서 거절"}
    values.update(overrides)
    return contact_record_add(actor=world.members[member].actor, case=case or world.case, idempotency_key=key, **values)


def test_same_key_twice_is_one_contact(world):
    key = uuid.uuid4()
    first = contact(world, key)
    again = contact(world, key)
    assert again.pk == first.pk and getattr(again, "replayed", False)
    assert not getattr(first, "replayed", False)
    assert ContactRecord.objects.count() == 1
    contact(world, uuid.uuid4())
    contact(world, None)
    contact(world, None)
    assert ContactRecord.objects.count() == 4  # other keys, and no key, are other records


def test_a_key_used_by_someone_else_is_refused_not_answered(world):
    key = uuid.uuid4()
    contact(world, key)
    with pytest.raises(ValidationError) as error:
        contact(world, key, member="participant_worker")
    assert "요청 키" in str(error.value)
    assert ContactRecord.objects.count() == 1


def test_same_key_twice_is_one_batch_of_services(world):
    key = uuid.uuid4()
    actor = world.lead_worker.actor
    rows = [row(world, description="반찬"), row(world, description="쌀")]
    first = service_records_add(actor=actor, case=world.case, rows=rows, idempotency_key=key)
    again = service_records_add(actor=actor, case=world.case, rows=rows, idempotency_key=key)
    assert [r.pk for r in again] == [r.pk for r in first]
    assert ServiceRecord.objects.count() == 2


def test_two_identical_contact_posts_make_one_record(client, world):
    world.lead_worker.login(client)
    data = contact_data(idempotency_key=str(uuid.uuid4()))
    first = client.post(contact_url(world.case), data)
    second = client.post(contact_url(world.case), data, follow=True)
    assert first.status_code == 302 and second.status_code == 200
    assert ContactRecord.objects.count() == 1
    assert "이미 저장된 기록입니다" in second.content.decode()


def test_the_blank_forms_carry_a_fresh_key_each_time(client, world):
    world.lead_worker.login(client)
    pages = [client.get(reverse("records:case", args=[world.case.uuid])).content.decode() for _ in range(2)]
    keys = [page.count('name="idempotency_key"') for page in pages]
    assert keys == [2, 2]  # the contact form and the service quick entry
    assert (
        pages[0].split('name="idempotency_key" value="')[1][:36]
        != pages[1].split('name="idempotency_key" value="')[1][:36]
    )


def test_two_identical_service_posts_make_one_batch(client, world):
    world.lead_worker.login(client)
    data = service_data(world, [{}, {"description": "쌀 10kg"}])
    data["idempotency_key"] = str(uuid.uuid4())
    assert client.post(services_url(world.case), data).status_code == 302
    assert client.post(services_url(world.case), data).status_code == 302
    assert ServiceRecord.objects.count() == 2


def test_a_malformed_key_is_a_clear_error_not_a_500(client, world):
    world.lead_worker.login(client)
    response = client.post(contact_url(world.case), contact_data(idempotency_key="not-a-uuid"))
    assert response.status_code == 200
    assert "요청 키가 올바르지 않습니다" in response.content.decode()
    assert not ContactRecord.objects.exists()


@pytest.mark.skipif(
    "sqlite" in settings.DATABASES["default"]["ENGINE"],
    reason="SQLite serialises writers; the race runs on PostgreSQL (CI)",
)
@pytest.mark.django_db(transaction=True)
def test_two_identical_posts_at_once_make_one_record(world):
    """Two requests at the same moment: the unique constraint lets one through; the other gets it."""
    key = uuid.uuid4()
    results, barrier = [], threading.Barrier(2)

    def send():
        try:
            barrier.wait()
            results.append(contact(world, key).pk)
        finally:
            connection.close()

    threads = [threading.Thread(target=send) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert ContactRecord.objects.count() == 1
    assert len(results) == 2 and len(set(results)) == 1
