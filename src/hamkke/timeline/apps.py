from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TimelineConfig(AppConfig):
    name = "hamkke.timeline"
    verbose_name = _("사례 타임라인")
