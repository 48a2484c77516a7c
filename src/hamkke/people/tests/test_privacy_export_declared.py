"""The access-request export is built from the personal-data declarations (issue 12 item 4): every text
a model declares about the people served appears in it, a new declaration included, without the export
being touched; the sensitive-data rule still applies."""

from __future__ import annotations

import dataclasses

import pytest

from hamkke.assessment.models import Need
from hamkke.cases.models import CaseParticipant
from hamkke.core import personal
from hamkke.core.domains import LifeDomain
from hamkke.people import privacy

pytestmark = pytest.mark.django_db

REASON = "열람 청구 접수 2026-119호"

CASE_BOUND = [
    (found.label, name)
    for found in sorted(personal.REGISTRY.values(), key=lambda d: d.label)
    if found.case_path not in (None, "pk")
    for name in found.client_texts
]


def _export(world) -> dict:
    return privacy.person_data_export(actor=world.lead_worker.actor, person=world.head, reason=REASON)


@pytest.mark.parametrize("label,field", CASE_BOUND, ids=[f"{label}.{field}" for label, field in CASE_BOUND])
def test_every_declared_text_of_a_case_record_is_a_field_of_the_export(label, field):
    keys = {model._meta.label: key for key, model, _found, _fields in privacy.export_sections()}
    assert field in privacy.export_legend()[keys[label]]["fields"], f"{label}.{field}: declared, not exported"


def test_a_newly_declared_field_appears_in_the_export_without_touching_it(world, monkeypatch):
    # CaseParticipant.role is declared not personal and its rows belong to no section: declare it a
    # text about the person, bound to the case, as a new model's author would.
    before = _export(world)["cases"][0]
    assert "participants" not in before
    old = personal.REGISTRY[CaseParticipant._meta.label]
    monkeypatch.setitem(
        personal.REGISTRY,
        CaseParticipant._meta.label,
        dataclasses.replace(old, case_path="case", client_texts=("role",), not_personal=()),
    )
    data = _export(world)
    [case] = data["cases"]
    roles = {row["role"] for row in case["participants"]}
    assert roles == set(CaseParticipant.objects.filter(case=world.case).values_list("role", flat=True))
    assert data["legend"]["participants"]["fields"]["role"] == str(CaseParticipant._meta.get_field("role").verbose_name)
    assert str(CaseParticipant._meta.verbose_name_plural) in privacy.export_as_html(data)


def _need(world, domain: str, **texts: str) -> Need:
    return Need.objects.create(
        district=world.district_a,
        case=world.case,
        person=world.head,
        domain=domain,
        recorded_by=world.lead_worker.user,
        **texts,
    )


def test_every_declared_text_of_a_need_is_exported_and_printed(world):
    _need(
        world,
        "housing",
        expressed_text="집을 치우고 싶어요",
        felt_text="깨끗한 집",
        agreed_text="한 달에 한 번 함께 정리",
    )
    data = _export(world)
    [need] = data["cases"][0]["needs"]
    declared = personal.declaration(Need._meta.label).client_texts
    assert {name: need[name] for name in declared} == {
        "expressed_text": "집을 치우고 싶어요",
        "felt_text": "깨끗한 집",
        "agreed_text": "한 달에 한 번 함께 정리",
        "set_aside_note": "",
    }
    assert need["domain"] == str(LifeDomain.HOUSING.label)  # a code is shown by its label
    html = privacy.export_as_html(data)
    assert "한 달에 한 번 함께 정리" in html and str(Need._meta.verbose_name_plural) in html


def test_a_health_need_is_left_out_for_a_reader_without_the_sensitive_permission(world):
    from hamkke.testing.factories import CaseFactory

    _need(world, "mental_health", expressed_text="잠을 못 자요")
    own = _export(world)
    assert [n["expressed_text"] for n in own["cases"][0]["needs"]] == ["잠을 못 자요"]
    # the participating agency leads another case of the household: it exports, without the health need
    CaseFactory(
        household=world.household,
        lead_agency=world.participating_agency,
        lead_worker=world.participant_worker.user,
    )
    theirs = privacy.person_data_export(actor=world.participant_worker.actor, person=world.head, reason=REASON)
    assert "잠을 못 자요" not in privacy.export_as_json(theirs)
