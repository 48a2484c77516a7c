from django.apps import AppConfig


class BenchConfig(AppConfig):
    name = "hamkke.bench"
    verbose_name = "합성 데이터·성능 측정"
