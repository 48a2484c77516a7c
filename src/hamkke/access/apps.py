from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccessConfig(AppConfig):
    name = "hamkke.access"
    verbose_name = _("접근 권한")

    def ready(self) -> None:
        from . import signals  # noqa: F401  (connects the receivers that keep CaseAccess exact)
