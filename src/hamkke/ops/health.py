"""Readiness checks for /readyz (django-health-check): database, migrations, broker, disk space.

The checks touching the database run through ``sync_to_async`` (thread-sensitive), so they use the
request thread's own connection instead of opening one in an executor thread that nobody closes.
"""

from __future__ import annotations

import dataclasses
import shutil

from asgiref.sync import sync_to_async
from django.conf import settings
from django.db import DatabaseError, connections
from django.db.migrations.executor import MigrationExecutor
from health_check.base import HealthCheck
from health_check.exceptions import ServiceUnavailable, ServiceWarning

from hamkke.celery import app as celery_app


@dataclasses.dataclass
class Database(HealthCheck):
    alias: str = "default"

    def check(self) -> None:
        try:
            with connections[self.alias].cursor() as cursor:
                cursor.execute("SELECT 1")
                row = cursor.fetchone()
        except DatabaseError as error:
            raise ServiceUnavailable(type(error).__name__) from error
        if row != (1,):
            raise ServiceUnavailable("SELECT 1 did not answer 1")

    async def run(self) -> None:
        await sync_to_async(self.check)()


_migrated: set[str] = set()  # aliases seen fully migrated: migrations are not unapplied under a running server


@dataclasses.dataclass
class Migrations(HealthCheck):
    """Every migration of the code is applied (a release whose `migrate` step was forgotten is not ready)."""

    alias: str = "default"

    def check(self) -> None:
        if self.alias in _migrated:
            return
        try:
            executor = MigrationExecutor(connections[self.alias])
            plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
        except DatabaseError as error:
            raise ServiceUnavailable(type(error).__name__) from error
        if plan:
            raise ServiceUnavailable(f"{len(plan)} migrations not applied; run manage.py migrate")
        _migrated.add(self.alias)

    async def run(self) -> None:
        await sync_to_async(self.check)()


@dataclasses.dataclass
class DiskSpace(HealthCheck):
    """Free space where the app writes (var/: exports, SQLite, Prometheus files) and, on this host, the database.

    Hand-written rather than health_check.contrib.psutil.Disk: that one only warns on a percentage, while a
    nearly full small disk and a 90 %-used 2 TB disk are very different; we want free bytes.
    """

    path: str = dataclasses.field(default_factory=lambda: str(settings.VAR_DIR))
    min_free_mb: int = dataclasses.field(default_factory=lambda: settings.HAMKKE_READY_MIN_FREE_MB, repr=False)

    def run(self) -> None:
        try:
            usage = shutil.disk_usage(self.path)
        except OSError as error:
            raise ServiceUnavailable(f"cannot stat {self.path}") from error
        free_mb = usage.free // (1024 * 1024)
        if free_mb < self.min_free_mb:
            raise ServiceWarning(f"{free_mb} MB free, fewer than {self.min_free_mb} MB")


@dataclasses.dataclass
class Broker(HealthCheck):
    """The Celery broker accepts a connection (Redis or RabbitMQ; the demo's filesystem transport: its folders).

    Not django-health-check's celery Ping: that one needs a worker to answer, and a web server is ready to
    serve pages (and queue jobs) while the workers restart.
    """

    def run(self) -> None:
        try:
            with celery_app.connection_for_write() as connection:
                connection.ensure_connection(max_retries=1, interval_start=0, timeout=3)
        except Exception as error:  # kombu raises its own, the transport's or OSError: all mean "not reachable"
            raise ServiceUnavailable(f"broker not reachable ({type(error).__name__})") from error


READINESS = [Database, Migrations, Broker, DiskSpace]
