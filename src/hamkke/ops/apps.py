from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OpsConfig(AppConfig):
    """Running Hamkke on a server: health and readiness, metrics, request ids and JSON logs, backups."""

    name = "hamkke.ops"
    verbose_name = _("운영")

    def ready(self) -> None:
        from . import signals  # noqa: F401 - connects the Celery signal receivers
