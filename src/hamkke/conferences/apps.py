from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ConferencesConfig(AppConfig):
    name = "hamkke.conferences"
    verbose_name = _("사례회의")
