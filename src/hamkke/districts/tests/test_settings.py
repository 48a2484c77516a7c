"""District settings (시군구 운영 기준): district admins only; policy and case types validated and audited."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from hamkke.audit.models import AccessLog, Action
from hamkke.cases.models import CaseType
from hamkke.districts.models import DistrictPolicy
from hamkke.districts.services import case_type_save, district_policy_update

pytestmark = pytest.mark.django_db

SETTINGS = "districts:settings"


def policy_post(**overrides):
    data = {
        "high_crisis_monitoring_days": "7",
        "refused_visit_days": "30",
        "intake_to_assessment_days": "10",
        "conference_to_selection_days": "5",
        "planning_days": "15",
        "intake_to_plan_days": "30",
        "reassessment_months": "6",
        "no_contact_alert_days": "90",
        "follow_up_days": "30, 90, 180",
        "approval_classification": "on",
        "approval_plan": "on",
        "approval_closure": "on",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def policy(world) -> DistrictPolicy:
    return DistrictPolicy.for_district(world.district_a.pk)


def test_settings_page_for_the_district_admin(client, world):
    world.district_admin.login(client)
    response = client.get(reverse(SETTINGS))
    assert response.status_code == 200
    text = response.content.decode()
    assert "시군구 운영 기준" in text and "고난도" in text and 'value="30, 90, 180"' in text


@pytest.mark.parametrize("who", ["lead_worker", "lead_supervisor", "lead_admin", "auditor", "nobody"])
def test_settings_are_403_for_everyone_else(client, world, who):
    getattr(world, who).login(client)
    general = CaseType.objects.get(district=world.district_a, code="general")
    assert client.get(reverse(SETTINGS)).status_code == 403
    assert client.post(reverse(SETTINGS), policy_post(planning_days="99")).status_code == 403
    assert client.post(reverse("districts:case_type_add"), {"new-name": "집중"}).status_code == 403
    assert client.post(reverse("districts:case_type_edit", args=[general.pk]), {}).status_code == 403
    assert policy(world).planning_days == 15 and not CaseType.objects.filter(name="집중").exists()


def test_anonymous_is_sent_to_login(client, world):
    assert client.get(reverse(SETTINGS))["Location"].startswith(reverse("login"))


def test_policy_is_saved_sorted_and_audited(client, world):
    world.district_admin.login(client)
    response = client.post(
        reverse(SETTINGS), policy_post(follow_up_days="180,30, 90 ,30", planning_days="20", approval_plan=None)
    )
    assert response.status_code == 302
    saved = policy(world)
    assert saved.follow_up_days == [30, 90, 180] and saved.planning_days == 20
    assert (saved.approval_classification, saved.approval_plan, saved.approval_closure) == (True, False, True)
    assert AccessLog.objects.filter(
        action=Action.UPDATE, object_type="districtpolicy", user_id=world.district_admin.user.pk
    ).exists()


@pytest.mark.parametrize("bad", ["30, abc", "0", "-5, 30", "30;90", "3.5", "99999", "３０"])
def test_bad_follow_up_list_is_a_form_error_and_keeps_the_text(client, world, bad):
    world.district_admin.login(client)
    response = client.post(reverse(SETTINGS), policy_post(follow_up_days=bad, planning_days="21"))
    assert response.status_code == 200
    text = response.content.decode()
    assert "errorlist" in text and f'value="{bad}"' in text
    assert policy(world).follow_up_days == [30, 90, 180] and policy(world).planning_days == 15


def test_empty_follow_up_list_means_no_follow_up_schedule(client, world):
    world.district_admin.login(client)
    assert client.post(reverse(SETTINGS), policy_post(follow_up_days="")).status_code == 302
    assert policy(world).follow_up_days == []


def test_zero_or_garbage_days_are_form_errors(client, world):
    world.district_admin.login(client)
    for value in ("0", "x", "400"):
        response = client.post(reverse(SETTINGS), policy_post(planning_days=value))
        assert response.status_code == 200 and "errorlist" in response.content.decode()
    assert policy(world).planning_days == 15


def test_policy_service_checks_its_input_and_its_caller(world):
    with pytest.raises(PermissionDenied):
        district_policy_update(actor=world.lead_supervisor.actor, changes={"planning_days": 20})
    with pytest.raises(ValidationError) as caught:
        district_policy_update(
            actor=world.district_admin.actor, changes={"follow_up_days": [30, 0], "planning_days": True}
        )
    assert set(caught.value.message_dict) == {"follow_up_days", "planning_days"}
    with pytest.raises(ValidationError):
        district_policy_update(actor=world.district_admin.actor, changes={"district_id": world.district_b.pk})


def test_the_other_districts_policy_is_untouched(world):
    district_policy_update(actor=world.b_admin.actor, changes={"approval_closure": False})
    assert policy(world).approval_closure is True
    assert DistrictPolicy.for_district(world.district_b.pk).approval_closure is False


def test_add_intensive_case_type(client, world):
    world.district_admin.login(client)
    response = client.post(
        reverse("districts:case_type_add"), {"new-name": "집중", "new-monitoring_days": "7", "new-is_active": "on"}
    )
    assert response.status_code == 302
    added = CaseType.objects.get(district=world.district_a, name="집중")
    assert added.monitoring_days == 7 and added.is_active and not added.referral_only
    assert added.code and added.order > max(t.order for t in world.case_types_a)
    assert AccessLog.objects.filter(action=Action.CREATE, object_type="casetype").exists()
    second = case_type_save(actor=world.district_admin.actor, name="집중2", monitoring_days=10)
    assert second.code != added.code


def test_case_type_errors_show_on_the_form(client, world):
    world.district_admin.login(client)
    response = client.post(reverse("districts:case_type_add"), {"new-name": "일반", "new-monitoring_days": "30"})
    assert response.status_code == 200 and "같은 이름" in response.content.decode()
    response = client.post(reverse("districts:case_type_add"), {"new-name": "집중", "new-monitoring_days": "0"})
    text = response.content.decode()
    assert response.status_code == 200 and "errorlist" in text and 'value="집중"' in text
    assert not CaseType.objects.filter(name="집중").exists()


def test_edit_and_deactivate_a_case_type_but_never_the_last_active_one(client, world):
    world.district_admin.login(client)
    general = CaseType.objects.get(district=world.district_a, code="general")
    prefix = f"ct{general.pk}"
    response = client.post(
        reverse("districts:case_type_edit", args=[general.pk]),
        {f"{prefix}-name": "일반", f"{prefix}-monitoring_days": "21"},
    )
    assert response.status_code == 302
    general.refresh_from_db()
    assert general.monitoring_days == 21 and not general.is_active
    CaseType.objects.filter(district=world.district_a).exclude(pk=general.pk).update(is_active=False)
    general.is_active = True
    general.save()
    with pytest.raises(ValidationError) as caught:
        case_type_save(
            actor=world.district_admin.actor, case_type=general, name="일반", monitoring_days=21, is_active=False
        )
    assert "is_active" in caught.value.message_dict


def test_case_types_of_another_district_are_out_of_reach(client, world):
    general = CaseType.objects.get(district=world.district_a, code="general")
    world.b_admin.login(client)
    assert (
        client.post(
            reverse("districts:case_type_edit", args=[general.pk]),
            {f"ct{general.pk}-name": "탈취", f"ct{general.pk}-monitoring_days": "1"},
        ).status_code
        == 404
    )
    with pytest.raises(PermissionDenied):
        case_type_save(actor=world.b_admin.actor, case_type=general, name="탈취", monitoring_days=1)
    general.refresh_from_db()
    assert general.name == "일반"


def test_a_too_long_case_type_name_is_said_with_the_limit_with_the_other_errors(world):
    """The name's length is the model's (full_clean in the service), reported in the same round as the
    monitoring interval's range."""
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as error:
        case_type_save(actor=world.district_admin.actor, name="가" * 31, monitoring_days=0)
    assert error.value.message_dict["name"] == ["30자 이내로 줄여 적으세요(지금 31자)."]
    assert "monitoring_days" in error.value.message_dict
    assert case_type_save(actor=world.district_admin.actor, name="가" * 30, monitoring_days=10).name == "가" * 30
