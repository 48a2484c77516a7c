"""Fuzzing the API against its own OpenAPI schema (schemathesis), in the ordinary test run.

Bounded and deterministic: every GET operation plus the safe writes below, 20 examples each,
derandomized; no 5xx and every response conforming to the schema. The world's lead worker calls
(token auth), so the examples reach real data where a filter or id happens to match.
"""

import pytest
import schemathesis
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from drf_spectacular.generators import SchemaGenerator
from hypothesis import HealthCheck, Phase, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from hamkke.api.services import api_token_create

CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]
# Writes whose effects stay inside the test's world (a new record on the lead's own case at most).
SAFE_WRITES = r"^/api/v1/(contact-records|needs|service-records|cases/\{uuid\}/stage|needs/\{uuid\}/status)/$"


@pytest.fixture(autouse=True)
def _keep_the_test_connection():
    """Django may close the database connection around each WSGI request (a connection inside a
    transaction looks unusable to it); the test client turns that off, and so must we: on
    PostgreSQL it is the connection holding the test's transaction."""
    for signal in (signals.request_started, signals.request_finished):
        signal.disconnect(close_old_connections)
    yield
    for signal in (signals.request_started, signals.request_finished):
        signal.connect(close_old_connections)


@pytest.fixture
def token_header(world):
    _token, key = api_token_create(actor=world.lead_worker.actor, name="fuzz")
    return {"Authorization": f"Token {key}"}


def load_schema():
    """The schema the server serves (/api/schema/), generated here without a request or the database."""
    loaded = schemathesis.openapi.from_dict(SchemaGenerator().get_schema(request=None, public=True))
    loaded.app = get_wsgi_application()  # calls go through Django in-process, inside the test's transaction
    return loaded


schema = load_schema()
reads = schema.include(method="GET")
writes = schema.include(method="POST", path_regex=SAFE_WRITES)

FUZZ = settings(
    max_examples=20,
    derandomize=True,
    deadline=None,
    database=None,
    suppress_health_check=list(HealthCheck),
    phases=[Phase.explicit, Phase.generate],
)


@pytest.mark.django_db
@reads.parametrize()
@FUZZ
def test_every_read_operation(case, token_header):
    response = case.call(headers=token_header)
    case.validate_response(response, checks=CHECKS)


@pytest.mark.django_db
@writes.parametrize()
@FUZZ
def test_safe_write_operations(case, token_header):
    response = case.call(headers=token_header)
    case.validate_response(response, checks=CHECKS)
