"""The timeline of one very long case: time of the newest page and of a deep page (issue 15 item 2).

Not part of the test suite. On an empty PostgreSQL database (see README.md §1, then ``migrate``):

    DATABASE_URL=postgres://... PYTHONPATH=src python bench/timeline_paging.py setup 5000 50000
    DATABASE_URL=postgres://... PYTHONPATH=src python bench/timeline_paging.py measure

``setup`` builds the test world (``hamkke.testing.factories.build_world``) and one case per size
given, each with that many events (contacts, services, stage changes, needs, team events), written
with ``bulk_create``. ``measure`` times the selector and the page over HTTP (Django test client) for
each case: the newest page, and a page 80 % deep (a cursor; the code before keyset paging has no
cursor and reads the whole case for any page, so its page number is used). Run ``measure`` with
``PYTHONPATH`` on another checkout to time that code against the same data.
"""

from __future__ import annotations

import datetime
import os
import statistics
import sys
import time

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hamkke.settings")
django.setup()

from django.core.paginator import Paginator  # noqa: E402
from django.db import connection, reset_queries  # noqa: E402
from django.test import Client, override_settings  # noqa: E402
from django.urls import reverse  # noqa: E402
from django.utils import timezone  # noqa: E402

from hamkke.accounts.actor import actor_for  # noqa: E402
from hamkke.accounts.models import User  # noqa: E402
from hamkke.assessment.models import Need  # noqa: E402
from hamkke.cases.models import Case, StageChange, TeamEvent  # noqa: E402
from hamkke.cases.services import case_register  # noqa: E402
from hamkke.records.models import ContactRecord, ServiceRecord  # noqa: E402
from hamkke.timeline import selectors  # noqa: E402

SUMMARY = "timeline-bench"
REPEAT = 15


def _setup(sizes: list[int]) -> None:
    from hamkke.testing.factories import build_world

    world = build_world()
    lead = world.lead_worker
    for n, size in enumerate(sizes):
        years = 5 if size <= 10_000 else 8
        case = case_register(
            actor=lead.actor,
            dong=world.dong_a,
            address=f"서울특별시 중구 퇴계로 {200 + n}",
            address_detail="",
            head={"name": f"김장편{n}", "birth_date": datetime.date(1950, 1, 1), "sex": "M"},
            summary=SUMMARY,
            opened_on=world.today - datetime.timedelta(days=365 * years),
        )
        start = timezone.now() - datetime.timedelta(days=365 * years)
        step = datetime.timedelta(days=365 * years) / size
        common = {"district": world.district_a, "case": case}
        contacts, services, stages, needs, team = [], [], [], [], []
        for i in range(size):
            at = start + step * i
            share = i % 20
            if share < 11:
                contacts.append(
                    ContactRecord(
                        **common,
                        contacted_at=at,
                        kind="home_visit",
                        outcome="refused" if i % 3 else "met",
                        note=f"방문 {i}",
                        agency=world.lead_agency,
                        recorded_by=lead.user,
                    )
                )
            elif share < 18:
                services.append(
                    ServiceRecord(
                        **common,
                        provided_on=timezone.localtime(at).date(),
                        domain="mental_health" if i % 7 == 0 else "housing",
                        mode="linked",
                        provider_agency=world.participating_agency,
                        description=f"지원 {i}",
                        recorded_by=lead.user,
                    )
                )
            elif share == 18:
                stages.append(
                    StageChange(**common, from_stage="", to_stage=case.stage, changed_by=lead.user, changed_at=at)
                )
            elif i % 40 == 19:
                needs.append(
                    Need(
                        **common,
                        person=case.household.members.get(),
                        domain="housing",
                        expressed_text=f"욕구 {i}",
                        identified_on=timezone.localtime(at).date(),
                        recorded_by=lead.user,
                    )
                )
            else:
                team.append(TeamEvent(**common, kind="joined", agency=world.participating_agency, at=at, by=lead.user))
        for model, rows in ((ContactRecord, contacts), (ServiceRecord, services), (StageChange, stages)):
            model.objects.bulk_create(rows, batch_size=2000)
        Need.objects.bulk_create(needs, batch_size=2000)
        TeamEvent.objects.bulk_create(team, batch_size=2000)
        print(f"case {case.pk}: {size} events")
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def _time(fn) -> tuple[float, float, float, int]:
    """p50 and p95 wall-clock ms over REPEAT calls (after one warm-up), the median of this process's
    CPU ms (less disturbed by the other work of a shared machine), and the queries of one call."""
    fn()
    reset_queries()
    fn()
    queries = len(connection.queries)
    times, cpu = [], []
    for _ in range(REPEAT):
        t, c = time.perf_counter(), time.process_time()
        fn()
        times.append((time.perf_counter() - t) * 1000)
        cpu.append((time.process_time() - c) * 1000)
    times.sort()
    return statistics.median(times), times[int(len(times) * 0.95) - 1], statistics.median(cpu), queries


def _measure() -> None:
    from django.conf import settings

    settings.DEBUG = True  # count queries
    paged = hasattr(selectors, "case_timeline_page")
    user = User.objects.get(username="lead_worker")
    actor = actor_for(user)
    client = Client()
    client.force_login(user)
    print(f"code: {'keyset pages' if paged else 'whole case in Python'}")
    print("| case events | read | selector p50 / p95 ms | CPU ms | queries | page over HTTP p50 / p95 ms | CPU ms |")
    print("|--:|---|--:|--:|--:|--:|--:|")
    for case in Case.objects.filter(summary=SUMMARY).order_by("pk"):
        total = sum(
            m.objects.filter(case=case).count() for m in (ContactRecord, ServiceRecord, StageChange, Need, TeamEvent)
        )
        url = reverse("timeline:case", args=[case.uuid])
        deep = ContactRecord.objects.filter(case=case).order_by("-contacted_at", "-id")[int(total * 0.8 * 11 / 20)]
        if paged:
            token = selectors.cursor_token(
                case, selectors.Event(deep.contacted_at, "contact", "", source="contact", row_id=deep.pk)
            )
            cursor = selectors.cursor_from_token(case, token)
            reads = {
                "newest page": (lambda c=case: selectors.case_timeline_page(actor=actor, case=c), {}),
                "page 80 % deep": (
                    lambda c=case, k=cursor: selectors.case_timeline_page(actor=actor, case=c, cursor=k),
                    {"cursor": token},
                ),
            }
        else:
            deep_page = int(total * 0.8 / 50)
            reads = {
                "newest page": (
                    lambda c=case: Paginator(selectors.case_timeline(actor=actor, case=c), 50).get_page(1),
                    {},
                ),
                "page 80 % deep": (
                    lambda c=case, p=deep_page: Paginator(selectors.case_timeline(actor=actor, case=c), 50).get_page(p),
                    {"page": deep_page},
                ),
            }
        for label, (read, params) in reads.items():
            p50, p95, cpu, queries = _time(read)
            with override_settings(HAMKKE_REQUIRE_2FA=False):
                response = client.get(url, params)
                assert response.status_code == 200, response.status_code
                h50, h95, hcpu, _ = _time(lambda p=params, u=url: client.get(u, p))
            print(
                f"| {total:,} | {label} | {p50:.1f} / {p95:.1f} | {cpu:.1f} | {queries} "
                f"| {h50:.1f} / {h95:.1f} | {hcpu:.1f} |"
            )


if __name__ == "__main__":
    if sys.argv[1:2] == ["setup"]:
        _setup([int(n) for n in sys.argv[2:]] or [5000, 50000])
    else:
        _measure()
