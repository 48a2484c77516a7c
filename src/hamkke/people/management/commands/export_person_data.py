from pathlib import Path

from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError

from hamkke.access.policy import CHANGE_CASE
from hamkke.accounts.actor import actor_for
from hamkke.accounts.models import User
from hamkke.audit.models import Action
from hamkke.audit.services import audit_record
from hamkke.people import privacy
from hamkke.people.selectors import person_get_for_actor


class Command(BaseCommand):
    help = (
        "Export what Hamkke holds about one person for an access request (정보주체 열람 청구), as a worker "
        "of the lead agency (--as: their first active membership). Audited with the reason."
    )

    def add_arguments(self, parser):
        parser.add_argument("--person", required=True, help="the person's public id (UUID)")
        parser.add_argument("--as", dest="username", required=True, help="the worker making the export")
        parser.add_argument("--reason", required=True, help="why (e.g. the access request's reference)")
        parser.add_argument("--format", choices=["json", "html"], default="json")
        parser.add_argument("--output", help="file to write (default: standard output)")

    def handle(self, *args, person, username, reason, format, output, **options):
        user = User.objects.filter(username=username, is_active=True).first()
        if user is None:
            raise CommandError(f"no active user {username!r}")
        actor = actor_for(user)
        try:
            found = person_get_for_actor(actor=actor, uuid=person, permission=CHANGE_CASE)
        except (ObjectDoesNotExist, ValidationError):
            audit_record(
                actor=actor,
                action=Action.DENIED,
                object_type="person",
                object_id=person,
                detail="access request export",
            )
            raise CommandError("person not found or not in this user's cases") from None
        try:
            data = privacy.person_data_export(actor=actor, person=found, reason=reason)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None
        except PermissionDenied as error:
            raise CommandError(str(error)) from None
        text = privacy.export_as_json(data) if format == "json" else privacy.export_as_html(data)
        if output:
            Path(output).write_text(text, encoding="utf-8")
            self.stderr.write(f"written to {output}")
        else:
            self.stdout.write(text)
