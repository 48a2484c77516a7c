"""The benchmark of the worker pages (issue 6): server time, queries, raw SQL, and throughput.

For each page (caseload, case detail, timeline of the busiest case, person search, the district's
yearly figures, the year's exports) the page is requested in-process with Django's test client
(server time: middleware, session, selectors, template, access-log write — no network), then:

- **queries**: the number of SQL statements of one request;
- **raw SQL**: the same request's SELECT statements replayed through a bare cursor — what the
  database alone needs to produce the page's data (session, user, scope, rows); the **ratio** is
  the page's p50 over the raw SQL's p50, i.e. what Django adds on top of the database.

Then a mixed read load (caseload, case pages, timeline, search) runs against gunicorn on loopback,
driven by wrk for a fixed time (``run_load``).

Two-factor authentication is switched off for the measurement (``HAMKKE_REQUIRE_2FA``): it is a
log-in step, not page work, and the district admin who reads the yearly figures would otherwise
need a TOTP device.
"""

from __future__ import annotations

import os
import random
import re
import shutil
import signal
import socket
import statistics
import subprocess
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import psutil
from django.conf import settings
from django.db import connection
from django.db.models import Count, Q
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from hamkke.accounts.models import Membership, Role
from hamkke.cases.models import Case
from hamkke.cases.stages import INACTIVE
from hamkke.districts.models import District
from hamkke.people.models import Person
from hamkke.people.search import chosung, trigram_locale_problem
from hamkke.records.models import ContactRecord

BACKEND = "django.contrib.auth.backends.ModelBackend"
WORKER_TARGET_MS = 50.0
RATIO_TARGET = 3.0
SEARCH_TARGET_MS = 30.0
REPORT_TARGET_MS = 300.0
EXPORT_TARGET_MS = 10_000.0
LOAD_TARGET_RPS, LOAD_TARGET_P99_MS = 300.0, 200.0


@dataclass
class Request:
    method: str
    path: str
    data: dict | None = None
    user_id: int | None = None


@dataclass
class Probe:
    name: str
    requests: list[Request]  # cycled through for the timed requests
    target_ms: float | None
    ratio_target: float | None = None
    count: int = 200


@dataclass
class PageResult:
    name: str
    count: int
    p50: float
    p95: float
    p99: float
    queries: int
    raw_p50: float
    errors: int
    target_ms: float | None
    ratio_target: float | None
    note: str = ""

    @property
    def ratio(self) -> float:
        return self.p50 / self.raw_p50 if self.raw_p50 else float("nan")

    @property
    def verdict(self) -> str:
        missed = []
        if self.errors:
            missed.append(f"{self.errors} errors")
        if self.target_ms is not None and self.p95 > self.target_ms:
            missed.append(f"p95 {self.p95 / self.target_ms:.1f}× the target")
        if self.ratio_target is not None and self.ratio > self.ratio_target:
            missed.append(f"ratio {self.ratio:.1f}× > {self.ratio_target:g}×")
        return "met" if not missed else "MISSED: " + ", ".join(missed)


@dataclass
class LoadResult:
    seconds: float
    connections: int
    workers: int
    requests: int
    rps: float
    p50: float
    p99: float
    errors: int
    mix: dict[str, int] = field(default_factory=dict)

    @property
    def verdict(self) -> str:
        missed = []
        if self.rps < LOAD_TARGET_RPS:
            missed.append(f"{self.rps:.0f} of {LOAD_TARGET_RPS:.0f} req/s")
        if self.p99 > LOAD_TARGET_P99_MS:
            missed.append(f"p99 {self.p99 / LOAD_TARGET_P99_MS:.1f}× the target")
        if self.errors:
            missed.append(f"{self.errors} errors")
        return "met" if not missed else "MISSED: " + ", ".join(missed)


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(p / 100 * (len(ordered) - 1))))]


# --- what to request ------------------------------------------------------------------------------------


@dataclass
class Subjects:
    """The people and records the benchmark acts with, chosen once (deterministic for a district)."""

    district: District
    workers: list[int]  # user ids: case workers of the busiest agencies
    admin_id: int
    case_requests: list[Request]  # detail pages of cases the workers lead
    largest_case: Case
    largest_case_events: int
    largest_worker: int
    searches: list[Request]
    year: int


def choose_subjects(district: District, *, rng: random.Random, cases: int = 200) -> Subjects:
    open_cases = Case.objects.filter(district=district).exclude(stage__in=INACTIVE)
    agencies = list(
        open_cases.values("lead_agency_id")
        .annotate(n=Count("pk"))
        .order_by("-n", "lead_agency_id")
        .values_list("lead_agency_id", flat=True)[:5]
    )
    workers = list(
        Membership.objects.filter(district=district, agency_id__in=agencies, role=Role.WORKER, is_active=True)
        .order_by("agency_id", "user_id")
        .values_list("user_id", flat=True)
    )
    workers = rng.sample(workers, min(10, len(workers)))
    admin_id = (
        Membership.objects.filter(district=district, role=Role.DISTRICT_ADMIN).values_list("user_id", flat=True).first()
    )
    agency_of = dict(Membership.objects.filter(user_id__in=workers).values_list("user_id", "agency_id"))
    requests = []
    for worker in workers:
        led = list(
            Case.objects.filter(district=district, lead_agency_id=agency_of[worker])
            .order_by("id")
            .values_list("uuid", flat=True)[:2000]
        )
        for uuid in rng.sample(led, min(len(led), cases // len(workers) + 1)):
            requests.append(Request("GET", reverse("cases:detail", args=[uuid]), user_id=worker))
    busiest = (
        ContactRecord.objects.filter(district=district)
        .values("case_id")
        .annotate(n=Count("pk"))
        .order_by("-n", "case_id")
        .first()
    )
    largest = Case.objects.get(pk=busiest["case_id"])
    events = busiest["n"] + largest.services.count()
    largest_worker = (
        Membership.objects.filter(agency_id=largest.lead_agency_id, role__in=(Role.WORKER, Role.SUPERVISOR))
        .order_by("user_id")
        .values_list("user_id", flat=True)
        .first()
    )
    return Subjects(
        district=district,
        workers=workers,
        admin_id=admin_id,
        case_requests=requests[:cases],
        largest_case=largest,
        largest_case_events=events,
        largest_worker=largest_worker,
        searches=_searches(district, workers, agency_of, rng),
        year=timezone.localdate().year - 1,
    )


def _searches(district, workers, agency_of, rng: random.Random) -> list[Request]:
    """What workers type: full names, given names, 초성, birth dates, phone tails, combinations."""
    url = reverse("people:search")
    requests = []
    for i in range(200):
        worker = workers[i % len(workers)]
        person = (
            Person.objects.filter(district=district, household__cases__lead_agency_id=agency_of[worker])
            .order_by("id")[rng.randrange(500) :][:1]
            .first()
        )
        if person is None:
            continue
        kind = i % 6
        phone_tail = person.phone[-4:] if person.phone else "1234"
        query = [
            person.name,
            person.name[-2:],
            chosung(person.name),
            f"{person.birth_date:%Y-%m-%d}",
            phone_tail,
            f"{chosung(person.name)} {phone_tail}",
        ][kind]
        requests.append(Request("POST", url, {"q": query}, user_id=worker))
    return requests


def probes(subjects: Subjects, *, count: int = 200) -> list[Probe]:
    s = subjects
    caseload = [Request("GET", reverse("cases:caseload"), user_id=w) for w in s.workers]
    timeline = [Request("GET", reverse("timeline:case", args=[s.largest_case.uuid]), user_id=s.largest_worker)]
    found = [
        Probe("caseload (worker, page 1)", caseload, WORKER_TARGET_MS, RATIO_TARGET, count),
        Probe("case detail (worker)", s.case_requests, WORKER_TARGET_MS, RATIO_TARGET, count),
        Probe(
            f"timeline of the busiest case ({s.largest_case_events:,} events)",
            timeline,
            WORKER_TARGET_MS,
            RATIO_TARGET,
            count,
        ),
        Probe("person search (worker)", s.searches, SEARCH_TARGET_MS, None, count),
    ]
    year_query = f"?period=year&year={s.year}"
    for name, url_name, target, n, method, data in [
        # Seconds per request today: a tenth of the requests (at least 20) keeps the run under an hour.
        (
            f"district yearly figures {s.year} (admin)",
            "reports:figures",
            REPORT_TARGET_MS,
            max(20, count // 10),
            "GET",
            None,
        ),
        (f"xlsx of the {s.year} figures (admin)", "reports:figures_xlsx", EXPORT_TARGET_MS, 5, "GET", None),
        (
            f"CSV of the {s.year} service records (admin)",
            "reports:services_export",
            EXPORT_TARGET_MS,
            3,
            "POST",
            {"period": "year", "year": str(s.year), "reason": "성능 측정(합성 데이터)"},
        ),
    ]:
        try:
            url = reverse(url_name)
        except NoReverseMatch:
            continue
        path = url + (year_query if method == "GET" else "")
        found.append(Probe(name, [Request(method, path, data, user_id=s.admin_id)], target, None, n))
    return found


# --- measuring one page ------------------------------------------------------------------------------------


class Clients:
    """One logged-in test client per user (sessions in the database, like the real thing)."""

    def __init__(self):
        self.clients: dict[int, Client] = {}

    def get(self, user_id: int) -> Client:
        if user_id not in self.clients:
            from hamkke.accounts.models import User

            client = Client(raise_request_exception=True)
            client.force_login(User.objects.get(pk=user_id), backend=BACKEND)
            self.clients[user_id] = client
        return self.clients[user_id]

    def send(self, request: Request):
        client = self.get(request.user_id)
        if request.method == "POST":
            return client.post(request.path, request.data or {})
        return client.get(request.path)


def _replay(statements: list[str], repeat: int) -> float:
    """p50 seconds of running the page's SELECTs once, through a bare cursor."""
    timings = []
    with connection.cursor() as cursor:
        for _ in range(repeat):
            began = time.perf_counter()
            for sql in statements:
                cursor.execute(sql)
                cursor.fetchall()
            timings.append(time.perf_counter() - began)
    return statistics.median(timings)


SELECT_RE = re.compile(r"^\s*(SELECT|WITH)\b", re.IGNORECASE)


def measure(probe: Probe, clients: Clients, *, warmup: int = 3) -> PageResult:
    requests = probe.requests
    for request in requests[:warmup]:
        clients.send(request)
    timings, errors = [], 0
    for i in range(probe.count):
        request = requests[i % len(requests)]
        began = time.perf_counter()
        response = clients.send(request)
        if response.status_code != 200:
            errors += 1
        else:
            b"".join(response) if response.streaming else response.content  # noqa: B018  (consume streams)
        timings.append(time.perf_counter() - began)
    with CaptureQueriesContext(connection) as captured:
        clients.send(requests[0])
    selects = [q["sql"] for q in captured.captured_queries if SELECT_RE.match(q["sql"])]
    raw = _replay(selects, repeat=max(3, min(50, probe.count // 4)))
    ms = [t * 1000 for t in timings]
    return PageResult(
        name=probe.name,
        count=probe.count,
        p50=percentile(ms, 50),
        p95=percentile(ms, 95),
        p99=percentile(ms, 99),
        queries=len(captured.captured_queries),
        raw_p50=raw * 1000,
        errors=errors,
        target_ms=probe.target_ms,
        ratio_target=probe.ratio_target,
    )


def run_pages(
    subjects: Subjects, *, count: int = 200, log: Callable[[str], None] = print, only: list[str] | None = None
) -> list[PageResult]:
    results = []
    with override_settings(HAMKKE_REQUIRE_2FA=False):
        clients = Clients()
        for probe in probes(subjects, count=count):
            if only and not any(word in probe.name for word in only):
                continue
            log(f"  measuring {probe.name} ({probe.count} requests)")
            results.append(measure(probe, clients))
    return results


# --- throughput under gunicorn ------------------------------------------------------------------------------

SRC = Path(__file__).resolve().parents[2]
LUA = SRC.parent / "bench" / "mixed.lua"


def _load_requests(subjects: Subjects, rng: random.Random) -> tuple[list[tuple[str, str, str, int]], dict[str, int]]:
    """(method, path, body, session index) lines of the mixed read workload, and how many of each kind."""
    workers = subjects.workers
    lines, mix = [], {"caseload": 0, "case detail": 0, "case tab": 0, "timeline": 0, "person search": 0}
    tabs = ("records:case", "assessment:case", "plans:case", "referrals:case")
    by_worker = {}
    for request in subjects.case_requests:
        by_worker.setdefault(request.user_id, []).append(request.path)
    for i in range(2000):
        roll = rng.random()
        if roll < 0.30:
            w = workers[i % len(workers)]
            lines.append(("GET", reverse("cases:caseload"), "", workers.index(w)))
            mix["caseload"] += 1
        elif roll < 0.60:
            request = rng.choice(subjects.case_requests)
            lines.append(("GET", request.path, "", workers.index(request.user_id)))
            mix["case detail"] += 1
        elif roll < 0.75:
            request = rng.choice(subjects.case_requests)
            uuid = request.path.strip("/").split("/")[-1]
            try:
                path = reverse(rng.choice(tabs), args=[uuid])
            except NoReverseMatch:
                path = request.path
            lines.append(("GET", path, "", workers.index(request.user_id)))
            mix["case tab"] += 1
        elif roll < 0.85:
            request = rng.choice(subjects.case_requests)
            uuid = request.path.strip("/").split("/")[-1]
            lines.append(("GET", reverse("timeline:case", args=[uuid]), "", workers.index(request.user_id)))
            mix["timeline"] += 1
        else:
            request = rng.choice(subjects.searches)
            body = "q=" + _urlencode(request.data["q"])
            lines.append(("POST", request.path, body, workers.index(request.user_id)))
            mix["person search"] += 1
    return lines, mix


def _urlencode(text: str) -> str:
    from urllib.parse import quote_plus

    return quote_plus(text)


def _sessions(subjects: Subjects) -> list[str]:
    clients = Clients()
    return [clients.get(w).cookies[settings.SESSION_COOKIE_NAME].value for w in subjects.workers]


def run_load(
    subjects: Subjects,
    *,
    seconds: int = 30,
    connections: int = 16,
    workers: int = 4,
    port: int | None = None,
    log: Callable[[str], None] = print,
) -> LoadResult | None:
    """Mixed reads against gunicorn on 127.0.0.1, driven by wrk for ``seconds`` (None without wrk/gunicorn)."""
    wrk, gunicorn = shutil.which("wrk"), shutil.which("gunicorn") or str(Path(os.sys.executable).parent / "gunicorn")
    if wrk is None or not Path(gunicorn).exists():
        log("  wrk or gunicorn missing: no load test (apt-get install wrk; pip install gunicorn)")
        return None
    port = claim_port(port)
    rng = random.Random(f"load:{subjects.district.pk}")
    lines, mix = _load_requests(subjects, rng)
    sessions = _sessions(subjects)
    csrf = "".join(rng.choice("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789") for _ in range(32))
    work = Path(tempfile.mkdtemp(prefix="hamkke-load-"))
    (work / "requests.txt").write_text(
        "".join(f"{method}\t{path}\t{body}\t{sessions[s]}\n" for method, path, body, s in lines), encoding="utf-8"
    )
    env = dict(
        os.environ,
        HAMKKE_REQUIRE_2FA="0",
        DJANGO_ALLOWED_HOSTS="127.0.0.1,localhost",
        HAMKKE_LOG_LEVEL="ERROR",
        HAMKKE_LOAD_REQUESTS=str(work / "requests.txt"),
        HAMKKE_LOAD_CSRF=csrf,
    )
    server = subprocess.Popen(
        [
            gunicorn,
            "hamkke.wsgi:application",
            "--pythonpath",
            str(SRC),
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(workers),
            "--worker-class",
            "sync",
            "--timeout",
            "60",
            "--log-level",
            "warning",
        ],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=open(work / "gunicorn.log", "w"),
    )  # noqa: SIM115
    try:
        _wait_for(port, server)
        if not listens_on(server.pid, port):  # the answer came from another server: measure nothing
            raise RuntimeError(f"port {port} answers, but not from the benchmark's gunicorn (pid {server.pid})")
        log(f"  gunicorn ({workers} workers) up; wrk {connections} connections for {seconds} s")
        out = subprocess.run(
            [
                wrk,
                "-t2",
                f"-c{connections}",
                f"-d{seconds}s",
                "--latency",
                "--timeout",
                "5s",
                "-s",
                str(LUA),
                f"http://127.0.0.1:{port}",
            ],
            env=env,
            capture_output=True,
            text=True,
            timeout=seconds + 60,
        ).stdout
    finally:
        server.send_signal(signal.SIGTERM)
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
    (work / "wrk.txt").write_text(out)
    return _parse_wrk(out, seconds=seconds, connections=connections, workers=workers, mix=mix)


def claim_port(port: int | None) -> int:
    """A port for the benchmark's own gunicorn: a free one chosen by the system when none is given;
    a given port that is taken is refused. (The load used to bind the demo's port 8765; when the demo
    ran, gunicorn failed, the readiness check got the demo's answer and wrk measured the demo.)"""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        try:
            probe.bind(("127.0.0.1", port or 0))
        except OSError as error:
            raise RuntimeError(f"port {port} is in use: choose another with --port, or leave it out") from error
        return probe.getsockname()[1]


def listens_on(pid: int, port: int) -> bool:
    """Whether process ``pid`` (the gunicorn master, which holds the listening socket) listens on ``port``."""
    try:
        sockets = psutil.Process(pid).net_connections(kind="tcp")
    except psutil.Error:
        return False
    return any(c.status == psutil.CONN_LISTEN and c.laddr and c.laddr.port == port for c in sockets)


def _wait_for(port: int, server: subprocess.Popen, timeout: float = 60.0) -> None:
    """Until the log-in page answers 200 (the workers are up, not only the master's socket)."""
    from urllib.request import urlopen

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError("gunicorn exited; see its log in the hamkke-load-* temporary directory")
        try:
            with urlopen(f"http://127.0.0.1:{port}{reverse('login')}", timeout=5) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.5)
    raise RuntimeError("gunicorn did not answer")


def _ms(value: str) -> float:
    number, unit = re.match(r"([\d.]+)(us|ms|s)", value).groups()
    return float(number) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]


def _parse_wrk(out: str, **kwargs) -> LoadResult:
    def find(pattern):
        match = re.search(pattern, out)
        if match is None:
            raise RuntimeError(f"unexpected wrk output:\n{out}")
        return match.group(1)

    requests = int(find(r"(\d+) requests in"))
    errors = int(find(r"hamkke-errors: (\d+)"))
    socket_errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    if socket_errors:
        errors += sum(int(g) for g in socket_errors.groups())
    return LoadResult(
        requests=requests,
        rps=float(find(r"Requests/sec:\s+([\d.]+)")),
        p50=_ms(find(r"50%\s+([\d.]+\w+)")),
        p99=_ms(find(r"99%\s+([\d.]+\w+)")),
        errors=errors,
        **kwargs,
    )


# --- the table -------------------------------------------------------------------------------------------


def table(results: list[PageResult], load: LoadResult | None, subjects: Subjects) -> str:
    head = (
        "| page / read | requests | p50 ms | p95 ms | p99 ms | queries | raw SQL ms | ratio | target | result |\n"
        "|---|--:|--:|--:|--:|--:|--:|--:|---|---|"
    )
    rows = []
    for r in results:
        target = []
        if r.target_ms is not None:
            target.append(f"p95 ≤ {r.target_ms:,.0f} ms")
        if r.ratio_target is not None:
            target.append(f"≤ {r.ratio_target:g}× raw")
        rows.append(
            f"| {r.name} | {r.count} | {r.p50:,.1f} | {r.p95:,.1f} | {r.p99:,.1f} | {r.queries} | "
            f"{r.raw_p50:,.1f} | {r.ratio:.1f}× | {', '.join(target)} | {r.verdict} |"
        )
    text = head + "\n" + "\n".join(rows)
    if load is not None:
        mix = ", ".join(f"{k} {v / sum(load.mix.values()):.0%}" for k, v in load.mix.items())
        text += (
            f"\n\nMixed read load ({mix}) under gunicorn ({load.workers} sync workers) on 127.0.0.1, "
            f"wrk {load.connections} connections for {load.seconds} s:\n\n"
            f"| requests | req/s | p50 ms | p99 ms | errors | target | result |\n|--:|--:|--:|--:|--:|---|---|\n"
            f"| {load.requests:,} | {load.rps:,.0f} | {load.p50:,.1f} | {load.p99:,.1f} | {load.errors} | "
            f"≥ {LOAD_TARGET_RPS:.0f} req/s, p99 ≤ {LOAD_TARGET_P99_MS:.0f} ms, 0 errors | {load.verdict} |"
        )
    return text


def machine() -> str:
    import platform

    cpu = "unknown CPU"
    try:
        models = [
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ]
        cpu = f"{len(models)} × {models[0]}" if models else cpu
    except OSError:
        pass
    memory = ""
    try:
        kb = int(re.search(r"MemTotal:\s+(\d+)", Path("/proc/meminfo").read_text()).group(1))
        memory = f", {kb / 1024 / 1024:.0f} GB RAM"
    except (OSError, AttributeError):
        pass
    with connection.cursor() as cursor:
        cursor.execute("SELECT version()" if connection.vendor == "postgresql" else "SELECT sqlite_version()")
        database = cursor.fetchone()[0].split(" on ")[0]
        shared = ""
        if connection.vendor == "postgresql":
            cursor.execute("SELECT current_setting('shared_buffers'), current_setting('jit')")
            shared = " (shared_buffers {}, jit {})".format(*cursor.fetchone())
    return (
        f"{cpu}{memory}; {platform.system()} {platform.release()}; Python {platform.python_version()}; "
        f"{database}{shared}"
    )


def locale_check() -> str:
    return trigram_locale_problem(connection)


def district_sizes(district: District) -> str:
    from hamkke.districts.models import Agency
    from hamkke.people.models import Household
    from hamkke.records.models import ServiceRecord

    counts = {
        "households": Household.objects.filter(district=district).count(),
        "persons": Person.objects.filter(district=district).count(),
        "cases": Case.objects.filter(district=district).count(),
        "service records": ServiceRecord.objects.filter(district=district).count(),
        "contact records": ContactRecord.objects.filter(district=district).count(),
        "agencies": Agency.objects.filter(district=district).count(),
        "workers": Membership.objects.filter(district=district).filter(~Q(role=Role.AUDITOR)).count(),
    }
    return ", ".join(f"{v:,} {k}" for k, v in counts.items())


# --- against the last release -------------------------------------------------------------------------------

BASELINE = Path(__file__).resolve().parents[3] / "bench" / "last-release.json"


def stable_key(name: str) -> str:
    """A page's name without its numbers (the year, the busiest case's event count), to match runs."""
    return re.sub(r"\d[\d,]*", "#", name)


def as_baseline(results: list[PageResult], load: LoadResult | None, *, label: str) -> dict:
    """This run in the form ``compare`` reads (``--save-baseline`` at a release)."""
    pages = {stable_key(r.name): {"p50": round(r.p50, 1), "p95": round(r.p95, 1)} for r in results}
    data: dict = {"label": label, "pages": pages}
    if load is not None:
        data["load"] = {"rps": round(load.rps, 1), "p99": round(load.p99, 1)}
    return data


def compare(results: list[PageResult], load: LoadResult | None, baseline: dict) -> str:
    """Each page replayed against the last release's numbers: new / old, so that a slowdown shows."""
    lines = [
        f"Against {baseline.get('label', 'the last release')}:",
        "| page / read | p50 ms then → now | p95 ms then → now | p95 now / then |",
        "|---|--:|--:|--:|",
    ]
    pages = baseline.get("pages", {})
    for r in results:
        old = pages.get(stable_key(r.name))
        if old is None:
            lines.append(f"| {r.name} | — → {r.p50:,.1f} | — → {r.p95:,.1f} | new |")
            continue
        ratio = r.p95 / old["p95"] if old["p95"] else float("nan")
        flag = " SLOWER" if ratio > 1.1 else ""
        lines.append(
            f"| {r.name} | {old['p50']:,.1f} → {r.p50:,.1f} | {old['p95']:,.1f} → {r.p95:,.1f} | {ratio:.2f}×{flag} |"
        )
    if load is not None and "load" in baseline:
        old_load = baseline["load"]
        lines.append(
            f"| mixed load (req/s; p99 ms) | {old_load['rps']:,.1f} → {load.rps:,.1f} req/s "
            f"| {old_load['p99']:,.0f} → {load.p99:,.0f} | {load.rps / old_load['rps']:.2f}× req/s |"
        )
    return "\n".join(lines)
