"""Security headers and templates fit for a strict Content-Security-Policy."""

import re
from pathlib import Path

import pytest
from django.conf import settings

TEMPLATES = Path(settings.PACKAGE_DIR) / "templates"
INLINE_HANDLER = re.compile(r"\son[a-z]+\s*=", re.IGNORECASE)
INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*\bnonce=)[^>]*>", re.IGNORECASE)
INLINE_STYLE_ATTR = re.compile(r'\sstyle\s*=\s*"', re.IGNORECASE)


@pytest.mark.django_db
def test_every_page_sends_csp_and_frame_denial(client):
    response = client.get("/accounts/login/")
    csp = response["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "frame-ancestors 'none'" in csp and "object-src 'none'" in csp
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"


def test_templates_have_no_inline_handlers_scripts_or_style_attributes():
    offenders = []
    for path in TEMPLATES.rglob("*.html"):
        text = path.read_text(encoding="utf-8")
        for pattern in (INLINE_HANDLER, INLINE_SCRIPT, INLINE_STYLE_ATTR):
            offenders += [f"{path.relative_to(TEMPLATES)}: {m.group(0).strip()}" for m in pattern.finditer(text)]
    assert offenders == []
