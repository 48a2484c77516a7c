from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "hamkke.cases"
    verbose_name = "사례"

    def ready(self) -> None:
        # Imported here: services import models, which need the app registry ready.
        from . import services, workflow

        workflow.register_approval(
            workflow.ApprovalKind.CLASSIFICATION, workflow.ApprovalHandler(apply=services.case_apply_classification)
        )
        workflow.register_approval(
            workflow.ApprovalKind.CLOSURE, workflow.ApprovalHandler(apply=services.case_apply_closure)
        )
