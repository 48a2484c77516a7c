from django.apps import AppConfig


class ConsentsConfig(AppConfig):
    name = "hamkke.consents"
    verbose_name = "정보제공 동의"
