from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlansConfig(AppConfig):
    name = "hamkke.plans"
    verbose_name = _("서비스 계획")

    def ready(self) -> None:
        # Imported here: services import models, which need the app registry ready.
        from hamkke.cases import workflow

        from . import selectors, services

        workflow.register_approval(
            workflow.ApprovalKind.PLAN,
            workflow.ApprovalHandler(
                apply=services.plan_apply_approved, withdraw=services.plan_withdraw, url=services.plan_approval_url
            ),
        )
        workflow.register_active_plan_goals(selectors.active_plan_goals)
        workflow.on_stage_changed(services.plan_end_open_actions)
