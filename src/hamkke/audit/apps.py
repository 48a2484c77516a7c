from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "hamkke.audit"
    verbose_name = "접속기록"
