"""Writing the access log. Every read of personal data and every change goes through here."""

from __future__ import annotations

import datetime
import ipaddress
from collections.abc import Iterable

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from django_guid import get_guid

from hamkke.access.policy import SIGN_ACCESS_REVIEW, may
from hamkke.accounts.actor import Actor
from hamkke.core.paths import path_without_values

from . import partitions
from .models import AccessLog, Action, MonthFlagRun, MonthlyReview
from .monthflags import month_flag_groups, month_flags_compute

MIN_RETENTION_DAYS = 730


def client_ip(request: HttpRequest | None) -> str | None:
    """The client's address. Behind nginx every request comes from the proxy, which puts the client's
    address in X-Real-IP: that header is believed only from an address in HAMKKE_TRUSTED_PROXIES (any
    client can send it; X-Forwarded-For is never read)."""
    if request is None:
        return None
    remote = request.META.get("REMOTE_ADDR")
    forwarded = request.META.get("HTTP_X_REAL_IP", "").strip()
    if forwarded and remote in settings.HAMKKE_TRUSTED_PROXIES:
        try:
            return str(ipaddress.ip_address(forwarded))
        except ValueError:
            return remote
    return remote


def audit_record(
    *,
    actor: Actor,
    action: str,
    obj=None,
    object_type: str = "",
    object_id: str = "",
    case_id: int | None = None,
    person_ids: Iterable[int] = (),
    request: HttpRequest | None = None,
    detail: str = "",
) -> AccessLog:
    """Append one access-log row. ``obj`` gives type and public id; otherwise pass them."""
    user = actor.user if actor.user.is_authenticated else None
    if obj is not None:
        object_type = obj._meta.model_name
        object_id = str(getattr(obj, "uuid", None) or obj.pk)
    return AccessLog.objects.create(
        district_id=actor.district_id or getattr(obj, "district_id", None),
        user_id=user.pk if user else None,
        username=user.get_username() if user else "",
        agency_id=actor.agency_id or None,  # no membership: NO_ID (0), stored as no agency
        action=action,
        object_type=object_type,
        object_id=str(object_id)[:64],
        case_id=case_id,
        person_ids=sorted(set(person_ids)),
        ip=client_ip(request),
        path=path_without_values(request.get_full_path())[:300] if request is not None else "",
        detail=detail[:300],
        request_id=(get_guid() or "")[:36],
    )


def audit_export(
    *,
    actor: Actor,
    object_type: str,
    export_id: str,
    file_format: str,
    scope: str,
    period: str,
    rows: int,
    reason: str,
    request: HttpRequest | None = None,
) -> AccessLog:
    """The one access-log row of a bulk export (a list of records in a file).

    It names the export (``export_id``, also in the file's name), what it held (``object_type``, the
    number of rows), whose scope it was read in and the period, and the stated reason: an auditor
    knows which file was taken and can rebuild what was in it, without a row listing every person
    (issue 15 §4: a year's records concern a hundred thousand people). ``audit.flags`` shows every
    such export for review (``bulk``), as a bulk read of many persons would be.
    """
    detail = _("%(format)s · 기간 %(period)s · 범위 %(scope)s · %(n)s건 · 사유: %(reason)s") % {
        "format": file_format.upper(),
        "period": period,
        "scope": scope,
        "n": f"{rows:,}",
        "reason": reason,
    }
    return audit_record(
        actor=actor,
        action=Action.EXPORT,
        object_type=object_type,
        object_id=export_id,
        request=request,
        detail=detail,
    )


def audit_denied(*, actor: Actor, request: HttpRequest, object_type: str, object_id: str) -> AccessLog:
    """A refused attempt, e.g. opening another agency's case by URL."""
    return audit_record(
        actor=actor, action=Action.DENIED, object_type=object_type, object_id=object_id, request=request
    )


def monthly_review_sign(
    *, actor: Actor, month: datetime.date, flags_seen: list[str], note: str, request: HttpRequest | None = None
):
    """An auditor signs off a finished month of the access log, naming every group of flags (kind and user,
    ``monthflags.FlagGroup.key``) they looked at. The flags are the month's stored ones; a month the job has
    not computed yet (no worker: a small installation, the tests) is computed here, the same way."""

    if not may(actor, SIGN_ACCESS_REVIEW):
        raise PermissionDenied(_("감사 담당자만 월간 점검에 서명할 수 있습니다."))
    first = month.replace(day=1)
    next_month = (first + datetime.timedelta(days=32)).replace(day=1)
    if next_month > timezone.localdate():
        raise ValidationError({"month": _("끝난 달만 점검할 수 있습니다.")})
    if not (note or "").strip():
        raise ValidationError({"note": _("점검 의견을 적으세요.")})
    run = MonthFlagRun.objects.filter(
        district_id=actor.district_id, month=first, status=MonthFlagRun.Status.DONE
    ).first() or month_flags_compute(district_id=actor.district_id, month=first)
    groups = month_flag_groups(run=run)
    missing = {group.key for group in groups} - set(flags_seen)
    if missing:
        raise ValidationError(
            {
                "flags_seen": _("확인하지 않은 이상 징후 묶음이 %(n)d개 있습니다. 모두 살펴본 뒤 서명하세요.")
                % {"n": len(missing)}
            }
        )
    if MonthlyReview.objects.filter(district_id=actor.district_id, month=first).exists():
        raise ValidationError({"month": _("이미 서명한 달입니다.")})
    with transaction.atomic():
        review = MonthlyReview.objects.create(
            district_id=actor.district_id,
            month=first,
            reviewed_by=actor.user,
            signed_at=timezone.now(),
            flags_seen=sorted({group.key for group in groups}),
            flag_count=run.flag_count,
            note=note.strip(),
        )
        audit_record(
            actor=actor,
            action=Action.UPDATE,
            object_type="monthlyreview",
            object_id=str(review.pk),
            request=request,
            detail=f"review {first:%Y-%m} signed, {run.flag_count} flags in {len(groups)} groups",
        )
    return review


def access_log_purge(*, older_than_days: int, dry_run: bool = True) -> int:
    """Remove access-log rows older than the retention period; never fewer than 2 years (the law's minimum).

    On PostgreSQL the log is partitioned by month (``partitions``): whole months that ended before the
    cutoff are dropped (instant, no dead rows), so a month's rows go once all of them are past the period;
    stray old rows in the default partition are deleted. Elsewhere (SQLite) old rows are deleted. The
    database trigger refuses younger rows anyway; this is the polite front door. -> rows (to be) removed.
    """
    if older_than_days < MIN_RETENTION_DAYS:
        raise ValidationError(_("접속기록은 최소 2년(730일) 보관해야 합니다."))
    cutoff = timezone.now() - datetime.timedelta(days=older_than_days)
    if partitions.is_partitioned():
        months = partitions.droppable(cutoff=cutoff)
        if dry_run:
            return sum(month.rows for month in months) + partitions.default_older_than(cutoff)
        partitions.ensure_partitions()
        return partitions.drop(months, cutoff=cutoff)
    old = AccessLog.objects.filter(at__lt=cutoff)
    if dry_run:
        return old.count()
    deleted, _counts = old.delete()
    return deleted
