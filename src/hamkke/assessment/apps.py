from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AssessmentConfig(AppConfig):
    name = "hamkke.assessment"
    verbose_name = _("상담·사정")
