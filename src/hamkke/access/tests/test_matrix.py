"""The access matrix (issue 8 item 1): every named URL x every actor, declared once, checked over HTTP.

``hamkke.access.matrix.URLS`` declares, for every named URL of the project, who may reach it (a
profile: actor -> expected answer) and which world object fills each URL argument. The table
is checked against ``django.urls.get_resolver()``: a URL without a declaration, or a declaration
without a URL, fails the test, so no page can be added without saying who may open it.

Every object id belongs to district A's case led by the lead agency, so the same requests are the
IDOR test: the unrelated agency, the participating agency after consent withdrawal, the auditor
and both district-B users try every one of them and must never get a success.

The requests are made once per module (one world, every request in a savepoint that is rolled
back so a POST cannot change what the next cell sees), and each (URL, actor) cell is one test.
"""

from __future__ import annotations

import csv
import logging
import os
from http.cookies import SimpleCookie
from typing import NamedTuple

import pytest
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from hamkke.access import matrix
from hamkke.access.matrix import ACTORS, URLS

# Every item is marked so that pytest-django sets the test database up before the module fixture runs
# (it only creates the databases that marked tests ask for).
pytestmark = pytest.mark.django_db

LOGIN_PATH = "/accounts/login/"

# (url name, actor) cells that show a real access bug: expected answer declared correctly above,
# the cell is xfail(strict=True) until the application is fixed. Value: the reason.
KNOWN_BUGS: dict[tuple[str, str], str] = matrix.KNOWN_BUGS


def url_names() -> set[str]:
    """Every named URL pattern of the project (namespaced), without the Django admin."""

    def walk(resolver: URLResolver, namespace: str | None):
        for pattern in resolver.url_patterns:
            if isinstance(pattern, URLResolver):
                inner = namespace
                if pattern.namespace:
                    inner = f"{namespace}:{pattern.namespace}" if namespace else pattern.namespace
                yield from walk(pattern, inner)
            elif isinstance(pattern, URLPattern) and pattern.name:
                yield f"{namespace}:{pattern.name}" if namespace else pattern.name

    return {name for name in walk(get_resolver(), None) if not name.startswith("admin:")}


# --- what was observed ---------------------------------------------------------------------------


def classify(response, method: str) -> str:
    """The answer as one word: 'ok', 'redirect:<path>', 'login', '401', '403', '404', '405', '500'..."""
    status = response.status_code
    if status in (301, 302, 303):
        location = response["Location"]
        if location.startswith(LOGIN_PATH):
            return "login"
        return f"redirect:{location.split('?')[0]}"
    if status == 200:
        return "ok"
    return str(status)


def matches(expected: str, observed: str, method: str, wrote: bool) -> bool:
    if observed == "500":
        return False
    if expected == "ok":
        if method == "POST":  # a form error (200, 400) or a redirect after success; never a denial
            return observed not in ("403", "404", "405", "login", "401")
        return observed == "ok" or observed.startswith("redirect:")
    if expected == "no_write":  # may read the page the form is on, may not write: any answer but no write
        return observed not in ("login", "401") and not wrote
    if expected == "login_revoking":  # the log-in page; the only write is revoking one's own API tokens
        return observed == "login"
    if wrote:
        return False
    if expected == "denied":
        return observed in ("403", "404")
    if expected == "api_anon":
        return observed in ("401", "403")
    return observed == expected


WRITES = ("create", "update", "emergency", "export")


def _request(client: Client, path: str, case_pk: int, secrets: tuple[str, ...], post_only: set[str]):
    """GET, or an empty POST where the view only takes POST (405 on GET: remembered in ``post_only``,
    as a view's allowed methods do not depend on who asks); rolled back.

    -> (method, response, wrote, read, shown): an audited write happened, a view of the case was
    logged, the answer shows one of ``secrets`` (the head of household's name, the address).
    """
    from hamkke.audit.models import AccessLog

    saved = {key: morsel.value for key, morsel in client.cookies.items()}
    with transaction.atomic():
        last = AccessLog.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
        response = None if path in post_only else client.get(path)
        method = "GET"
        if response is None or response.status_code == 405:
            post_only.add(path)
            method = "POST"
            if path.startswith("/api/v1/"):
                response = client.post(path, {}, content_type="application/json")
            else:
                response = client.post(path, {})
        shown = False
        if not response.streaming and response.get("Content-Type", "").startswith(("text/", "application/json")):
            shown = any(secret in response.content.decode(errors="replace") for secret in secrets)
        logged = AccessLog.objects.filter(pk__gt=last)
        wrote = logged.filter(action__in=WRITES).exists()
        read = logged.filter(action="view", case_id=case_pk).exists()
        transaction.set_rollback(True)
    client.cookies = SimpleCookie()
    for key, value in saved.items():
        client.cookies[key] = value
    return method, response, wrote, read, shown


class Observed(NamedTuple):
    method: str
    path: str
    answer: str
    wrote: bool  # an audited write (create, update, emergency, export) happened
    read: bool  # the request logged a view of world.case
    shown: bool  # the answer shows the head of household's name or the address


@pytest.fixture(scope="module")
def observed(django_db_setup, django_db_blocker):
    """{(url name, actor): Observed} for the whole matrix, on one world rolled back at the end."""
    from django.db import connection

    request_log = logging.getLogger("django.request")
    level = request_log.level
    request_log.setLevel(logging.ERROR)  # 1,600 requests: no warning (and traceback) for every 403/404
    try:
        with django_db_blocker.unblock(), transaction.atomic():
            database = str(connection.settings_dict["NAME"])
            assert "memory" in database or "test" in database, f"not a test database: {database}"
            results = _observe()
            transaction.set_rollback(True)
    finally:
        request_log.setLevel(level)
    return results


def _observe() -> dict[tuple[str, str], Observed]:
    from hamkke.consents.services import consent_withdraw
    from hamkke.testing.factories import build_world

    results: dict[tuple[str, str], Observed] = {}
    world = build_world()
    objects = matrix.build_objects(world)
    paths = {
        name: reverse(name, kwargs=entry.kwargs(objects)) + entry.querystring(objects) for name, entry in URLS.items()
    }
    secrets = (world.head.name, world.household.address)
    post_only: set[str] = set()

    def run(actor: str, member_key: str | None) -> None:
        client = Client(raise_request_exception=False)
        if member_key:
            world.members[member_key].login(client)
        for name, path in paths.items():
            method, response, wrote, read, shown = _request(client, path, world.case.pk, secrets, post_only)
            results[(name, actor)] = Observed(method, path, classify(response, method), wrote, read, shown)

    for actor, member_key in ACTORS.items():
        if actor != "participant_withdrawn":
            run(actor, member_key)
    consent_withdraw(actor=world.lead_worker.actor, consent=world.consent)
    run("participant_withdrawn", ACTORS["participant_withdrawn"])
    return results


# --- the tests ---------------------------------------------------------------------------------


def test_every_url_is_declared_and_every_declaration_is_a_url():
    names = url_names()
    undeclared = sorted(names - set(URLS))
    stale = sorted(set(URLS) - names)
    assert not undeclared, f"URLs without an entry in hamkke.access.matrix.URLS: {undeclared}"
    assert not stale, f"hamkke.access.matrix.URLS names URLs that no longer exist: {stale}"


def test_every_profile_names_every_actor():
    for name, entry in URLS.items():
        assert set(entry.profile) == set(ACTORS), name


CELLS = [
    pytest.param(
        name,
        actor,
        id=f"{name}-{actor}",
        marks=[pytest.mark.xfail(strict=True, reason=KNOWN_BUGS[(name, actor)])] if (name, actor) in KNOWN_BUGS else [],
    )
    for name in sorted(URLS)
    for actor in ACTORS
]


@pytest.mark.parametrize(("name", "actor"), CELLS)
def test_cell(observed, name, actor):
    cell = observed[(name, actor)]
    expected = URLS[name].profile[actor]
    assert matches(expected, cell.answer, cell.method, cell.wrote), (
        f"{cell.method} {cell.path} as {actor}: expected {expected}, got {cell.answer}{' + write' * cell.wrote}"
    )


def test_no_500_anywhere(observed):
    errors = sorted(
        f"{cell.method} {cell.path} as {actor}" for (_name, actor), cell in observed.items() if cell.answer == "500"
    )
    assert not errors, errors


def test_actors_without_the_case_never_read_it(observed):
    """IDOR, whatever the declared answer: no request by an actor outside the case logs a view of it."""
    readers = {actor for actor in ACTORS if actor != "anonymous" and matrix.may(actor, matrix.VIEW_CASE)}
    leaks = sorted(
        f"{cell.method} {cell.path} as {actor}"
        for (_name, actor), cell in observed.items()
        if cell.read and actor not in readers
    )
    assert not leaks, leaks


def test_actors_without_the_case_never_see_the_person(observed):
    """Whatever the answer, no page shown to an actor outside the case names the person or the address."""
    readers = {actor for actor in ACTORS if actor != "anonymous" and matrix.may(actor, matrix.VIEW_CASE)}
    leaks = sorted(
        f"{cell.method} {cell.path} as {actor}"
        for (_name, actor), cell in observed.items()
        if cell.shown and actor not in readers
    )
    assert not leaks, leaks


OUTSIDERS = ("b_worker", "b_admin", "platform_admin")  # the other district, and the platform administrator


def test_the_other_district_and_the_platform_admin_never_open_an_object_of_the_first(observed):
    """Generated from the URL list: every URL that names an object (all of district A) is refused to
    district B's users and to the platform admin, whatever its profile says (issue 16 item 6)."""
    opened = sorted(
        f"{cell.method} {cell.path} as {actor}: {cell.answer}"
        for (name, actor), cell in observed.items()
        if URLS[name].args and actor in OUTSIDERS and cell.answer not in ("403", "404")
    )
    assert not opened, opened
    assert all(
        URLS[name].profile[actor] in ("403", "404", "denied") for name in URLS if URLS[name].args for actor in OUTSIDERS
    )


def test_matrix_size(observed):
    urls = len(URLS)
    actors = len(ACTORS)
    assert len(observed) == urls * actors
    dump = os.environ.get("HAMKKE_MATRIX_CSV")
    if dump:  # the whole observed matrix for review: url, actor, expected, method, answer, wrote, path
        with open(dump, "w", newline="") as out:
            writer = csv.writer(out)
            writer.writerow(["url", "actor", "expected", "method", "answer", "wrote", "path"])
            for (name, actor), cell in sorted(observed.items()):
                writer.writerow(
                    [name, actor, URLS[name].profile[actor], cell.method, cell.answer, cell.wrote, cell.path]
                )
    print(f"\naccess matrix: {urls} URLs x {actors} actors = {len(observed)} cells")


# --- the Django admin (IT administrators only, behind its own TOTP log-in) ---------------------------


def test_django_admin_is_closed_to_ordinary_users(world, client):
    from django.contrib.auth import get_user_model

    assert not get_user_model().objects.filter(is_superuser=True).exists()
    assert not get_user_model().objects.filter(is_staff=True).exists()
    response = client.get("/admin/")
    assert response.status_code == 302 and response["Location"].startswith("/admin/login/")
    for key in ("lead_worker", "district_admin", "auditor", "b_admin"):
        member = world.members[key]
        member.login(client)
        for path in ("/admin/", "/admin/accounts/user/", "/admin/districts/agency/"):
            response = client.get(path)
            assert response.status_code == 302, (key, path)
            assert response["Location"].startswith("/admin/login/"), (key, path, response["Location"])
        client.logout()
