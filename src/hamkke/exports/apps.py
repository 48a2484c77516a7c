from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ExportsConfig(AppConfig):
    name = "hamkke.exports"
    label = "exports"
    verbose_name = _("백그라운드 내보내기")

    def ready(self) -> None:
        # Register the Celery tasks in every process (the web sends them by name; tests run them eagerly).
        from . import tasks  # noqa: F401
