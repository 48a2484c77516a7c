from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RecordsConfig(AppConfig):
    name = "hamkke.records"
    verbose_name = _("서비스·상담 기록")
