from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "hamkke.accounts"
    verbose_name = "사용자·소속"

    def ready(self):
        from . import signals  # noqa: F401
