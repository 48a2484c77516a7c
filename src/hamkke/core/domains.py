"""Life domains (생활 영역): the service categories of DOMAIN.md §5, shared by needs, resources and services."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class LifeDomain(models.TextChoices):
    LIVELIHOOD = "livelihood", _("생계·경제")
    HOUSING = "housing", _("주거·생활환경")
    PHYSICAL_HEALTH = "physical_health", _("신체건강")
    MENTAL_HEALTH = "mental_health", _("정신건강")
    EMPLOYMENT = "employment", _("취업·소득")
    EDUCATION = "education", _("교육")
    DAILY_LIVING = "daily_living", _("일상생활")
    SAFETY = "safety", _("안전")
    FAMILY = "family", _("가족·관계")
    LEGAL = "legal", _("법률")
