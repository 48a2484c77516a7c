"""Reads of export jobs: a job is its requester's own (in the district they requested it in)."""

from __future__ import annotations

from django.db.models import QuerySet

from hamkke.accounts.actor import Actor

from .models import ExportJob


def export_jobs_for_actor(*, actor: Actor) -> QuerySet[ExportJob]:
    if actor.membership is None:
        return ExportJob.objects.none()
    return ExportJob.objects.filter(district_id=actor.district_id, requested_by_id=actor.user.pk)


def export_job_get_for_actor(*, actor: Actor, uuid) -> ExportJob:
    return export_jobs_for_actor(actor=actor).get(uuid=uuid)
