"""Hostile files (issue 11, findings 2-3) through the worker's own path (the Celery task, run
in-process): each ends with a clear message in Korean (and English), within seconds and bounded
memory, measured here: wall time, and the growth of the process's peak resident memory during the
run (Linux: the peak is reset through /proc/self/clear_refs, so C allocations of zlib and the XML
parser count too); elsewhere the peak of Python allocations (tracemalloc). And the worker goes on to
the next job."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path

import pytest
from django.utils import translation

import hamkke
from hamkke.imports import tasks
from hamkke.imports.models import ImportJob
from hamkke.imports.services import import_job_create

from . import hostile
from .helpers import HOUSEHOLD_HEADER, csv_bytes, household_row

pytestmark = pytest.mark.django_db

MB = 1024 * 1024
STATUS, CLEAR_REFS = Path("/proc/self/status"), Path("/proc/self/clear_refs")


def _status_mb(field: str) -> float:
    return int(re.search(rf"{field}:\s+(\d+)", STATUS.read_text()).group(1)) / 1024


def measured(run: Callable[[], None]) -> tuple[float, float]:
    """(seconds, MB the run added to the peak memory) of ``run()``."""
    try:
        CLEAR_REFS.write_text("5")  # resets VmHWM (the peak) to the current resident size
        rss = True
    except OSError:
        rss = False
        tracemalloc.start()
    baseline = _status_mb("VmRSS") if rss else 0.0
    started = time.perf_counter()
    try:
        run()
        seconds = time.perf_counter() - started
        peak = _status_mb("VmHWM") - baseline if rss else tracemalloc.get_traced_memory()[1] / MB
    finally:
        if not rss:
            tracemalloc.stop()
    return seconds, peak


def run_measured(world, content: bytes, filename: str) -> tuple[ImportJob, float, float]:
    job = import_job_create(
        actor=world.lead_worker.actor, kind="households", filename=filename, content=content, enqueue=False
    )
    seconds, peak = measured(lambda: tasks.run_import_job.delay(job.pk))
    job.refresh_from_db()
    print(f"\n{filename}: {len(content):,} bytes -> {job.status} in {seconds:.2f} s, peak +{peak:.1f} MB")
    return job, seconds, peak


def english(message: str) -> str:
    with translation.override("en"):
        return translation.gettext(message)


def only_problem(job: ImportJob) -> str:
    assert job.status == ImportJob.Status.FAILED and len(job.problems) == 1, job.problems
    return job.problems[0]["message"]


def test_a_malformed_cell_fails_the_job_with_its_row_and_the_worker_goes_on(world):
    job, seconds, peak = run_measured(world, hostile.malformed_cell(), "malformed.xlsx")
    message = only_problem(job)
    assert "4행에 읽을 수 없는 칸" in message and "아무것도 저장하지 않았습니다" in message
    assert seconds < 3 and peak < 20
    # The same worker takes the next upload.
    good, _, _ = run_measured(world, csv_bytes(HOUSEHOLD_HEADER, [household_row("N-1", "다음", "1960-01-01")]), "n.csv")
    assert good.status == ImportJob.Status.DONE and good.problems == []


def test_malformed_cell_message_has_an_english_translation():
    source = (
        "엑셀 파일의 %(row)s행에 읽을 수 없는 칸이 있습니다(숫자 칸에 글자 등). "
        "엑셀에서 그 행을 고쳐 다시 저장해 주세요. 아무것도 저장하지 않았습니다."
    )
    assert english(source).startswith("Row %(row)s of the Excel file has a cell that cannot be read")


@pytest.mark.parametrize(
    "make, name, max_seconds",
    [
        (hostile.huge_dimension, "dimension-XFD4000.xlsx", 3),
        (hostile.million_rows_claimed, "million-rows.xlsx", 5),
    ],
)
def test_claimed_width_and_height_are_not_padded(world, make: Callable[[], bytes], name, max_seconds):
    """openpyxl pads every row to the claimed <dimension> (578 MB for A1:XFD4000): rows are streamed
    without it and cut to the header's width, so the two real rows are read and nothing else."""
    job, seconds, peak = run_measured(world, make(), name)
    assert job.status == ImportJob.Status.DONE and job.problems == [] and job.total_rows == 2
    assert seconds < max_seconds and peak < 20


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_the_row_limit_stops_reading_while_streaming(world, fmt):
    content = hostile.too_many_rows() if fmt == "xlsx" else hostile.csv_too_many_rows()
    job, seconds, peak = run_measured(world, content, f"60000-rows.{fmt}")
    assert "50,000행까지" in only_problem(job)
    assert seconds < 30 and peak < 80  # 50,000 rows are kept before the 50,001st is refused


def test_a_zip_bomb_is_refused_before_unpacking(world):
    content = hostile.zip_bomb()
    assert len(content) < 300 * 1024  # unpacks to 200 MB
    job, seconds, peak = run_measured(world, content, "bomb.xlsx")
    assert "압축 폭탄" in only_problem(job)
    assert seconds < 1 and peak < 5


def test_a_high_ratio_entry_under_the_size_cap_is_refused_too(world):
    job, seconds, peak = run_measured(world, hostile.zip_bomb(megabytes=20), "bomb-20.xlsx")
    assert "압축 폭탄" in only_problem(job) and seconds < 1 and peak < 5


def test_a_csv_line_with_millions_of_cells_is_refused(world):
    job, seconds, peak = run_measured(world, hostile.csv_long_line(), "long-line.csv")
    assert "2번째 줄이 너무 깁니다" in only_problem(job)
    # The file's bytes, the driver's copy and the decoded text (about 6 x 16 MB), not 5.6 million cells (~300 MB).
    assert seconds < 3 and peak < 120


@pytest.mark.skipif(not Path("/proc/self/statm").exists(), reason="Linux /proc")
def test_a_worker_process_has_a_memory_limit(tmp_path):
    """Each pool process gets RLIMIT_AS = its size + HAMKKE_WORKER_MAX_MEMORY_MB (hamkke.celery): past it an
    allocation raises MemoryError (the job fails with a message) instead of the OOM killer's SIGKILL."""
    code = (
        "from hamkke.celery import apply_memory_limit\n"
        "apply_memory_limit(200)\n"
        "within = bytearray(100 * 2**20)\n"
        "try:\n"
        "    bytearray(400 * 2**20)\n"
        "except MemoryError:\n"
        "    print('MemoryError')\n"
    )
    env = {**os.environ, "PYTHONPATH": str(Path(hamkke.__file__).resolve().parent.parent)}
    result = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=120)
    assert result.stdout.strip() == "MemoryError", result.stderr[-2000:]
