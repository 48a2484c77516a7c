"""Fixtures for plan tests: a case in planning with one selected agreed need, and the approval switch."""

from __future__ import annotations

import importlib.util
import sys
import types

import pytest

from hamkke.cases.models import Case
from hamkke.cases.stages import Stage
from hamkke.districts.models import DistrictPolicy
from hamkke.resources.tests.factories import NeedFactory


@pytest.fixture
def approvals(monkeypatch):
    """``approvals.require(district_id, bool)`` sets whether the district needs approval for plans.

    Uses the real approvals app; a stand-in with the same contract only while that app has no services yet.
    """
    if importlib.util.find_spec("hamkke.approvals.services") is None:  # pragma: no cover - the app is there

        def approval_submit(*, actor, case, kind, plan=None, payload=None, request=None):
            return object() if DistrictPolicy.for_district(case.district_id).approval_plan else None

        monkeypatch.setitem(
            sys.modules, "hamkke.approvals.services", types.SimpleNamespace(approval_submit=approval_submit)
        )

    class Switch:
        @staticmethod
        def require(district_id: int, needed: bool) -> None:
            policy = DistrictPolicy.for_district(district_id)
            policy.approval_plan = needed
            policy.save(update_fields=["approval_plan"])

    return Switch


@pytest.fixture
def planning(world):
    """world.case moved to planning, with a selected agreed employment need (``world.need``)."""
    Case.objects.filter(pk=world.case.pk).update(stage=Stage.PLANNING)
    world.case.refresh_from_db()
    world.need = NeedFactory(case=world.case)
    return world
