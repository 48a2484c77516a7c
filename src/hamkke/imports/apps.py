from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ImportsConfig(AppConfig):
    name = "hamkke.imports"
    label = "imports"
    verbose_name = _("가져오기·내보내기")

    def ready(self) -> None:
        # Register the Celery tasks in every process, not only in workers (autodiscovery runs there):
        # the web sends them by name, and under task_always_eager (tests) runs them in-process.
        from . import tasks  # noqa: F401
