#!/usr/bin/env python3
"""Hamkke's two set-up commands, needing nothing but Python 3.11+:

    python3 dev.py demo    # own virtualenv, install, migrate SQLite, load the demo district, serve :8000
                           # with a Celery worker and beat beside it (broker: files in var/celery)
    python3 dev.py test    # own virtualenv, install with test tools, run the whole test suite
    python3 dev.py totp district-admin   # demo only: the current two-factor code of a demo account
    python3 dev.py lint    # ruff format --check, ruff check, mypy (what CI checks before the tests)

Extra arguments after ``test`` go to pytest (e.g. ``python3 dev.py test -k access``).
Set DATABASE_URL to use PostgreSQL instead of the default SQLite file in ./var.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
PY = BIN / ("python.exe" if os.name == "nt" else "python")
HOST_PORT = os.environ.get("HAMKKE_ADDR", "127.0.0.1:8000")
TWO_FACTOR_DEMO_ACCOUNTS = ("district-admin", "auditor", "seongdong-admin")
CELERY_WORKER = [
    "-A",
    "hamkke",
    "worker",
    "--beat",
    "--loglevel=INFO",
    "--concurrency=1",
    *(["--pool=solo"] if os.name == "nt" else []),
    "--without-mingle",
    "--without-gossip",
]


def run(*args: str | Path, **kwargs) -> None:
    print("+", " ".join(str(a) for a in args), flush=True)
    subprocess.run([str(a) for a in args], check=True, cwd=ROOT, **kwargs)


def ensure_venv(extras: str) -> None:
    """Create .venv and (re)install the project when pyproject.toml or the extras changed."""
    if sys.version_info < (3, 11):  # noqa: UP036 - dev.py may be started by an older python3
        sys.exit("Hamkke needs Python 3.11 or newer / Python 3.11 이상이 필요합니다.")
    if not PY.exists():
        print(f"Creating virtual environment in {VENV}", flush=True)
        venv.EnvBuilder(with_pip=True).create(VENV)
    wanted = hashlib.sha256((ROOT / "pyproject.toml").read_bytes() + extras.encode()).hexdigest()
    stamp = VENV / f".hamkke-installed{'-' + extras if extras else ''}"
    if stamp.exists() and stamp.read_text() == wanted:
        return
    run(PY, "-m", "pip", "install", "--quiet", "--upgrade", "pip")
    run(PY, "-m", "pip", "install", "--quiet", "-e", f".[{extras}]" if extras else ".")
    stamp.write_text(wanted)


def demo() -> None:
    ensure_venv("")
    run(PY, "manage.py", "migrate", "--noinput")
    run(PY, "manage.py", "seed_demo")
    run(PY, "manage.py", "demo_totp", "--quiet", *TWO_FACTOR_DEMO_ACCOUNTS)
    print(f"\n  Hamkke demo: http://{HOST_PORT}/  (accounts in README.md, password hamkke-demo-2026)\n", flush=True)
    # Background jobs run beside the web server, as in production: a Celery worker with the scheduler
    # (beat) embedded. The demo's broker is kombu's filesystem transport in var/celery: no server needed.
    worker = subprocess.Popen([str(PY), "-m", "celery", *CELERY_WORKER], cwd=ROOT)
    try:
        run(PY, "manage.py", "runserver", HOST_PORT, "--noreload")
    finally:
        worker.terminate()
        worker.wait(timeout=30)


def test(pytest_args: list[str]) -> int:
    ensure_venv("dev")
    return subprocess.run([str(PY), "-m", "pytest", *pytest_args], cwd=ROOT).returncode


def lint() -> int:
    """The checks CI runs before the tests: formatting, lint, types (settings in pyproject.toml)."""
    ensure_venv("dev")
    failed = 0
    for check in (
        ["ruff", "format", "--check", "src", "bench", "dev.py", "manage.py"],
        ["ruff", "check", "src", "bench", "dev.py", "manage.py"],
        ["mypy"],
    ):
        print("+", " ".join(check), flush=True)
        failed |= subprocess.run([str(BIN / check[0]), *check[1:]], cwd=ROOT).returncode
    return 1 if failed else 0


def main() -> None:
    command, *rest = sys.argv[1:] or ["help"]
    if command == "demo":
        try:
            demo()
        except KeyboardInterrupt:
            pass
    elif command == "test":
        sys.exit(test(rest))
    elif command == "lint":
        sys.exit(lint())
    elif command == "totp":
        ensure_venv("")
        run(PY, "manage.py", "demo_totp", *(rest or TWO_FACTOR_DEMO_ACCOUNTS))
    else:
        print(__doc__)
        sys.exit(2)


if __name__ == "__main__":
    main()
