"""The benchmark at a tiny scale: every page answers 200 for the chosen subjects, and the table is built."""

import datetime
import os
import random
import socket

import pytest

from hamkke.bench import benchmark
from hamkke.bench.generator import generate_synthetic

pytestmark = pytest.mark.django_db

WRK_OUTPUT = """Running 10s test @ http://127.0.0.1:8765
  2 threads and 16 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency    41.20ms   20.11ms 190.00ms   70.00%
    Req/Sec   190.00     20.00   250.00     70.00%
  Latency Distribution
     50%   38.50ms
     75%   50.00ms
     90%   70.00ms
     99%    1.20s
  3812 requests in 10.01s, 60.00MB read
  Socket errors: connect 0, read 1, write 0, timeout 2
Requests/sec:    380.80
Transfer/sec:      6.00MB
hamkke-errors: 4
"""


@pytest.fixture
def subjects():
    result = generate_synthetic(factor=0.001, seed=11, today=datetime.date.today())
    return benchmark.choose_subjects(result.district, rng=random.Random(1), cases=20)


def test_every_page_is_measured_without_errors(subjects):
    results = benchmark.run_pages(subjects, count=3, log=lambda message: None)
    names = [r.name for r in results]
    assert any("caseload" in n for n in names) and any("timeline" in n for n in names)
    assert any("search" in n for n in names) and any("detail" in n for n in names)
    for r in results:
        assert r.errors == 0, r.name
        assert r.queries > 0 and r.raw_p50 > 0 and r.p50 <= r.p99
    text = benchmark.table(results, None, subjects)
    assert text.count("\n") == len(results) + 1 and "caseload" in text


def test_subjects_are_in_scope_of_their_workers(subjects):
    assert subjects.case_requests and subjects.searches and subjects.workers
    assert subjects.largest_case_events >= 10


def test_wrk_output_is_read_with_errors_counted():
    load = benchmark._parse_wrk(WRK_OUTPUT, seconds=10, connections=16, workers=4, mix={"caseload": 1})
    assert load.requests == 3812 and load.rps == 380.8
    assert load.p50 == 38.5 and load.p99 == 1200.0
    assert load.errors == 4 + 3  # non-200 answers and socket errors
    assert "MISSED" in load.verdict and "p99" in load.verdict


def test_percentile():
    values = list(range(1, 101))
    assert benchmark.percentile(values, 50) in (50, 51) and benchmark.percentile(values, 99) == 99


def test_a_busy_port_is_refused_and_a_free_one_is_found():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        busy = taken.getsockname()[1]
        with pytest.raises(RuntimeError, match="in use"):
            benchmark.claim_port(busy)
        assert benchmark.listens_on(os.getpid(), busy)  # this process holds it
        assert not benchmark.listens_on(os.getpid(), benchmark.claim_port(None))
    assert benchmark.claim_port(busy) == busy  # released: free again


def test_a_run_is_compared_with_the_last_release_and_a_slowdown_shows():
    def page(name, p95):
        return benchmark.PageResult(name, 10, p95 / 2, p95, p95, 5, 1.0, 0, 50.0, 3.0)

    old = benchmark.as_baseline([page("timeline of the busiest case (4,588 events)", 100.0)], None, label="r1")
    text = benchmark.compare(
        [page("timeline of the busiest case (4,590 events)", 250.0), page("new page", 10.0)], None, old
    )
    assert "2.50× SLOWER" in text and "| new page |" in text
    assert "SLOWER" not in benchmark.compare([page("timeline of the busiest case (1 events)", 50.0)], None, old)
