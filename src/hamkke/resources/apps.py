from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ResourcesConfig(AppConfig):
    name = "hamkke.resources"
    verbose_name = _("지역 자원")
