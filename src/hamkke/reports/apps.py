from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def _reinstall_rollup_triggers(using: str = "default", **kwargs) -> None:
    """SQLite drops a table's triggers when a migration rebuilds it: put the rollup triggers back after
    every ``migrate`` (idempotent; a no-op change on PostgreSQL, where triggers survive ALTER TABLE)."""
    from django.db import connections

    from . import rollup_triggers

    connection = connections[using]
    tables = set(connection.introspection.table_names())
    if {rollup_triggers.DIRTY, rollup_triggers.SERVICES, rollup_triggers.CONTACTS} <= tables:
        rollup_triggers.install(connection)


class ReportsConfig(AppConfig):
    name = "hamkke.reports"
    verbose_name = _("통계·보고")

    def ready(self) -> None:
        post_migrate.connect(_reinstall_rollup_triggers, sender=self, dispatch_uid="hamkke.reports.rollup_triggers")
