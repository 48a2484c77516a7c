from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "hamkke.demo"
    verbose_name = "데모 지역"
