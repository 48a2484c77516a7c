"""Synthetic access-log rows (issue 16 item 5): many months of a busy district's log, and the measurements.

``generate_access_log`` writes rows for one district, month by month into the monthly partitions
(PostgreSQL COPY through the bench Loader), with the shape of real traffic: reads of cases and persons
during working hours, lists, some changes, log-ins, a few refusals and exports. ``recent_per_month``
rows go into each of the last ``recent_months`` months and ``older_per_month`` into each older month:
the viewer reads only the months of its period (partition pruning), so the recent months can be
filled at the density of the installation being modelled while the older ones only need to exist.

``measure_viewer`` times the auditor's viewer page (in-process, Django test client, as a district
admin) and ``measure_write`` the cost of writing one access-log row (``audit_record``).
"""

from __future__ import annotations

import datetime
import random
import statistics
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from django.db import connection
from django.utils import timezone

from hamkke.accounts.models import Membership
from hamkke.audit import partitions
from hamkke.audit.models import AccessLog, Action
from hamkke.cases.models import Case
from hamkke.people.models import Person

from .loader import Loader

COLUMNS = (
    "id",
    "at",
    "district_id",
    "user_id",
    "username",
    "agency_id",
    "action",
    "object_type",
    "object_id",
    "case_id",
    "person_ids",
    "ip",
    "path",
    "detail",
    "request_id",
)
ACTIONS = [
    (Action.VIEW, 0.58),
    (Action.LIST, 0.25),
    (Action.CREATE, 0.06),
    (Action.UPDATE, 0.05),
    (Action.LOGIN, 0.04),
    (Action.LOGOUT, 0.012),
    (Action.DENIED, 0.004),
    (Action.EXPORT, 0.003),
    (Action.EMERGENCY, 0.001),
]


@dataclass
class Generated:
    rows: int
    seconds: float
    months: int


def _months_back(today: datetime.date, count: int) -> list[datetime.date]:
    month = partitions.month_start(today)
    result = [month]
    for _ in range(count - 1):
        month = partitions.month_start(month - datetime.timedelta(days=1))
        result.append(month)
    return list(reversed(result))


def generate_access_log(
    *,
    district_id: int,
    months: int = 24,
    recent_months: int = 2,
    recent_per_month: int = 1_000_000,
    older_per_month: int = 50_000,
    seed: int = 1,
    today: datetime.date | None = None,
    log: Callable[[str], None] = lambda message: None,
) -> Generated:
    today = today or timezone.localdate()
    rng = random.Random(seed)
    users = list(
        Membership.objects.filter(agency__district_id=district_id).values_list("user_id", "user__username", "agency_id")
    )
    case_ids = list(Case.objects.filter(district_id=district_id).values_list("pk", flat=True)[:200_000])
    person_ids = list(Person.objects.filter(district_id=district_id).values_list("pk", flat=True)[:400_000])
    if not users or not case_ids or not person_ids:
        raise ValueError("the district needs users, cases and persons (generate_synthetic first)")
    month_list = _months_back(today, months)
    partitions.ensure_partitions(today=month_list[0], ahead=months + 1)
    actions, weights = zip(*ACTIONS, strict=True)
    loader = Loader()
    began = time.perf_counter()
    total = 0
    now = timezone.now()
    next_id = loader.next_id(AccessLog)

    def rows(month: datetime.date, count: int) -> Iterator[tuple]:
        low, high = partitions.bounds(month)
        span = min(high, now) - low
        seconds = max(1, int(span.total_seconds()))
        count = int(count * seconds / (high - low).total_seconds())  # this month: only the days so far
        nonlocal next_id
        offsets = sorted(rng.randrange(seconds) for _ in range(count))
        chosen = rng.choices(actions, weights, k=count)
        for offset, action in zip(offsets, chosen, strict=True):
            next_id += 1
            user_id, username, agency_id = users[rng.randrange(len(users))]
            case_id = case_ids[rng.randrange(len(case_ids))] if action in (Action.VIEW, Action.UPDATE) else None
            persons = [person_ids[rng.randrange(len(person_ids))]] if action == Action.VIEW else []
            yield (
                next_id,
                low + datetime.timedelta(seconds=offset),
                district_id,
                user_id,
                username,
                agency_id,
                action,
                "case" if case_id else "",
                "",
                case_id,
                persons,
                "10.0.0.1",
                f"/cases/{case_id}/" if case_id else "/cases/",
                "",
                f"{rng.getrandbits(128):032x}",
            )

    for index, month in enumerate(month_list):
        count = recent_per_month if index >= len(month_list) - recent_months else older_per_month
        month_began = time.perf_counter()
        written = loader.load(AccessLog, COLUMNS, rows(month, count))
        total += written
        log(f"  {month:%Y-%m}: {written:,} rows in {time.perf_counter() - month_began:.1f} s")
    loader.reset_sequences()
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {partitions.TABLE}")
    return Generated(rows=total, seconds=time.perf_counter() - began, months=months)


@dataclass
class Timing:
    name: str
    p50_ms: float
    p95_ms: float
    samples: int


def timed(name: str, run: Callable[[], object], count: int) -> Timing:
    times = []
    for _ in range(count):
        began = time.perf_counter()
        run()
        times.append((time.perf_counter() - began) * 1000)
    times.sort()
    return Timing(name, statistics.median(times), times[min(len(times) - 1, int(len(times) * 0.95))], count)


def measure_viewer(*, district_id: int, count: int = 10) -> list[Timing]:
    """The viewer page as a district admin of the district: this month so far, last month, one user, one case."""
    from django.test import Client, override_settings

    from hamkke.accounts.models import Role

    admin = Membership.objects.filter(agency__district_id=district_id, role=Role.DISTRICT_ADMIN, is_active=True).first()
    if admin is None:
        raise ValueError("the district has no district admin")
    client = Client()
    client.force_login(admin.user)
    today = timezone.localdate()
    last_month = partitions.month_start(partitions.month_start(today) - datetime.timedelta(days=1))
    last_end = partitions.month_start(today) - datetime.timedelta(days=1)
    busy_user = (
        AccessLog.objects.filter(district_id=district_id, at__gte=partitions.bounds(last_month)[0])
        .values_list("username", flat=True)
        .first()
    )
    busy_case = (
        AccessLog.objects.filter(district_id=district_id, case_id__isnull=False)
        .values_list("case_id", flat=True)
        .last()
    )
    case_uuid = Case.objects.filter(pk=busy_case).values_list("uuid", flat=True).first()
    person_name = Person.objects.filter(district_id=district_id).values_list("name", flat=True).first()
    pages = [
        ("viewer: this month so far (the default)", "/audit/"),
        ("viewer: last month, page 1", f"/audit/?start={last_month}&end={last_end}"),
        ("viewer: last month, page 50", f"/audit/?start={last_month}&end={last_end}&page=50"),
        ("viewer: last month, one user", f"/audit/?start={last_month}&end={last_end}&username={busy_user}"),
        ("viewer: last month, one case", f"/audit/?start={last_month}&end={last_end}&case_ref={case_uuid}"),
        (
            "viewer: last month, one person (name)",
            f"/audit/?start={last_month}&end={last_end}&person_name={person_name}",
        ),
    ]
    results = []
    with override_settings(HAMKKE_REQUIRE_2FA=False):
        for name, path in pages:

            def get(path=path):
                response = client.get(path)
                assert response.status_code == 200, (path, response.status_code)

            get()  # warm
            results.append(timed(name, get, count))
    return results


def measure_write(*, district_id: int, count: int = 2000) -> Timing:
    """One access-log row written the way every page writes it (audit_record), rolled back afterwards."""
    from django.db import transaction
    from django.test import RequestFactory

    from hamkke.accounts.actor import actor_for
    from hamkke.audit.services import audit_record

    membership = Membership.objects.filter(agency__district_id=district_id, is_active=True).first()
    actor = actor_for(membership.user, membership.pk)
    case = Case.objects.filter(district_id=district_id).first()
    request = RequestFactory().get(f"/cases/{case.uuid}/")
    with transaction.atomic():
        timing = timed(
            "write one access-log row (audit_record)",
            lambda: audit_record(
                actor=actor, action=Action.VIEW, obj=case, case_id=case.pk, person_ids=[1, 2], request=request
            ),
            count,
        )
        transaction.set_rollback(True)  # the rows cannot be deleted afterwards: never commit them
    return timing
