"""Issue 11, finding 11: nothing Hamkke answers stays in a shared office PC's browser cache."""

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

pytestmark = pytest.mark.django_db


def no_store(response) -> bool:
    return "no-store" in response.get("Cache-Control", "")


def test_pages_api_answers_and_downloads_are_not_stored(client, world):
    world.lead_worker.login(client)
    page = client.get(reverse("cases:detail", args=[world.case.uuid]))
    assert page.status_code == 200 and no_store(page)
    fragment = client.get(reverse("inbox:index"), HTTP_HX_REQUEST="true")
    assert no_store(fragment)
    api = APIClient()
    api.force_login(world.lead_worker.user)
    answer = api.get(f"/api/v1/cases/{world.case.uuid}/")
    assert answer.status_code == 200 and no_store(answer)
    assert no_store(api.get("/api/v1/cases/?stage=nope"))  # an error answer too
    download = client.post(
        reverse("imports:export"), {"entity": "households", "file_format": "csv", "reason": "분기 보고"}
    )
    assert download.status_code == 200 and download["Content-Disposition"].startswith("attachment")
    assert no_store(download)


def test_static_files_keep_their_cache(client):
    response = client.get("/static/hamkke/hamkke.js")
    assert response.status_code == 200 and not no_store(response)
