"""Issue 14: the installable app's own files, and nothing of Hamkke left on a device after log-out."""

import json

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def test_service_worker_is_served_from_the_root_without_a_log_in(client):
    response = client.get("/sw.js")
    assert response.status_code == 200
    assert "javascript" in response["Content-Type"]
    assert b'addEventListener("fetch"' in body(response)


def test_manifest_and_offline_page_are_own_static_files(client):
    manifest = json.loads(body(client.get("/static/hamkke/manifest.webmanifest")))
    assert manifest["start_url"] == "/" and manifest["display"] == "standalone"
    for icon in manifest["icons"]:
        assert client.get(f"/static/hamkke/{icon['src']}").status_code == 200
    assert client.get("/static/hamkke/offline.html").status_code == 200


def test_pages_name_the_manifest_and_the_service_worker_only_when_signed_in(client, world):
    login_page = client.get(reverse("login")).content.decode()
    assert "manifest.webmanifest" in login_page and 'data-service-worker="/sw.js"' not in login_page
    world.lead_worker.login(client)
    page = client.get(reverse("cases:caseload")).content.decode()
    assert 'data-service-worker="/sw.js"' in page and 'id="offline-notes"' in page


def test_logging_out_clears_the_device(client, world):
    world.lead_worker.login(client)
    response = client.post(reverse("logout"))
    assert response.status_code == 302
    assert response["Clear-Site-Data"] == '"cache", "storage"'
