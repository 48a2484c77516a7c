from django.apps import AppConfig


class DistrictsConfig(AppConfig):
    name = "hamkke.districts"
    verbose_name = "지역·기관"
