"""Base models shared by every domain app."""

import uuid

from django.db import models
from django.utils.translation import gettext_lazy as _


class TimeStamped(models.Model):
    created_at = models.DateTimeField(_("등록일시"), auto_now_add=True)
    updated_at = models.DateTimeField(_("수정일시"), auto_now=True)

    class Meta:
        abstract = True


class DistrictOwned(TimeStamped):
    """A tenant-owned row: it carries its district directly (ARCHITECTURE.md, Tenancy)."""

    district = models.ForeignKey("districts.District", on_delete=models.PROTECT, verbose_name=_("시군구"))

    class Meta:
        abstract = True


class PublicIdMixin(models.Model):
    """A random public id for URLs and the API: sequential ids are never exposed."""

    uuid = models.UUIDField(_("공개 ID"), default=uuid.uuid4, unique=True, editable=False)

    class Meta:
        abstract = True

    @property
    def reference(self) -> str:
        """A short reference a worker can read out on the phone."""
        return self.uuid.hex[:8].upper()
