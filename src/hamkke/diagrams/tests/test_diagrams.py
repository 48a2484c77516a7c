"""Genogram and eco-map drawn from the record: structure of the SVG for a three-generation household
and a person living alone, the rings of DOMAIN.md §4, line styles, the sensitive-data rule, access."""

import datetime
import xml.etree.ElementTree as ET

import pytest
from django.urls import reverse

from hamkke.assessment.models import Strength
from hamkke.assessment.services import strength_record
from hamkke.diagrams import selectors
from hamkke.diagrams.layout import Member, Tie, ecomap_layout, genogram_layout
from hamkke.people.models import Person
from hamkke.records.services import service_record_add
from hamkke.testing.factories import PersonFactory

SVG = "{http://www.w3.org/2000/svg}"


def _svg(client, url) -> ET.Element:
    response = client.get(url)
    assert response.status_code == 200, response.status_code
    return ET.fromstring(response.content)


def _members(root: ET.Element) -> dict[str, ET.Element]:
    return {g.get("data-relation") + ":" + g.find(f"{SVG}title").text: g for g in root.iter(f"{SVG}g")}


def _three_generations(world):
    household = world.household
    head = world.head
    head.sex, head.relation = Person.Sex.MALE, Person.Relation.HEAD
    head.save()
    PersonFactory(household=household, name="배우자", sex="F", relation="spouse", birth_date=datetime.date(1956, 3, 1))
    PersonFactory(household=household, name="아들", sex="M", relation="child", birth_date=datetime.date(1980, 1, 1))
    PersonFactory(household=household, name="딸", sex="F", relation="child", birth_date=datetime.date(1983, 1, 1))
    PersonFactory(
        household=household, name="손녀", sex="F", relation="grandchild", birth_date=datetime.date(2012, 1, 1)
    )


@pytest.mark.django_db
def test_genogram_of_a_three_generation_household(world, client):
    _three_generations(world)
    world.lead_worker.login(client)
    root = _svg(client, reverse("diagrams:genogram_svg", args=[world.case.uuid]))
    groups = [g for g in root.iter(f"{SVG}g") if g.get("data-relation")]
    by_relation = {}
    for g in groups:
        by_relation.setdefault(g.get("data-relation"), []).append(g)
    assert {r: len(v) for r, v in by_relation.items()} == {"head": 1, "spouse": 1, "child": 2, "grandchild": 1}
    generations = {g.get("data-relation"): int(g.get("data-generation")) for g in groups}
    assert generations == {"head": 0, "spouse": 0, "child": 1, "grandchild": 2}
    # symbols: square for a man, circle for a woman; the person of the case has a double outline
    head = by_relation["head"][0]
    assert "index" in head.get("class") and len(head.findall(f"{SVG}rect")) == 2
    assert by_relation["spouse"][0].find(f"{SVG}circle") is not None
    assert {len(g.findall(f"{SVG}circle")) for g in by_relation["child"]} == {0, 1}  # a son and a daughter
    # the couple's line and the children's lines; everyone inside the household box
    lines = [tuple(float(line.get(a)) for a in ("x1", "y1", "x2", "y2")) for line in root.iter(f"{SVG}line")]
    assert any(y1 == y2 and x1 != x2 for x1, y1, x2, y2 in lines), "no horizontal couple or sibship line"
    assert len(lines) >= 8
    assert root.find(f"{SVG}rect[@class='household']") is not None


def test_genogram_of_a_person_living_alone():
    layout = genogram_layout([Member(key="a", label="홀로", relation="head", sex="F", age=81, is_index=True)])
    assert layout.lines == []
    assert [p.generation for p in layout.members] == [0]
    assert layout.household_box is not None


def test_genogram_puts_parents_above_and_children_below():
    layout = genogram_layout(
        [
            Member(key="p", label="어머니", relation="parent", sex="F"),
            Member(key="h", label="본인", relation="head", sex="M", is_index=True),
            Member(key="c", label="자녀", relation="child", sex=""),
        ]
    )
    y = {p.member.key: p.y for p in layout.members}
    assert y["p"] < y["h"] < y["c"]


def test_ecomap_rings_follow_the_practice_order():
    ties = [
        Tie(ring="formal", label="복지관"),
        Tie(ring="inner", label="요리 솜씨"),
        Tie(ring="informal", label="반찬 나눔"),
        Tie(ring="outer", label="딸", tie="stressful"),
    ]
    layout = ecomap_layout("당사자", ties)
    radius = {t.tie.ring: ((t.x - layout.centre) ** 2 + (t.y - layout.centre) ** 2) ** 0.5 for t in layout.ties}
    assert radius["inner"] < radius["outer"] < radius["informal"] < radius["formal"]
    stressful = next(t for t in layout.ties if t.tie.tie == "stressful")
    assert stressful.path.startswith("M ") and stressful.path.count("L ") > 10


@pytest.mark.django_db
def test_ecomap_of_a_case_from_strengths_and_services(world, client):
    actor = world.lead_worker.actor
    strength_record(actor=actor, case=world.case, side="inner", kind="ability", description="요리 솜씨")
    strength_record(
        actor=actor, case=world.case, side="outer", kind="family", description="멀리 사는 딸", tie="stressful"
    )
    strength_record(
        actor=actor, case=world.case, side="outer", kind="neighbour", description="앞집 할머니", in_use=False
    )
    strength_record(
        actor=actor,
        case=world.case,
        side="outer",
        kind="friend",
        description="병원 동행 친구",
        domain="physical_health",
    )
    service_record_add(
        actor=actor,
        case=world.case,
        provided_on=world.today,
        domain="housing",
        mode="direct",
        description="주거 점검",
        provider_agency=world.lead_agency,
    )
    world.lead_worker.login(client)
    root = _svg(client, reverse("diagrams:ecomap_svg", args=[world.case.uuid]))
    ties = {
        g.find(f"{SVG}title").text.split(" · ")[0]: g.get("class")
        for g in root.iter(f"{SVG}g")
        if "tie " in (g.get("class") or "") + " "
    }
    assert "tie-inner" in ties["요리 솜씨"]
    assert "tie-stressful" in ties["멀리 사는 딸"]
    assert "tie-potential" in ties["앞집 할머니"]
    assert "tie-formal" in ties[world.lead_agency.name] and "tie-help" in ties[world.lead_agency.name]
    assert "병원 동행 친구" in ties  # the lead agency sees health-related strengths

    # a partner without the sensitive-data item does not see the health-related strength
    assert not world.consent.sensitive_data
    partner = [t.label for t in selectors.ecomap_ties(actor=world.participant_worker.actor, case=world.case)]
    assert "앞집 할머니" in partner and "병원 동행 친구" not in partner


@pytest.mark.django_db
def test_diagram_page_is_a_case_tab_and_scoped(world, client):
    world.unrelated_worker.login(client)
    assert client.get(reverse("diagrams:case", args=[world.case.uuid])).status_code == 404
    client.logout()
    world.lead_worker.login(client)
    response = client.get(reverse("diagrams:case", args=[world.case.uuid]))
    assert response.status_code == 200
    assert "가계도" in response.content.decode() and "생태도" in response.content.decode()


@pytest.mark.django_db
def test_strength_kinds_of_outer_side_keep_their_tie(world):
    strength = strength_record(
        actor=world.lead_worker.actor, case=world.case, side="outer", kind="friend", description="친구", tie="weak"
    )
    assert (strength.tie, strength.in_use) == (Strength.Tie.WEAK, True)
    with pytest.raises(Exception, match="관계의 성격"):
        strength_record(
            actor=world.lead_worker.actor, case=world.case, side="outer", kind="friend", description="x", tie="bad"
        )
