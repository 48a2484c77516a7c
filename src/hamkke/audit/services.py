"""Writing the access log. Every read of personal data and every change goes through here."""

from __future__ import annotations

from collections.abc import Iterable

from django.http import HttpRequest

from hamkke.accounts.actor import Actor

from .models import AccessLog, Action


def client_ip(request: HttpRequest | None) -> str | None:
    # Behind a reverse proxy, have the proxy set REMOTE_ADDR; X-Forwarded-For is not trusted
    # here because any client can forge it.
    return request.META.get("REMOTE_ADDR") if request is not None else None


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
        agency_id=actor.agency_id,
        action=action,
        object_type=object_type,
        object_id=str(object_id)[:64],
        case_id=case_id,
        person_ids=sorted(set(person_ids)),
        ip=client_ip(request),
        path=request.get_full_path()[:300] if request is not None else "",
        detail=detail[:300],
    )


def audit_denied(*, actor: Actor, request: HttpRequest, object_type: str, object_id: str) -> AccessLog:
    """A refused attempt, e.g. opening another agency's case by URL."""
    return audit_record(
        actor=actor, action=Action.DENIED, object_type=object_type, object_id=object_id, request=request
    )
