from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "hamkke.cases"
    verbose_name = "사례"
