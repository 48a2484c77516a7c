from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlansConfig(AppConfig):
    name = "hamkke.plans"
    verbose_name = _("서비스 계획")
