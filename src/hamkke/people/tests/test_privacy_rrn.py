"""RRN key rotation (round trip, idempotence, verification) and the audited full-RRN display."""

import datetime

import pytest
from django.conf import settings
from django.contrib.auth.models import Permission
from django.core.exceptions import PermissionDenied
from django.core.management import CommandError, call_command
from django.db.models import TextField
from django.db.models.functions import Cast
from django.test import override_settings
from django.urls import reverse

from hamkke.audit.models import AccessLog, Action
from hamkke.core import rrn as rrn_rules
from hamkke.people import privacy
from hamkke.people.models import Person
from hamkke.testing import make_rrn
from hamkke.testing.factories import PersonFactory

pytestmark = pytest.mark.django_db


def _forget_field_keys():
    """The model field derives its Fernet keys once per process; tests that change SALT_KEY must reset it."""
    field = Person._meta.get_field("rrn_encrypted")
    for name in ("keys", "f"):
        field.__dict__.pop(name, None)


@pytest.fixture
def forget_keys():
    _forget_field_keys()
    yield _forget_field_keys
    _forget_field_keys()


def _raw_tokens() -> dict[int, str]:
    return dict(
        Person.objects.filter(rrn_encrypted__isnull=False)
        .annotate(token=Cast("rrn_encrypted", TextField()))
        .values_list("pk", "token")
    )


def _members_with_rrn(world, n: int) -> dict[int, str]:
    """The world's head plus ``n`` household members with RRNs, all written under the current salts."""
    expected = {world.head.pk: rrn_rules.normalize(world.head_rrn)}
    for i in range(n):
        born = datetime.date(1980 + i, 2, 3)
        digits = rrn_rules.normalize(make_rrn(born, "M", serial=f"5432{i}"))
        person = PersonFactory(
            household=world.household,
            birth_date=born,
            sex="M",
            rrn_encrypted=digits,
            rrn_hash=rrn_rules.rrn_hash(digits),
        )
        expected[person.pk] = digits
    return expected


def _read_back() -> dict[int, str]:
    return dict(Person.objects.filter(rrn_encrypted__isnull=False).values_list("pk", "rrn_encrypted"))


def test_rotation_round_trip(world, forget_keys):
    expected = _members_with_rrn(world, 4)  # written under salt A (the demo salt)
    before = _raw_tokens()
    salt_a = list(settings.SALT_KEY)
    with override_settings(SALT_KEY=["salt-B-2027", *salt_a]):
        forget_keys()
        assert privacy.rrn_keys_verify().failing == 5  # nothing is under B yet
        dry = privacy.rrn_keys_rotate(batch_size=2, dry_run=True)
        assert (dry.total, dry.rotated, dry.current) == (5, 5, 0)
        assert _raw_tokens() == before  # a dry run writes nothing
        report = privacy.rrn_keys_rotate(batch_size=2)
        assert (report.total, report.rotated, report.current, report.unreadable) == (5, 5, 0, 0)
        again = privacy.rrn_keys_rotate(batch_size=2)  # idempotent
        assert (again.rotated, again.current) == (0, 5)
        assert _read_back() == expected  # readable throughout, with both salts
    after = _raw_tokens()
    assert set(after) == set(before) and all(after[pk] != before[pk] for pk in before)
    with override_settings(SALT_KEY=["salt-B-2027"]):  # the old salt removed
        forget_keys()
        verified = privacy.rrn_keys_verify(batch_size=2)
        assert (verified.total, verified.ok, verified.failing) == (5, 5, 0)
        assert _read_back() == expected
        assert Person.objects.get(pk=world.head.pk).rrn_masked == world.head.rrn_masked
    log = AccessLog.objects.get(detail__startswith="RRN key rotation")
    assert log.detail == "RRN key rotation: 5 re-encrypted" and log.user_id is None


def test_rotation_commands_report_and_fail_loudly(world, forget_keys, capsys):
    _members_with_rrn(world, 1)
    salt_a = list(settings.SALT_KEY)
    with override_settings(SALT_KEY=["salt-C", *salt_a]):
        forget_keys()
        with pytest.raises(CommandError, match="2 RRN tokens need the older salts"):
            call_command("rotate_rrn_keys", "--verify")
        call_command("rotate_rrn_keys", "--dry-run")
        assert "would re-encrypt 2" in capsys.readouterr().out
        call_command("rotate_rrn_keys", "--batch-size", "1")
        assert "re-encrypted 2" in capsys.readouterr().out
        call_command("rotate_rrn_keys", "--verify")
        assert "2 open with the primary key alone, 0 would fail" in capsys.readouterr().out
    with override_settings(SALT_KEY=["salt-D"]):  # a salt removed before its rows were rotated
        forget_keys()
        with pytest.raises(CommandError, match="2 RRN tokens open with no configured key"):
            call_command("rotate_rrn_keys")


def test_rotation_does_not_overwrite_a_concurrent_save(world, forget_keys, monkeypatch):
    """A row saved by a worker between the read and the write keeps the worker's value."""
    salt_a = list(settings.SALT_KEY)
    new_digits = rrn_rules.normalize(make_rrn(world.head.birth_date, "F", serial="99999"))
    opens = privacy._opens

    def save_meanwhile(fernet, token):
        if fernet.__class__.__name__ == "Fernet" and not Person.objects.filter(rrn_hash="changed").exists():
            Person.objects.filter(pk=world.head.pk).update(rrn_encrypted=new_digits, rrn_hash="changed")
        return opens(fernet, token)

    with override_settings(SALT_KEY=["salt-E", *salt_a]):
        forget_keys()
        monkeypatch.setattr(privacy, "_opens", save_meanwhile)
        report = privacy.rrn_keys_rotate()
        assert (report.rotated, report.changed_meanwhile) == (0, 1)
        assert Person.objects.get(pk=world.head.pk).rrn_encrypted == new_digits


# --- Full RRN ---------------------------------------------------------------------------------


def _grant(member):
    member.user.user_permissions.add(Permission.objects.get(codename="view_full_rrn"))


def _url(world):
    return reverse("people:person_full_rrn", args=[world.head.uuid])


def _no_rrn_in_access_log(digits: str):
    hyphenated = f"{digits[:6]}-{digits[6:]}"
    for row in AccessLog.objects.values():
        for value in row.values():
            text = str(value)
            assert digits not in text and hyphenated not in text


def test_full_rrn_with_permission_and_reason_is_shown_once_and_audited(client, world):
    _grant(world.lead_worker)
    world.lead_worker.login(client)
    page = client.get(reverse("people:person", args=[world.head.uuid])).content.decode()
    assert _url(world) in page  # the "전체 보기" link
    response = client.get(_url(world))
    assert response.status_code == 200 and world.head_rrn not in response.content.decode()
    response = client.post(_url(world), {"reason": "긴급지원 신청 서류 대조"})
    assert response.status_code == 200
    assert world.head_rrn in response.content.decode()
    assert "no-store" in response["Cache-Control"]
    log = AccessLog.objects.get(detail__startswith="full RRN")
    assert (log.action, log.detail, log.person_ids, log.object_id) == (
        Action.VIEW,
        "full RRN: 긴급지원 신청 서류 대조",
        [world.head.pk],
        str(world.head.uuid),
    )
    assert log.user_id == world.lead_worker.user.pk
    _no_rrn_in_access_log(rrn_rules.normalize(world.head_rrn))


def test_rrn_typed_into_the_reason_is_masked_in_the_log(client, world):
    _grant(world.lead_worker)
    world.lead_worker.login(client)
    response = client.post(_url(world), {"reason": f"본인 확인 {world.head_rrn} 대조"})
    assert world.head_rrn in response.content.decode()
    log = AccessLog.objects.get(detail__startswith="full RRN")
    assert log.detail == f"full RRN: 본인 확인 {world.head.rrn_masked} 대조"
    _no_rrn_in_access_log(rrn_rules.normalize(world.head_rrn))


def test_full_rrn_needs_a_reason(client, world):
    _grant(world.lead_worker)
    world.lead_worker.login(client)
    response = client.post(_url(world), {"reason": "  확인  "})
    text = response.content.decode()
    assert response.status_code == 200 and world.head_rrn not in text and "errorlist" in text
    assert not AccessLog.objects.filter(detail__startswith="full RRN").exists()


def test_full_rrn_without_permission_is_403_and_logged(client, world):
    world.lead_worker.login(client)
    page = client.get(reverse("people:person", args=[world.head.uuid])).content.decode()
    assert _url(world) not in page
    assert client.get(_url(world)).status_code == 403
    response = client.post(_url(world), {"reason": "긴급지원 신청 서류 대조"})
    assert response.status_code == 403 and world.head_rrn not in response.content.decode()
    assert AccessLog.objects.filter(action=Action.DENIED, detail="full RRN: no permission").count() == 2
    assert not AccessLog.objects.filter(detail__startswith="full RRN:", action=Action.VIEW).exists()


def test_full_rrn_needs_an_agency_with_a_legal_basis(client, world):
    _grant(world.participant_worker)  # can read the person (consent), but the welfare centre may not hold RRNs
    world.participant_worker.login(client)
    assert client.post(_url(world), {"reason": "긴급지원 신청 서류 대조"}).status_code == 403


@pytest.mark.parametrize("who", ["unrelated_worker", "b_worker", "auditor"])
def test_full_rrn_out_of_scope_is_404(client, world, who):
    member = getattr(world, who)
    _grant(member)
    member.login(client)
    assert client.get(_url(world)).status_code == 404
    assert client.post(_url(world), {"reason": "긴급지원 신청 서류 대조"}).status_code == 404
    assert AccessLog.objects.filter(action=Action.DENIED, user_id=member.user.pk, object_type="person").count() == 2


def test_full_rrn_service_rechecks_scope(world):
    _grant(world.b_worker)  # another district's office: a legal basis, but not this person's case
    with pytest.raises(PermissionDenied):
        privacy.person_rrn_reveal(actor=world.b_worker.actor, person=world.head, reason="긴급지원 신청 서류 대조")


def test_full_rrn_for_a_person_without_one(client, world):
    _grant(world.lead_worker)
    child = PersonFactory(household=world.household, relation=Person.Relation.CHILD)
    world.lead_worker.login(client)
    page = client.get(reverse("people:person", args=[child.uuid])).content.decode()
    assert reverse("people:person_full_rrn", args=[child.uuid]) not in page
    response = client.post(reverse("people:person_full_rrn", args=[child.uuid]), {"reason": "긴급지원 신청 서류 대조"})
    assert response.status_code == 200 and "등록되어 있지 않습니다" in response.content.decode()
