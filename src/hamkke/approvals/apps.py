from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApprovalsConfig(AppConfig):
    name = "hamkke.approvals"
    verbose_name = _("결재")

    def ready(self) -> None:
        # Imported here: services import models, which need the app registry ready.
        from hamkke.cases import workflow

        from . import services

        workflow.on_stage_changed(services.approvals_cancel_stale)
        workflow.on_approval_switched_off(services.approvals_cancel_switched_off)
