"""A read replica for reports and exports (issue 16 item 7), tested with a second database alias.

The app is started in a subprocess with ``DATABASE_REPLICA_URL`` set (here: a second connection to the
same PostgreSQL database, which is what the router sees of a streaming replica). Every query of each
connection is captured: the figures page and the figures workbook read
their rows through the replica and write (session, access log) only to the primary; a case page, the
log-in and the session never touch the replica. PostgreSQL only (the subprocess must share the
committed test data; an in-memory SQLite database cannot be shared)."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
from django.conf import settings
from django.db import connection

from hamkke.core.db import ReplicaRouter, replica_reads
from hamkke.people.models import Person

SCRIPT = r"""
import json, sys
import django
django.setup()
from django.db import connections
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from hamkke.accounts.models import User

username, case_uuid = sys.argv[1:3]
client = Client()
client.force_login(User.objects.get(username=username))  # the tests' passwords use a hasher only they have
pages = {
    "figures": reverse("reports:figures"),
    "figures_xlsx": reverse("reports:figures_xlsx"),
    "case": reverse("cases:detail", args=[case_uuid]),
}
out = {}
for name, url in pages.items():
    primary, replica = CaptureQueriesContext(connections["default"]), CaptureQueriesContext(connections["replica"])
    with primary, replica:
        response = client.get(url)
        b"".join(response) if response.streaming else response.content
        response.close()
    out[name] = {
        "status": response.status_code,
        "primary": [q["sql"] for q in primary.captured_queries],
        "replica": [q["sql"] for q in replica.captured_queries],
    }
print("RESULT " + json.dumps(out))
"""


def _database_url() -> str:
    d = connection.settings_dict
    auth = d.get("USER") or "postgres"
    if d.get("PASSWORD"):
        auth += f":{d['PASSWORD']}"
    return f"postgres://{auth}@{d.get('HOST') or '127.0.0.1'}:{d.get('PORT') or 5432}/{d['NAME']}"


def _touches(statements: list[str], table: str) -> bool:
    return any(f'"{table}"' in sql for sql in statements)


@pytest.fixture
def postgresql():
    """Skips (or fails in CI) before any data is made: on SQLite the transactional test's flush would meet
    the access log's append-only trigger (the world writes log rows)."""
    if connection.vendor != "postgresql":
        message = "read-replica test skipped: needs PostgreSQL (DATABASE_URL=postgres://...); CI runs it"
        if os.environ.get("HAMKKE_REQUIRE_STACK"):
            pytest.fail(message)
        pytest.skip(message)


@pytest.mark.django_db(transaction=True)
def test_reports_read_the_replica_alias_and_write_the_primary(postgresql, world):
    url = _database_url()
    env = {**os.environ, "DATABASE_URL": url, "DATABASE_REPLICA_URL": url, "DJANGO_SETTINGS_MODULE": "hamkke.settings"}
    member = world.members["lead_worker"]
    done = subprocess.run(
        [sys.executable, "-c", SCRIPT, member.username, str(world.case.uuid)],
        env=env,
        capture_output=True,
        text=True,
        timeout=180,
    )
    lines = [line for line in done.stdout.splitlines() if line.startswith("RESULT ")]
    assert done.returncode == 0 and lines, done.stderr[-3000:]
    result = json.loads(lines[-1][len("RESULT ") :])

    for page in ("figures", "figures_xlsx"):
        seen = result[page]
        assert seen["status"] == 200, page
        # the figures' rows come from the replica ...
        assert _touches(seen["replica"], "records_servicerecord") and _touches(seen["replica"], "cases_case"), page
        assert not _touches(seen["primary"], "records_servicerecord"), page
        # ... the primary gets the session, the user, the actor, and whatever the page writes
        assert not _touches(seen["primary"], "cases_case"), page
        assert not any(sql.startswith(("INSERT", "UPDATE", "DELETE")) for sql in seen["replica"]), page
    case_page = result["case"]
    assert case_page["status"] == 200
    assert case_page["replica"] == [], "a case page must read the primary (it reads back what workers write)"


# --- the router without a replica, in-process ---------------------------------------------------------


def test_without_a_replica_nothing_is_routed(db):
    assert "replica" not in settings.DATABASES
    router = ReplicaRouter()
    with replica_reads():
        assert router.db_for_read(Person) is None
    assert router.db_for_write(Person) == "default"
    assert router.allow_migrate("replica", "people") is False and router.allow_migrate("default", "people")


def test_the_replica_views_are_named_urls_that_only_read():
    from django.urls import NoReverseMatch, reverse

    for name in settings.REPLICA_READ_VIEWS:
        try:
            reverse(name)
        except NoReverseMatch as error:  # every listed view exists and takes no argument
            raise AssertionError(f"{name} in REPLICA_READ_VIEWS is not a url without arguments") from error
