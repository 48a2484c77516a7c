"""The workflow module: every stage fully specified, every approval kind handled, one source of facts."""

import dataclasses

import pytest
from django.template import Context, Template

from hamkke.cases import workflow
from hamkke.cases.workflow import (
    APPROVAL_POLICY_FIELD,
    SPECS,
    ApprovalKind,
    Chapter,
    Classification,
    Monitoring,
    Stage,
    StageSpec,
    Tone,
)
from hamkke.districts.models import DistrictPolicy

SPEC_FIELDS = {f.name for f in dataclasses.fields(StageSpec)}


def test_every_stage_has_exactly_one_spec():
    assert set(SPECS) == set(Stage.values)
    assert all(sp.stage == stage for stage, sp in SPECS.items())


@pytest.mark.parametrize("stage", Stage.values)
def test_every_stage_is_fully_specified(stage):
    sp = SPECS[stage]
    assert sp.label == str(Stage(stage).label) and sp.label
    assert sp.tone in Tone.values
    assert sp.monitoring in Monitoring.values
    assert sp.classification in Classification.values
    assert sp.chapter in Chapter.values
    assert isinstance(sp.reason_required, bool) and isinstance(sp.open, bool)
    assert sp.approval == "" or sp.approval in ApprovalKind.values
    assert sp.next and sp.next <= set(Stage.values), "a stage with no way out could only be fixed in the database"
    assert stage not in sp.next
    for kind, to_stage in sp.advances_on.items():
        assert kind in ApprovalKind.values
        assert to_stage in sp.next and not SPECS[to_stage].approval
    # A stage a case is closed in keeps the follow-up schedule and is not worked on.
    assert (sp.monitoring == Monitoring.FOLLOW_UP) == (not sp.open)


def test_the_spec_names_every_field_it_is_read_for():
    """If a field is added to StageSpec, this list and the tests above are the place to say why."""
    assert SPEC_FIELDS == {
        "stage",
        "tone",
        "monitoring",
        "next",
        "reason_required",
        "approval",
        "classification",
        "advances_on",
        "open",
        "chapter",
    }


def test_every_stage_is_reachable_from_identification():
    seen, todo = {Stage.IDENTIFICATION}, [Stage.IDENTIFICATION]
    while todo:
        for nxt in SPECS[todo.pop()].next:
            if nxt not in seen:
                seen.add(nxt)
                todo.append(nxt)
    assert seen == set(Stage.values)


def test_a_stage_that_needs_an_approval_is_not_offered_as_a_plain_change():
    for stage in Stage.values:
        assert all(not SPECS[s].approval for s in workflow.direct_next(stage))
        assert set(workflow.direct_next(stage)) | {s for s in SPECS[stage].next if SPECS[s].approval} == set(
            SPECS[stage].next
        )


@pytest.mark.parametrize("kind", ApprovalKind.values)
def test_every_approval_kind_has_a_district_switch_and_a_registered_handler(kind):
    """The plans and cases apps register their handlers at start-up (AppConfig.ready)."""
    field = DistrictPolicy._meta.get_field(APPROVAL_POLICY_FIELD[kind])
    assert field.get_internal_type() == "BooleanField"
    assert callable(workflow.approval_handler(kind).apply)


def test_registering_an_unknown_kind_is_refused():
    with pytest.raises(ValueError):
        workflow.register_approval("nonsense", workflow.ApprovalHandler(apply=print))


@pytest.mark.parametrize("stage", Stage.values)
def test_the_stage_badge_reads_its_tone_from_the_spec(stage):
    html = Template("{% load hamkke %}{{ stage|stage_tone }}").render(Context({"stage": stage}))
    assert html == SPECS[stage].tone


def test_the_closing_stage_needs_the_closure_approval():
    assert SPECS[Stage.CLOSED].approval == ApprovalKind.CLOSURE
