"""Shared pytest fixtures: the owner / team member / outsider world (healthchecks style).

``world`` (function scope, needs the database) builds, through the services:

District A "중구" (``world.district_a``) with dongs ``world.dongs_a`` (소공동 = ``world.dong_a``,
명동 = ``world.dong_a2``, 필동) and the default case types (``world.case_types_a``), and agencies
    ``world.lead_agency``           중구청 희망복지지원단, district office, public, rrn_allowed=True
    ``world.participating_agency``  중구종합사회복지관, welfare centre, private, rrn_allowed=False
    ``world.unrelated_agency``      중구정신건강복지센터, private, rrn_allowed=False, not on the case
District B "성동구" (``world.district_b``, ``world.dong_b``) with ``world.agency_b`` (district
office, rrn_allowed=True).

People: each is a ``Member`` with ``.user``, ``.membership``, ``.actor``, ``.username`` (= the key),
``.password`` and ``.login(client)``; also in ``world.members[key]``:
    ``world.lead_worker``         worker of the lead agency, lead worker of ``world.case``
    ``world.lead_supervisor``     supervisor of the lead agency
    ``world.lead_admin``          agency admin of the lead agency
    ``world.participant_worker``  worker of the participating agency, named on the case team
    ``world.unrelated_worker``    worker of the unrelated agency (the outsider in the district)
    ``world.district_admin``      district admin of A (membership in the lead agency)
    ``world.auditor``             auditor of A (membership in the lead agency)
    ``world.b_worker``            worker of district B's agency
    ``world.b_admin``             district admin of B
    ``world.nobody``              a user with no membership at all
    ``world.platform_admin``      a platform administrator (creates districts), no membership
Every user's password is ``world.password`` == ``hamkke.testing.PASSWORD`` == "pw-Hamkke-2026!":
``client.login(username=world.lead_worker.username, password=world.password)``.

The case: ``world.case`` registered by the lead worker with ``case_register`` 30 days ago (stage
identification), household ``world.household`` at 서울특별시 중구 퇴계로 100 in 소공동, head of
household ``world.head`` (홍길순, RRN ``world.head_rrn``, stored encrypted); the participating agency
on the team (``world.participant``, joined 25 days ago) and a consent in force
(``world.consent``: given 20 days ago, expires in a year, names the participating agency only).
``world.today`` is the local date the world was built on.

Tests run with a fast password hasher: the production hasher costs a second per log-in.
"""

from __future__ import annotations

import pytest
from django.test import override_settings

from hamkke.celery import app as celery_app
from hamkke.testing import PASSWORD
from hamkke.testing.factories import build_world


@pytest.fixture(autouse=True, scope="session")
def _fast_password_hasher():
    with override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]):
        yield


@pytest.fixture(autouse=True, scope="session")
def _celery_in_process():
    """Celery's testing approach for the suite: a task sent (after a commit) runs at once in the
    test's process (task_always_eager) and nothing reaches a broker, so no Redis and no files in
    var/celery. The real worker is tested in hamkke/imports/tests/test_worker.py."""
    saved = {key: celery_app.conf[key] for key in ("task_always_eager", "task_eager_propagates", "broker_url")}
    celery_app.conf.update(task_always_eager=True, task_eager_propagates=True, broker_url="memory://")
    yield
    celery_app.conf.update(saved)


@pytest.fixture
def password() -> str:
    return PASSWORD


@pytest.fixture
def world(db):
    """The shared world described in this module's docstring."""
    return build_world()
