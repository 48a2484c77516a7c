"""Optimistic locking: no lost updates when two workers edit the same record at once.

A versioned row carries ``lock_version``. An edit form sends the version it was shown with
(``expected_version``); the service, holding the row locked, refuses the edit when the row has
moved on since, and otherwise saves with version + 1. The worker gets a clear message and keeps
what they typed. Internal callers that are not answering a form pass ``expected_version=None``.

Written here rather than taken from a library: django-concurrency would do it too, but it patches
model saves globally; three services checking one integer is simpler to read and to test.
"""

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy


class Versioned(models.Model):
    lock_version = models.PositiveIntegerField(gettext_lazy("수정 번호"), default=1, editable=False)

    class Meta:
        abstract = True


def check_version(row: Versioned, expected_version: int | None) -> None:
    """Call with the row locked (select_for_update) inside the service's transaction, then save."""
    if expected_version is not None and row.lock_version != expected_version:
        raise ValidationError(
            _(
                "다른 담당자가 먼저 이 내용을 바꿨습니다. 입력한 내용은 아래에 남아 있으니, 화면을 새로 고쳐 "
                "바뀐 내용을 확인한 뒤 다시 저장하세요."
            ),
            code="conflict",
        )
    row.lock_version += 1


VERSION_MISSING = gettext_lazy(
    "이 화면이 어느 때의 내용을 보여 줬는지 알 수 없어 저장하지 않았습니다(다른 담당자의 변경을 덮어쓸 수 "
    "있습니다). 화면을 새로 고친 뒤 다시 저장하세요."
)


class VersionField(forms.IntegerField):
    """The hidden form field that carries the version the form was shown with.

    Required: an edit that leaves it out would skip the lost-update check (issue 11, finding 11).
    A form used to create as well as to edit drops the field when it creates."""

    def __init__(self, **kwargs):
        kwargs.setdefault("error_messages", {"required": VERSION_MISSING, "invalid": VERSION_MISSING})
        super().__init__(required=True, min_value=1, widget=forms.HiddenInput, **kwargs)


def current_lock_version(instance) -> int | None:
    """The row's version as stored now (after someone else's edit), for re-showing the form."""
    if instance is None or not isinstance(instance, Versioned):
        return None
    return type(instance).objects.filter(pk=instance.pk).values_list("lock_version", flat=True).first()
