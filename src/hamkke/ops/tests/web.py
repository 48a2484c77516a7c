"""Helpers for tests that start real servers (gunicorn, Celery) and talk to them over HTTP.

Standard library only (urllib with a cookie jar): the browser-free way a probe or an admin's script talks.
"""

from __future__ import annotations

import contextlib
import http.cookiejar
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings

SRC = settings.PACKAGE_DIR.parent
ROOT = settings.BASE_DIR


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def app_env(**overrides: str) -> dict[str, str]:
    """The environment of a server process: this one's, the source tree importable, overrides on top."""
    env = dict(os.environ)
    env.pop("DJANGO_SETTINGS_MODULE", None)
    env.update(
        DJANGO_SETTINGS_MODULE="hamkke.settings",
        PYTHONPATH=os.pathsep.join(filter(None, [str(SRC), os.environ.get("PYTHONPATH")])),
        PYTHONUNBUFFERED="1",
    )
    env.update(overrides)
    return env


@dataclass
class Response:
    status: int
    headers: dict[str, str]
    body: bytes

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", errors="replace")


class Browser:
    """Cookies, CSRF tokens from forms, no redirects followed (the test looks at each answer)."""

    secure = False  # SecureBrowser: as behind a TLS-terminating proxy

    def __init__(self, base: str, headers: dict[str, str] | None = None):
        self.base = base.rstrip("/")
        self.jar = http.cookiejar.CookieJar(policy=_SecureOverProxy() if self.secure else None)
        self.extra = headers or {}
        # the page a form was on, as the browser names it (Django's CSRF check wants https behind TLS)
        self.origin = self.base.replace("http://", "https://", 1) if self.secure else self.base

        class NoRedirect(urllib.request.HTTPRedirectHandler):
            def redirect_request(self, *args, **kwargs):
                return None

        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar), NoRedirect)

    def request(self, method: str, path: str, data: bytes | None = None, headers: dict[str, str] | None = None):
        request = urllib.request.Request(self.base + path, data=data, method=method)
        for key, value in {**self.extra, **(headers or {})}.items():
            request.add_header(key, value)
        try:
            with self.opener.open(request, timeout=60) as answer:
                return Response(answer.status, dict(answer.headers), answer.read())
        except urllib.error.HTTPError as error:
            return Response(error.code, dict(error.headers), error.read())

    def get(self, path: str, headers: dict[str, str] | None = None) -> Response:
        return self.request("GET", path, headers=headers)

    def post(self, path: str, fields: dict[str, str], form_page: str | None = None) -> Response:
        """POST a form: the CSRF token is read from ``form_page`` (default: ``path``) first."""
        page = self.get(form_page or path)
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text)
        assert token, f"no CSRF token on {form_page or path} ({page.status})"
        body = urllib.parse.urlencode({"csrfmiddlewaretoken": token.group(1), **fields}).encode()
        return self.request(
            "POST",
            path,
            body,
            {"Content-Type": "application/x-www-form-urlencoded", "Referer": self.origin + (form_page or path)},
        )

    def post_multipart(
        self,
        path: str,
        fields: dict[str, str],
        files: dict[str, tuple[str, bytes]],
        form_page: str,
        headers: dict[str, str] | None = None,
    ):
        page = self.get(form_page)
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text)
        assert token, f"no CSRF token on {form_page} ({page.status})"
        boundary = "----hamkke-test-boundary"
        parts = []
        for name, value in {"csrfmiddlewaretoken": token.group(1), **fields}.items():
            parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode())
        for name, (filename, content) in files.items():
            parts.append(
                f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; filename="{filename}"\r\n'
                f"Content-Type: application/octet-stream\r\n\r\n".encode()
                + content
                + b"\r\n"
            )
        parts.append(f"--{boundary}--\r\n".encode())
        return self.request(
            "POST",
            path,
            b"".join(parts),
            {
                "Content-Type": f"multipart/form-data; boundary={boundary}",
                "Referer": self.origin + form_page,
                **(headers or {}),
            },
        )


class _SecureOverProxy(http.cookiejar.DefaultCookiePolicy):
    """Send Secure cookies over the plain-HTTP hop to gunicorn: the test stands where nginx would, after TLS."""

    def return_ok_secure(self, cookie, request):
        return True

    def set_ok(self, cookie, request):
        return super().set_ok(cookie, request) or cookie.secure


class SecureBrowser(Browser):
    """A browser behind nginx: every request says X-Forwarded-Proto: https (give it in ``headers``)."""

    secure = True


def wait_for(url: str, *, seconds: float = 60, process: subprocess.Popen | None = None, headers=None) -> None:
    deadline = time.monotonic() + seconds
    last = ""
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            raise RuntimeError(f"{process.args} exited with {process.returncode} before {url} answered")
        try:
            request = urllib.request.Request(url, headers=headers or {})
            with urllib.request.urlopen(request, timeout=5) as answer:
                if answer.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError) as error:
            last = str(error)
        time.sleep(0.3)
    raise TimeoutError(f"{url} did not answer 200 within {seconds} s ({last})")


@contextlib.contextmanager
def started(args: list[str], *, env: dict[str, str], log: Path, name: str) -> Iterator[subprocess.Popen]:
    """Start a process in its own process group (logs to ``log``); on exit SIGTERM the group, then SIGKILL."""
    with open(log, "ab") as out:
        process = subprocess.Popen(
            args, env=env, cwd=ROOT, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
        )
    try:
        yield process
    finally:
        stop(process)


def stop(process: subprocess.Popen, *, seconds: float = 20) -> None:
    if process.poll() is not None:
        return
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(seconds)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait(10)


def gunicorn_args(port: int, *extra: str) -> list[str]:
    return [sys.executable, "-m", "gunicorn", "--bind", f"127.0.0.1:{port}", *extra, "hamkke.wsgi"]
