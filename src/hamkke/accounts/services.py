"""Writes on a user's own credentials: ending every session, a changed password.

Both send ``credentials_reset`` so that what else a stolen password may have minted ends with the
sessions: the API app revokes the user's tokens (hamkke.api.apps). A signal, because accounts sits
below the apps that hold such credentials and must not import them (STYLE: a registry where a lower
module calls a higher one).
"""

from __future__ import annotations

from django.db import transaction
from django.db.models import F
from django.dispatch import Signal
from django.http import HttpRequest

from hamkke.audit.models import Action
from hamkke.audit.services import audit_record

from .actor import Actor
from .models import User

# Sent inside the transaction with ``user``, ``reason`` ("logout everywhere" | "password change")
# and ``request``; a receiver that fails undoes the reset.
credentials_reset = Signal()


def user_logout_everywhere(*, actor: Actor, request: HttpRequest | None = None) -> None:
    """End every session of the actor's user on every device, and what else their credentials made."""
    user = actor.user
    with transaction.atomic():
        User.objects.filter(pk=user.pk).update(session_generation=F("session_generation") + 1)
        audit_record(
            actor=actor,
            action=Action.LOGOUT,
            object_type="user",
            object_id=str(user.pk),
            request=request,
            detail="logout everywhere",
        )
        credentials_reset.send(sender=User, user=user, reason="logout everywhere", request=request)


def user_password_changed(*, actor: Actor, user: User, request: HttpRequest | None = None) -> None:
    """After a password change (by the user or an admin): the old password's other credentials end."""
    with transaction.atomic():
        audit_record(
            actor=actor,
            action=Action.UPDATE,
            object_type="user",
            object_id=str(user.pk),
            request=request,
            detail="password changed",
        )
        credentials_reset.send(sender=User, user=user, reason="password change", request=request)
