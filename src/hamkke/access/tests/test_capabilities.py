"""Role checks live in the policy (CAPABILITIES), asked for by name; the rest of the code asks ``may``."""

import re
from pathlib import Path

import pytest

from hamkke.access import policy
from hamkke.accounts.models import Role

SRC = Path(policy.__file__).resolve().parents[1]
ROLE_CHECK = re.compile(
    r"\.role\s*(==|!=|in\b|not in\b)|\bRole\.(WORKER|SUPERVISOR|AGENCY_ADMIN|DISTRICT_ADMIN|AUDITOR)\b"
)
# Where a role may still be named: the policy itself, the account model and the actor, two-factor
# (authentication, decided before any access), and a label that shows the role next to a name.
ALLOWED = {
    "access/policy.py",
    "access/matrix.py",
    "accounts/models.py",
    "accounts/actor.py",
    "accounts/twofactor.py",
    "conferences/forms.py",
}
SKIPPED_DIRS = {"tests", "migrations", "demo", "bench", "testing", "e2e"}


TEMPLATE_ROLE_CHECK = re.compile(r"\.role\s*(==|!=|\bin\b|not in\b)")


def test_no_role_check_in_a_template():
    """Templates ask what the view got from the policy (a capability), never the role itself."""
    templates = SRC / "templates"
    found = [
        f"{path.relative_to(templates)}:{number}"
        for path in templates.rglob("*.html")
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
        if TEMPLATE_ROLE_CHECK.search(line)
    ]
    assert found == []


def test_no_role_check_outside_the_policy():
    found = []
    for path in SRC.rglob("*.py"):
        rel = path.relative_to(SRC).as_posix()
        if rel in ALLOWED or SKIPPED_DIRS & set(path.relative_to(SRC).parts):
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if ROLE_CHECK.search(line):
                found.append(f"{rel}:{number}: {line.strip()}")
    assert found == [], "ask policy.may(actor, CAPABILITY) instead:\n" + "\n".join(found)


@pytest.mark.parametrize("capability", sorted(policy.CAPABILITIES))
def test_every_capability_names_known_roles_and_never_the_auditor_for_case_work(capability):
    roles = policy.CAPABILITIES[capability]
    assert roles and roles <= set(Role.values)
    if capability not in (policy.READ_ACCESS_LOG, policy.SIGN_ACCESS_REVIEW):
        assert Role.AUDITOR not in roles  # auditors read the access log, nothing else


@pytest.mark.django_db
def test_may_fails_closed(world):
    assert policy.may(world.lead_worker.actor, policy.CASEWORK)
    assert not policy.may(world.lead_worker.actor, "no such capability")
    assert not policy.may(world.nobody.actor, policy.VIEW_REPORTS)
    assert not policy.may(world.auditor.actor, policy.CASEWORK)
    assert policy.may(world.auditor.actor, policy.SIGN_ACCESS_REVIEW)
