from django.apps import AppConfig


class PeopleConfig(AppConfig):
    name = "hamkke.people"
    verbose_name = "가구·당사자"
