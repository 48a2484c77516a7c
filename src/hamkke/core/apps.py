from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "hamkke.core"
    verbose_name = "공통"
