from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApiConfig(AppConfig):
    name = "hamkke.api"
    label = "api"
    verbose_name = _("API")

    def ready(self):
        from hamkke.accounts.services import credentials_reset

        from . import schema  # noqa: F401  (registers the OpenAPI authentication extensions)
        from .services import on_credentials_reset

        credentials_reset.connect(on_credentials_reset, dispatch_uid="api-revoke-tokens-on-credentials-reset")
