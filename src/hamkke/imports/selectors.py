"""Reads of import jobs (the requester's own) and of what an export contains (always scoped)."""

from __future__ import annotations

from django.db.models import QuerySet

from hamkke.accounts.actor import Actor
from hamkke.api.selectors import households_for_actor
from hamkke.people.models import Household, Person
from hamkke.people.selectors import households_in_scope

from .models import ImportedKey, ImportJob


def import_jobs_for_actor(*, actor: Actor) -> QuerySet[ImportJob]:
    """The actor's own jobs in their district, newest first (without the file contents)."""
    if actor.membership is None:
        return ImportJob.objects.none()
    return ImportJob.objects.filter(district_id=actor.district_id, user_id=actor.user.pk).order_by("-created_at")


def import_job_get_for_actor(*, actor: Actor, uuid) -> ImportJob:
    """One of the actor's jobs; the file itself is read only when needed (the page polls every second)."""
    return import_jobs_for_actor(actor=actor).defer("content").get(uuid=uuid)


def import_jobs_queued() -> QuerySet[ImportJob]:
    """For the worker (run_import_jobs): oldest first."""
    return ImportJob.objects.filter(status=ImportJob.Status.QUEUED).order_by("created_at", "id")


def households_for_export(*, actor: Actor) -> QuerySet[Household]:
    return households_for_actor(actor=actor).order_by("created_at", "id")  # members prefetched in id order


def household_keys(*, actor: Actor, household_ids) -> dict[int, str]:
    """The actor's agency's own household numbers, where the household came from one of its imports."""
    return dict(
        ImportedKey.objects.filter(
            district_id=actor.district_id,
            agency_id=actor.agency_id,
            kind=ImportJob.Kind.HOUSEHOLDS,
            household_id__in=list(household_ids),
        ).values_list("household_id", "key")
    )


def household_members_count(*, actor: Actor) -> int:
    """How many rows the households export has (one per member of each household the actor may read)."""
    return Person.objects.filter(household__in=households_in_scope(actor).values("pk")).count()
