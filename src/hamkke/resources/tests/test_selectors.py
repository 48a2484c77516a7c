"""Reading the directory (district only, searchable) and the resource proposals in DOMAIN.md §4 order."""

import pytest

from hamkke.assessment.models import Need, Strength
from hamkke.cases.selectors import case_get_for_actor
from hamkke.core.domains import LifeDomain
from hamkke.resources.models import Resource
from hamkke.resources.selectors import resource_get_for_actor, resource_list, resource_proposals
from hamkke.testing.factories import CaseFactory

from .factories import NeedFactory, ResourceFactory, StrengthFactory

pytestmark = pytest.mark.django_db

INFORMAL, FORMAL = Resource.Kind.INFORMAL, Resource.Kind.FORMAL
EMPLOYMENT, HOUSING = LifeDomain.EMPLOYMENT, LifeDomain.HOUSING


def informal(world, name, **kwargs):
    kwargs.setdefault("agency", world.participating_agency)
    kwargs.setdefault("type", Resource.Type.COMMUNITY_GROUP)
    return ResourceFactory(name=name, kind=INFORMAL, **kwargs)


def test_directory_is_kept_per_district(world):
    mine = ResourceFactory(agency=world.participating_agency, name="중구 자원")
    theirs = ResourceFactory(agency=world.agency_b, name="성동구 자원")
    assert list(resource_list(actor=world.lead_worker.actor)) == [mine]
    assert list(resource_list(actor=world.district_admin.actor)) == [mine]
    assert list(resource_list(actor=world.b_worker.actor)) == [theirs]
    assert resource_get_for_actor(actor=world.unrelated_worker.actor, uuid=mine.uuid) == mine
    with pytest.raises(Resource.DoesNotExist):
        resource_get_for_actor(actor=world.b_worker.actor, uuid=mine.uuid)


@pytest.mark.parametrize("who", ["auditor", "nobody"])
def test_auditors_and_people_without_membership_read_nothing(world, who):
    resource = ResourceFactory(agency=world.lead_agency)
    assert not resource_list(actor=getattr(world, who).actor).exists()
    with pytest.raises(Resource.DoesNotExist):
        resource_get_for_actor(actor=getattr(world, who).actor, uuid=resource.uuid)


def test_search_by_text_kind_domain_dong_and_active(world):
    barista = ResourceFactory(
        agency=world.lead_agency, name="바리스타 양성 과정", description="12주 커피 교육", dongs=[world.dong_a2]
    )
    church = informal(
        world,
        "명동 성당 반찬 나눔",
        type=Resource.Type.RELIGIOUS_GROUP,
        domain=LifeDomain.LIVELIHOOD,
        provider="명동성당 사회사목부",
    )
    everywhere = ResourceFactory(agency=world.lead_agency, name="주거 상담", domain=HOUSING)
    closed = ResourceFactory(agency=world.lead_agency, name="폐지된 커피 교실", is_active=False)
    actor = world.lead_worker.actor

    def names(**kwargs):
        return [r.name for r in resource_list(actor=actor, **kwargs)]

    assert names(text="커피") == [barista.name]  # description, active only by default
    assert names(text="사회사목") == [church.name]  # provider
    assert names(text="바리스타") == [barista.name]
    assert names(text="커피", active=None) == [barista.name, closed.name]
    assert names(active=False) == [closed.name]
    assert names(kind=INFORMAL) == [church.name]
    assert names(domain=HOUSING) == [everywhere.name]
    # a dong keeps what serves it, and what serves the whole district
    assert names(dong_id=world.dong_a2.pk) == sorted([barista.name, church.name, everywhere.name])
    assert names(dong_id=world.dong_a.pk) == sorted([church.name, everywhere.name])


@pytest.fixture
def proposal_world(world):
    """A case whose agreed need is employment, household in 소공동 (world.dong_a)."""
    case = case_get_for_actor(actor=world.lead_worker.actor, uuid=world.case.uuid)
    need = NeedFactory(case=case, domain=EMPLOYMENT)
    s = {
        "inner_match_b": StrengthFactory(
            case=case, side=Strength.Side.INNER, description="나: 커피를 좋아함", domain=EMPLOYMENT
        ),
        "inner_match_a": StrengthFactory(
            case=case,
            side=Strength.Side.INNER,
            kind=Strength.Kind.ABILITY,
            description="가: 손님 응대 경험",
            domain=EMPLOYMENT,
        ),
        "inner_other": StrengthFactory(case=case, side=Strength.Side.INNER, description="가: 요리를 잘함", domain=""),
        "outer_other": StrengthFactory(
            case=case,
            side=Strength.Side.OUTER,
            kind=Strength.Kind.NEIGHBOUR,
            description="가: 옆집 할머니",
            domain=LifeDomain.DAILY_LIVING,
        ),
        "outer_match": StrengthFactory(
            case=case,
            side=Strength.Side.OUTER,
            kind=Strength.Kind.FAMILY,
            description="하: 카페 하는 큰딸",
            domain=EMPLOYMENT,
        ),
    }
    other_case = CaseFactory(household__dong=world.dong_a, district=world.district_a)
    StrengthFactory(case=other_case, description="남의 강점", domain=EMPLOYMENT)
    r = {
        # informal, same domain: whole district / serving 소공동 / ordinary first / then name
        "A": informal(world, "라 동네 카페 모임"),
        "E": informal(world, "마 상점가 일자리 모임", dongs=[world.dong_a, world.dong_a2]),
        "B": informal(world, "가 교회 취업 멘토", is_ordinary=False, dongs=[world.dong_a]),
        "C": informal(world, "나 명동 주민 모임", dongs=[world.dong_a2]),  # not the household's dong
        "D": informal(world, "다 집수리 봉사단", domain=HOUSING),  # another domain
        "F": informal(world, "가 문 닫은 모임", is_active=False),
        # formal
        "G": ResourceFactory(agency=world.unrelated_agency, name="바리스타 양성 과정"),
        "H": ResourceFactory(agency=world.lead_agency, name="가 주거 지원", type=Resource.Type.HOUSING, domain=HOUSING),
        "I": ResourceFactory(agency=world.agency_b, name="가 성동구 일자리"),  # another district
    }
    return case, need, s, r


def test_proposals_come_in_domain_order(world, proposal_world):
    case, need, s, r = proposal_world
    proposals = resource_proposals(actor=world.lead_worker.actor, case=case, need=need)
    assert [p.item for p in proposals] == [
        s["inner_match_a"],
        s["inner_match_b"],
        s["inner_other"],  # the person's own, inner
        s["outer_match"],
        s["outer_other"],  # their relationships
        r["A"],
        r["E"],
        r["B"],
        r["C"],
        r["D"],  # informal
        r["G"],
        r["H"],  # formal
    ]
    assert [p.source for p in proposals] == ["inner"] * 3 + ["outer"] * 2 + ["informal"] * 5 + ["formal"] * 2
    by_item = {p.item: p for p in proposals}
    assert by_item[r["A"]].same_domain and "시군구 전체 이용" in by_item[r["A"]].reasons
    assert "가구의 행정동에서 이용" in by_item[r["B"]].reasons and "평범한 자원" not in by_item[r["B"]].reasons
    assert not by_item[r["D"]].same_domain and by_item[s["inner_match_a"]].same_domain
    assert by_item[s["inner_match_a"]].key == f"strength:{s['inner_match_a'].uuid}"
    assert by_item[r["G"]].key == f"resource:{r['G'].uuid}" and by_item[r["G"]].resource == r["G"]


def test_proposals_for_a_need_of_another_case_are_empty(world, proposal_world):
    case, _need, _s, _r = proposal_world
    other_need = NeedFactory(case=CaseFactory(household__dong=world.dong_a, district=world.district_a))
    assert resource_proposals(actor=world.lead_worker.actor, case=case, need=other_need) == []


def test_proposals_take_a_constant_number_of_queries(world, proposal_world, django_assert_max_num_queries):
    case, need, _s, _r = proposal_world
    with django_assert_max_num_queries(2):
        few = resource_proposals(actor=world.lead_worker.actor, case=case, need=need)
    for n in range(20):
        informal(world, f"추가 모임 {n}", dongs=[world.dong_a])
        StrengthFactory(case=case, description=f"추가 강점 {n}")
    with django_assert_max_num_queries(2):
        many = resource_proposals(actor=world.lead_worker.actor, case=case, need=need)
    assert len(many) == len(few) + 40


def test_need_status_is_the_callers_business(world, proposal_world):
    """Proposals are about a need; which needs may carry goals is the plan's rule (goal_add)."""
    case, need, _s, _r = proposal_world
    Need.objects.filter(pk=need.pk).update(status=Need.Status.DISCUSSING)
    need.refresh_from_db()
    assert resource_proposals(actor=world.lead_worker.actor, case=case, need=need)
