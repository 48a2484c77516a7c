"""The plans-service spy for the approval tests."""

from __future__ import annotations

import sys
import types

import pytest


@pytest.fixture
def plan_calls(monkeypatch):
    """Spy on plans.services.plan_activate / plan_return, which the registered plan handler calls."""
    try:
        import hamkke.plans.services as module
    except ImportError:
        module = types.ModuleType("hamkke.plans.services")
        monkeypatch.setitem(sys.modules, "hamkke.plans.services", module)
    calls = []
    monkeypatch.setattr(
        module,
        "plan_activate",
        lambda *, actor, plan, request=None: calls.append(("activate", actor, plan)),
        raising=False,
    )
    monkeypatch.setattr(
        module,
        "plan_return",
        lambda *, actor, plan, comment, request=None: calls.append(("return", actor, plan, comment)),
        raising=False,
    )
    return calls
