"""Reads that may go to a read replica (issue 16 item 7): reports and exports.

A read replica is configured with ``DATABASE_REPLICA_URL`` (a streaming-replication standby of the
primary). Without it everything reads and writes ``default`` and nothing here changes a query.

Django routes by model, not by caller, so a database router alone cannot say "the figures page reads
from the replica but the case page does not". Here the caller says so: ``replica_reads()`` marks the
current request or job (a context variable), and ``ReplicaRouter`` sends *reads* to the replica while
the mark is set; writes — the access-log row of every report, an export's job row — always go to the
primary. Only views that never read back what they wrote may be marked (a replica lags by a moment):
``REPLICA_READ_VIEWS`` in settings, GET and HEAD only, applied by ``ReplicaReadsMiddleware`` after the
session, the user and the actor were read from the primary (a user who just logged in must not be
sent back to the log-in page because the replica has not yet seen the session).
"""

from __future__ import annotations

import contextlib
import contextvars
from collections.abc import Iterator, Sequence

from django.conf import settings
from django.core.signals import request_finished
from django.dispatch import receiver

REPLICA = "replica"

_reads_from_replica: contextvars.ContextVar[bool] = contextvars.ContextVar("hamkke_replica_reads", default=False)


def replica_configured() -> bool:
    return REPLICA in settings.DATABASES


@contextlib.contextmanager
def replica_reads() -> Iterator[None]:
    """Reads inside go to the replica when one is configured (a job's export, a report)."""
    token = _reads_from_replica.set(True)
    try:
        yield
    finally:
        _reads_from_replica.reset(token)


class ReplicaRouter:
    """Reads of a marked request or job to the replica; everything else as Django would do it."""

    def db_for_read(self, model, **hints):
        if _reads_from_replica.get() and replica_configured():
            return REPLICA
        return None

    def db_for_write(self, model, **hints):
        return "default"

    def allow_relation(self, obj1, obj2, **hints):
        return True  # the replica is a copy of the primary: objects from either may be related

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db == "default"  # the replica receives the primary's schema by replication


class ReplicaReadsMiddleware:
    """Marks the GET requests of ``settings.REPLICA_READ_VIEWS`` (url names) as replica reads.

    The mark lasts until the response is finished (``request_finished``), so a streamed export reads
    its rows from the replica too, after the view has returned."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        _reads_from_replica.set(False)
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if request.method not in ("GET", "HEAD") or not replica_configured():
            return None
        match = getattr(request, "resolver_match", None)
        if match is None or match.view_name not in settings.REPLICA_READ_VIEWS:
            return None
        # Read from the primary first what must never lag: the session, the user, the actor.
        bool(getattr(request, "user", None))  # the lazy user and the lazy actor are evaluated here
        bool(getattr(request, "actor", None))
        _reads_from_replica.set(True)
        return None


@receiver(request_finished, dispatch_uid="hamkke-replica-reads-end")
def _end_of_request(**kwargs) -> None:
    _reads_from_replica.set(False)


def execute_per_vendor(connection, *, postgresql: Sequence[str], sqlite: Sequence[str], what: str) -> None:
    """Run the statements written for this database (the triggers of the access log and of the rollups,
    which Django cannot express); another database is refused rather than left unprotected."""
    statements = {"postgresql": postgresql, "sqlite": sqlite}.get(connection.vendor)
    if statements is None:
        raise NotImplementedError(f"{what} not implemented for {connection.vendor}")
    with connection.cursor() as cursor:
        for sql in statements:
            cursor.execute(sql)
