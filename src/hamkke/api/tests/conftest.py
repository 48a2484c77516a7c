import pytest
from rest_framework.test import APIClient

from hamkke.api.services import api_token_create


@pytest.fixture
def api_as(world):
    """``api_as("lead_worker")``: an APIClient sending that member's new API token."""

    def make(key: str) -> APIClient:
        member = world.members[key]
        _token, secret = api_token_create(actor=member.actor, name=f"test {key}")
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Token {secret}")
        return client

    return make
