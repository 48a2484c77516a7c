"""Two districts, nothing of one seen from the other (issue 16 item 6), generated from the access matrix.

``test_matrix`` shows that district B's users never open an object of district A. Here the pages
that open for everyone (lists, searches, inboxes, figures, every API list) are walked by users of
*both* districts, with the other district's names and ids as filters, and no answer may show the
other district's person, address, ids or agency. A positive control proves that the walk sees a
district's own rows, so the test could fail.
"""

from __future__ import annotations

import datetime
import re

import pytest
from django.test import Client
from django.urls import reverse

from hamkke.access import matrix
from hamkke.access.matrix import URLS
from hamkke.cases.services import case_register

pytestmark = pytest.mark.django_db

# What a page echoes of the request (a search box's value, the language switch's "next" path) is not data.
ECHO = re.compile(r'value="[^"]*"')
SKIPPED = ("pdf", "xlsx", "export", "docs", "redoc", "schema")  # files and the API's own description


def b_household(world):
    case = case_register(
        actor=world.b_worker.actor,
        dong=world.dong_b,
        address="서울특별시 성동구 왕십리로 77",
        head={"name": "윤성동", "birth_date": datetime.date(1950, 1, 2), "sex": "M"},
        summary="독거",
        opened_on=world.today - datetime.timedelta(days=3),
    )
    return case, case.household.members.get()


def secrets_of(case, head, agency) -> dict[str, str]:
    return {
        "name": head.name,
        "address": case.household.address,
        "case": str(case.uuid),
        "household": str(case.household.uuid),
        "person": str(head.uuid),
        "agency": agency.name,
    }


def walk(client: Client, viewer: str, other: dict[str, str], filters: dict[str, str]) -> dict[str, str]:
    """{url name: page text} of every page without arguments that ``viewer`` may open (GET)."""
    pages = {}
    query = "?" + "&".join(f"{key}={value}" for key, value in filters.items())
    for name, entry in URLS.items():
        if entry.args or entry.profile[viewer] != "ok" or any(word in name for word in SKIPPED):
            continue
        response = client.get(reverse(name) + query)
        if response.status_code == 405 or response.streaming:
            continue
        if response.get("Content-Type", "").startswith(("text/", "application/json")):
            pages[name] = ECHO.sub("", response.content.decode(errors="replace"))
    for name in ("people:search", "cases:search"):
        if URLS[name].profile[viewer] == "ok":
            for text in (other["name"], other["case"][:8]):
                page = client.post(reverse(name), {"q": text}).content.decode(errors="replace")
                pages[f"{name} {text}"] = ECHO.sub("", page)
    return pages


def test_lists_searches_and_figures_of_one_district_never_show_the_other(world):
    matrix.build_objects(world)  # one of every kind in district A
    b_case, b_head = b_household(world)
    a = secrets_of(world.case, world.head, world.lead_agency)
    b = secrets_of(b_case, b_head, world.agency_b)
    for viewer, own, other in (
        ("b_worker", b, a),
        ("b_admin", b, a),
        ("lead_worker", a, b),
        ("district_admin", a, b),
        ("platform_admin", {}, a),
    ):
        client = Client(raise_request_exception=False)
        world.members[viewer].login(client)
        filters = {"name": other["name"], "q": other["name"]}  # ids typed by the viewer would show in its access log
        pages = walk(client, viewer, other, filters)
        assert len(pages) >= 10, viewer
        # A search page describes the query it was given (the name): there the ids and the address tell.
        leaks = sorted(
            f"{name}: {kind}"
            for name, text in pages.items()
            for kind, value in other.items()
            if value in text and not (kind == "name" and "search " in name)
        )
        assert not leaks, (viewer, leaks)
        if own:  # the control: the same walk shows the district's own person
            seen = walk(client, viewer, own, {"name": own["name"]})
            assert own["name"] in seen["api_v1:person-list"], viewer
