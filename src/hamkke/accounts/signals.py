"""Log-ins, log-outs and failed log-ins go to the access log (no password, no personal data)."""

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from hamkke.audit.models import Action
from hamkke.audit.services import audit_record

from .actor import Actor, actor_for


@receiver(user_logged_in)
def on_login(sender, request, user, **kwargs):
    audit_record(actor=actor_for(user), action=Action.LOGIN, request=request)


@receiver(user_logged_out)
def on_logout(sender, request, user, **kwargs):
    if user is not None:
        audit_record(actor=actor_for(user), action=Action.LOGOUT, request=request)


@receiver(user_login_failed)
def on_login_failed(sender, credentials, request=None, **kwargs):
    from django.contrib.auth.models import AnonymousUser

    audit_record(
        actor=Actor(user=AnonymousUser(), membership=None),
        action=Action.LOGIN_FAILED,
        request=request,
        detail=f"username={str(credentials.get('username', ''))[:150]}",
    )
