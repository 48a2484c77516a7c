from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DiagramsConfig(AppConfig):
    name = "hamkke.diagrams"
    verbose_name = _("생태도·가계도")
