from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "hamkke.reports"
    verbose_name = _("통계·보고")
