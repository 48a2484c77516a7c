from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ImportsConfig(AppConfig):
    name = "hamkke.imports"
    label = "imports"
    verbose_name = _("가져오기·내보내기")
