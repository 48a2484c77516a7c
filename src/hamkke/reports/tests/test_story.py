"""The anonymised case story: what is removed or replaced, the approval rule, who may see and download it."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from hamkke.audit.models import AccessLog, Action
from hamkke.cases.services import case_change_stage
from hamkke.cases.stages import Stage
from hamkke.consents.models import Consent
from hamkke.plans.models import Ask
from hamkke.records.models import ContactRecord, ServiceRecord
from hamkke.reports.models import CaseStory
from hamkke.reports.services import story_decide, story_edit, story_export, story_write, workshop_pack
from hamkke.reports.story import Anonymiser, relative
from hamkke.testing.factories import PersonFactory, login_verified

pytestmark = pytest.mark.django_db

D = datetime.date


@pytest.mark.parametrize(
    "day,expected",
    [
        (D(2024, 1, 10), "시작일"),
        (D(2024, 1, 13), "3일 후"),
        (D(2024, 1, 31), "3주 후"),
        (D(2024, 4, 10), "3개월 후"),
        (D(2024, 4, 9), "2개월 후"),
        (D(2025, 3, 15), "1년 2개월 후"),
        (D(2029, 1, 10), "5년 후"),
        (D(2023, 12, 20), "3주 전"),
        (D(2023, 12, 1), "1개월 전"),
    ],
)
def test_relative_dates(day, expected):
    assert relative(day, D(2024, 1, 10)) == expected


def test_anonymiser_removes_identifiers_and_names_people_by_role():
    a = Anonymiser(origin=D(2019, 5, 2))
    a.add("홍길순", "당사자")
    a.add("김영희", "가족", "p2")
    a.add("박순자", "이웃", "n1")
    a.add("이하연", "담당자", "u1")
    a.add("노지은", "담당자", "u2")
    a.add("중림종합사회복지관", "종합사회복지관")
    a.removed.add("서울특별시 중구 퇴계로 100")
    text = a.scrub(
        "2019년 5월 2일 홍길순 님 댁 방문(서울특별시 중구 퇴계로 100). 길순 씨는 문을 열지 않음. 이웃 박순자 님이 "
        "딸 김영희에게 연락(010-2345-6789, 02)123-4567, 01098765432, younghee@example.com). 주민번호 580315-2234566 "
        "확인. 노지은 팀장(중림종합사회복지관)과 통화 후 이하연이 청구로8길 12, 101동 1203호, 123-4번지도 확인. "
        "2024.02.15 대청소. 2020년에 다시 거부. 노지은 팀장과 함께 새로 3개 구입."
    )
    for secret in (
        "홍길순",
        "길순",
        "김영희",
        "박순자",
        "이하연",
        "노지은",
        "010-2345-6789",
        "123-4567",
        "01098765432",
        "example.com",
        "580315",
        "퇴계로",
        "청구로",
        "1203호",
        "123-4번지",
        "2019",
        "2024",
        "2020",
        "중림종합사회복지관",
    ):
        assert secret not in text, secret
    assert text.startswith("시작일 당사자 댁 방문([주소 삭제]). 당사자는 문을 열지 않음. 이웃 A이 딸 가족 A에게")
    assert "[전화번호 삭제]" in text and "[이메일 삭제]" in text and "[주민등록번호 삭제]" in text
    assert "담당자 A 팀장(종합사회복지관)" in text and "담당자 B이" in text  # letters in order of first mention
    assert "시작 4년 9개월 후 대청소" in text and "시작 1년 후에 다시 거부" in text
    assert "새로 3개 구입" in text  # not every number after '로' is an address
    assert text.count("[주소 삭제]") == 4


@pytest.fixture
def history(world):
    """A few months of the world's case, with identifiers in free text."""
    case, lead = world.case, world.lead_worker
    PersonFactory(household=world.household, name="홍민수", relation="child")
    Ask.objects.create(
        district=world.district_a,
        case=case,
        whom="박순자",
        whom_role="neighbour",
        method="request",
        asked_on=world.today,
        recorded_by=lead.user,
    )
    # Seoul days counted from the world's today, at 10:00: the fourth attempt falls on the day the partner
    # joined (today - 25), after that team event, whatever the hour the test runs at. (From now() the
    # run split differently between 00:00 and 09:00 Seoul time, when Seoul is a day ahead of UTC.)
    start = timezone.make_aware(datetime.datetime.combine(world.today - datetime.timedelta(days=29), datetime.time(10)))
    for n in range(4):
        ContactRecord.objects.create(
            district=world.district_a,
            case=case,
            contacted_at=start + datetime.timedelta(days=n + 1),
            kind="outreach",
            outcome="no_answer",
            agency=world.lead_agency,
            recorded_by=lead.user,
            note="문 두드림, 응답 없음" if n else "홍길순 님 010-2345-6789로 전화, 퇴계로 100 앞에서 기다림",
        )
    ContactRecord.objects.create(
        district=world.district_a,
        case=case,
        contacted_at=start + datetime.timedelta(days=20),
        kind="home_visit",
        outcome="met",
        agency=world.participating_agency,
        recorded_by=world.participant_worker.user,
        note="홍민수(아들)와 이웃 박순자 님이 함께 있음. 김주관 담당자와 최참여가 방문",
    )
    ServiceRecord.objects.create(
        district=world.district_a,
        case=case,
        provided_on=world.today - datetime.timedelta(days=3),
        domain="housing",
        mode="linked",
        provider_agency=world.participating_agency,
        description="대청소 자원봉사 연계",
        recorded_by=world.participant_worker.user,
    )
    case_change_stage(actor=lead.actor, case=case, to_stage=Stage.INITIAL_CONSULTATION, reason="홍길순 님 동의")
    return world


def test_story_from_the_timeline_is_anonymised(history):
    world = history
    story = story_write(actor=world.lead_worker.actor, case=world.case)
    assert story.status == CaseStory.Status.PENDING and story.agency == world.lead_agency
    text = story.text
    for secret in (
        world.head.name,
        "길순",
        "홍민수",
        "박순자",
        "김주관",
        "최참여",
        "010-2345-6789",
        "퇴계로",
        world.head_rrn,
        "중구청 희망복지지원단",
        "중구종합사회복지관",
        "소공동",
        str(world.today.year),
    ):
        assert secret not in text, secret
    assert "당사자: 60대 여성 · 가구원 2명" in text
    assert "주관: 구청(희망복지지원단)" in text and "함께한 기관: 종합사회복지관" in text
    assert "가족 A(아들)와 이웃 A" in text and "담당자 A 담당자와 담당자 B가 방문" in text
    assert "[시작일] 구청(희망복지지원단) · 단계 · 발굴" in text
    assert "찾아가기 시도 · 응답 없음 ×3" in text  # a run of attempts is told once, with how many
    assert "주거·생활환경 · 연계 — 대청소 자원봉사 연계" in text
    assert "[4주 후]" in text or "[29일 후]" in text or "[3주 후]" in text


def test_only_a_supervisor_of_the_lead_agency_approves_and_not_their_own(history):
    world = history
    story = story_write(actor=world.lead_worker.actor, case=world.case)
    for who in ("lead_worker", "participant_worker", "district_admin", "unrelated_worker"):
        with pytest.raises(PermissionDenied):
            story_decide(actor=getattr(world, who).actor, story=story, approve=True)
    with pytest.raises(ValidationError) as error:
        story_decide(actor=world.lead_supervisor.actor, story=story, approve=False)
    assert "comment" in error.value.error_dict
    story = story_edit(actor=world.lead_supervisor.actor, story=story, title=story.title, text=story.text + "\n보완")
    with pytest.raises(ValidationError) as error:
        story_decide(actor=world.lead_supervisor.actor, story=story, approve=True)
    assert "decision" in error.value.error_dict  # they edited it last: someone else approves


def test_only_approved_stories_download_and_any_edit_needs_approval_again(history):
    world = history
    story = story_write(actor=world.lead_worker.actor, case=world.case)
    with pytest.raises(ValidationError):
        story_export(actor=world.lead_worker.actor, story=story)
    story = story_decide(actor=world.lead_supervisor.actor, story=story, approve=True, comment="좋습니다")
    assert story.status == CaseStory.Status.APPROVED and story.decided_by == world.lead_supervisor.user
    with pytest.raises(PermissionDenied):  # told from the whole timeline: only with the sensitive-data item
        story_export(actor=world.participant_worker.actor, story=story)
    Consent.objects.filter(pk=world.consent.pk).update(sensitive_data=True)
    exported = story_export(actor=world.participant_worker.actor, story=story)
    assert exported.content.decode("utf-8-sig").startswith(story.title)
    edited = story_edit(
        actor=world.lead_worker.actor, story=story, title="고친 제목", text="홍길순 님께 010-1111-2222로 연락함"
    )
    assert edited.status == CaseStory.Status.PENDING and edited.decided_by is None
    assert edited.text == "당사자께 [전화번호 삭제]로 연락함"  # scrubbed again on save
    with pytest.raises(ValidationError):
        story_export(actor=world.lead_worker.actor, story=edited)


def test_story_pages_over_http(client, history):
    world = history
    world.lead_worker.login(client)
    page = reverse("reports:case_story", args=[world.case.uuid])
    assert "타임라인에서 이야기 만들기" in client.get(page).content.decode()
    response = client.post(reverse("reports:case_story_write", args=[world.case.uuid]))
    assert response.status_code == 302 and response["Location"] == page
    story = CaseStory.objects.get()
    html = client.get(page).content.decode()
    assert "승인 대기" in html and 'id="story-edit"' in html and 'id="story-decision"' not in html
    assert client.get(reverse("reports:story_download", args=[story.uuid])).status_code == 302

    # An edit with an error keeps what was typed.
    response = client.post(reverse("reports:story_edit", args=[story.uuid]), {"title": "", "text": "내가 쓴 글"})
    assert response.status_code == 400 and "내가 쓴 글" in response.content.decode()

    world.lead_supervisor.login(client)
    assert 'id="story-decision"' in client.get(page).content.decode()
    response = client.post(reverse("reports:story_decide", args=[story.uuid]), {"decision": "return"})
    assert response.status_code == 400 and "반려하려면" in response.content.decode()
    client.post(reverse("reports:story_decide", args=[story.uuid]), {"decision": "approve", "comment": ""})
    response = client.get(reverse("reports:story_download", args=[story.uuid]))
    assert response.status_code == 200 and response["Content-Type"].startswith("text/plain")
    assert world.head.name not in response.content.decode("utf-8-sig")
    log = AccessLog.objects.filter(action=Action.EXPORT).get()
    assert log.object_type == "casestory" and log.case_id == world.case.pk


@pytest.mark.parametrize("who", ["unrelated_worker", "b_worker", "b_admin", "auditor", "nobody"])
def test_outsiders_get_404_on_every_story_page(client, history, who):
    world = history
    story = story_write(actor=world.lead_worker.actor, case=world.case)
    story_decide(actor=world.lead_supervisor.actor, story=story, approve=True)
    getattr(world, who).login(client)
    uuid = world.case.uuid
    assert client.get(reverse("reports:case_story", args=[uuid])).status_code == 404
    assert client.post(reverse("reports:case_story_write", args=[uuid])).status_code == 404
    for name in ("story_edit", "story_decide"):
        assert client.post(reverse(f"reports:{name}", args=[story.uuid]), {}).status_code == 404
    assert client.get(reverse("reports:story_download", args=[story.uuid])).status_code == 404
    assert AccessLog.objects.filter(action=Action.DENIED, user_id=getattr(world, who).user.pk).count() == 5


def test_participating_agency_reads_but_cannot_write(client, history):
    world = history
    story_write(actor=world.lead_worker.actor, case=world.case)
    world.participant_worker.login(client)
    html = client.get(reverse("reports:case_story", args=[world.case.uuid])).content.decode()
    assert 'id="story-text"' in html and 'id="story-edit"' not in html
    assert client.post(reverse("reports:case_story_write", args=[world.case.uuid])).status_code == 404
    with pytest.raises(PermissionDenied):
        story_write(actor=world.participant_worker.actor, case=world.case)


def test_story_list_offers_the_workers_own_cases(client, history):
    world = history
    world.lead_worker.login(client)
    response = client.get(reverse("reports:stories"))
    assert world.case in response.context["form"].fields["case"].queryset
    log = AccessLog.objects.filter(action=Action.LIST, user_id=world.lead_worker.user.pk).latest("id")
    assert world.head.pk in log.person_ids
    response = client.post(reverse("reports:story_new"), {"case": str(world.case.uuid)})
    assert response["Location"] == reverse("reports:case_story", args=[world.case.uuid])
    world.participant_worker.login(client)
    response = client.post(reverse("reports:story_new"), {"case": str(world.case.uuid)})
    assert response["Location"] == reverse("reports:stories")  # not one of theirs to write about


def test_story_list_shows_stories_waiting_for_approval_first(client, world):
    from hamkke.testing.factories import CaseFactory, HouseholdFactory

    stories = {}
    for status in ("approved", "pending", "returned"):
        case = CaseFactory(
            household=HouseholdFactory(dong=world.dong_a),
            lead_agency=world.lead_agency,
            lead_worker=world.lead_worker.user,
        )
        stories[status] = CaseStory.objects.create(
            district=world.district_a,
            case=case,
            agency=world.lead_agency,
            title=status,
            text="이야기",
            status=status,
            written_by=world.lead_worker.user,
        )
    world.lead_supervisor.login(client)
    listed = client.get(reverse("reports:stories")).context["stories"]
    assert [s.title for s in listed] == ["pending", "returned", "approved"]


def test_workshop_pack_prints_approved_stories_with_the_years_figures(history, client):
    world = history
    pending = story_write(actor=world.lead_worker.actor, case=world.case)
    with pytest.raises(ValidationError):  # not approved yet: nothing to print
        workshop_pack(actor=world.district_admin.actor, year=world.today.year, story_uuids=[pending.uuid])
    story = story_decide(actor=world.lead_supervisor.actor, story=pending, approve=True, comment="좋습니다")
    with pytest.raises(PermissionDenied):
        workshop_pack(actor=world.lead_supervisor.actor, year=world.today.year, story_uuids=[story.uuid])
    before = AccessLog.objects.filter(action=Action.EXPORT, object_type="casestory").count()
    pack = workshop_pack(actor=world.district_admin.actor, year=world.today.year, story_uuids=[story.uuid])
    assert [s.pk for s in pack.stories] == [story.pk] and pack.stats.period.start.year == world.today.year
    assert AccessLog.objects.filter(action=Action.EXPORT, object_type="casestory").count() == before + 1

    login_verified(client, world.district_admin.user, world.password)
    page = client.post(reverse("reports:workshop"), {"year": world.today.year, "stories": [str(story.uuid)]})
    assert page.status_code == 200 and page["Cache-Control"] == "no-store"
    text = page.content.decode()
    assert story.title in text and "새로 함께한 가구" in text and "홍길순" not in text


def test_too_long_story_text_and_comment_are_field_errors_with_the_limit(history):
    """Lengths are the model's (full_clean in the services), said with the limit and the length now."""
    from hamkke.reports.models import COMMENT_MAX, STORY_MAX

    world = history
    story = story_write(actor=world.lead_worker.actor, case=world.case)
    with pytest.raises(ValidationError) as error:
        story_edit(actor=world.lead_worker.actor, story=story, title="제목", text="가" * (STORY_MAX + 1))
    assert error.value.message_dict["text"] == [f"{STORY_MAX}자 이내로 줄여 적으세요(지금 {STORY_MAX + 1}자)."]
    with pytest.raises(ValidationError) as error:
        story_decide(actor=world.lead_supervisor.actor, story=story, approve=False, comment="가" * (COMMENT_MAX + 1))
    assert error.value.message_dict["comment"] == [f"{COMMENT_MAX}자 이내로 줄여 적으세요(지금 {COMMENT_MAX + 1}자)."]
    story.refresh_from_db()
    assert story.status == CaseStory.Status.PENDING
