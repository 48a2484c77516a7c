"""Access as data (issue 15 §1): the rows of ``CaseAccess``, derived from the sources of access.

``policy.RULES`` says on which grounds a role reaches a case. Three of those grounds depend on rows
that change (the lead agency, the team and its consents, emergency accesses); this module writes
them down per case, with their validity, so that ``policy.case_scope`` is one index range join on
``CaseAccess`` instead of an OR of correlated EXISTS that no index serves (bench/RESULTS.md):

- ``lead_agency``: (case, lead agency), always valid;
- ``consent``: (case, participating agency not left, a consent covering it), valid from the day the
  consent was given until the day after it expires or the day it was withdrawn, whichever is first
  (``Consent.valid_on_q`` as a half-open interval of Seoul days); ``sensitive`` copies the consent's
  separate sensitive-data item;
- ``emergency``: (case, user) until the emergency access expires.

Expiry needs no job: validity is compared with the time of the query. The rows of a case are
recomputed as a whole from its sources (``refresh_cases``) whenever a source row changes; the model
signals in ``access.signals`` call it for every writer (services, imports, admin, anonymisation),
and set-based loaders (the synthetic district, the data migration) call ``rebuild``. Recomputing the
whole case instead of patching one row is what keeps it simple enough to trust: a case has a handful
of participants, consents and emergency accesses.

``registry`` is the app registry to read models from: the migration that fills the table for existing
rows passes its historical one.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable

from django.apps import apps as global_apps
from django.db import models, transaction
from django.utils import timezone

CHUNK = 2000


def day_start(day: datetime.date) -> datetime.datetime:
    """The first moment of ``day`` in the district's time (settings.TIME_ZONE: Asia/Seoul)."""
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def consent_window(
    given_on: datetime.date, expires_on: datetime.date | None, withdrawn_on: datetime.date | None
) -> tuple[datetime.datetime, datetime.datetime | None] | None:
    """The half-open interval of moments on whose day the consent is in force (``valid_on_q``):
    given on or before the day, not expired before it (``expires_on`` is the last valid day), not
    withdrawn on or before it. None when there is no such day."""
    ends = []
    if expires_on is not None:
        ends.append(day_start(expires_on + datetime.timedelta(days=1)))
    if withdrawn_on is not None:
        ends.append(day_start(withdrawn_on))
    start = day_start(given_on)
    until = min(ends) if ends else None
    if until is not None and until <= start:
        return None
    return start, until


def rows_for_cases(case_ids: Iterable[int], registry=global_apps) -> list:
    """The ``CaseAccess`` rows (unsaved) of these cases, computed from their sources."""
    Case = registry.get_model("cases", "Case")
    CaseParticipant = registry.get_model("cases", "CaseParticipant")
    Consent = registry.get_model("consents", "Consent")
    EmergencyAccess = registry.get_model("access", "EmergencyAccess")
    CaseAccess = registry.get_model("access", "CaseAccess")
    ids = list(case_ids)
    cases = list(Case.objects.filter(pk__in=ids).values_list("pk", "district_id", "lead_agency_id"))
    district_of = {pk: district_id for pk, district_id, _lead in cases}
    team: dict[int, set[int]] = defaultdict(set)
    for case_id, agency_id in CaseParticipant.objects.filter(case_id__in=ids, left_on__isnull=True).values_list(
        "case_id", "agency_id"
    ):
        team[case_id].add(agency_id)
    consents = list(
        Consent.objects.filter(
            case_id__in=[pk for pk in district_of if team[pk]], required_collection=True
        ).values_list(
            "pk", "case_id", "share_with_district_network", "sensitive_data", "given_on", "expires_on", "withdrawn_on"
        )
    )
    named: dict[int, set[int]] = defaultdict(set)
    through = Consent._meta.get_field("third_party_agencies").remote_field.through
    for consent_id, agency_id in through.objects.filter(
        consent_id__in=[c[0] for c in consents if not c[2]]
    ).values_list("consent_id", "agency_id"):
        named[consent_id].add(agency_id)

    rows = [
        CaseAccess(case_id=pk, district_id=district_id, agency_id=lead, ground="lead_agency")
        for pk, district_id, lead in cases
    ]
    for consent_id, case_id, network, sensitive, given_on, expires_on, withdrawn_on in consents:
        window = consent_window(given_on, expires_on, withdrawn_on)
        if window is None:
            continue
        covered = team[case_id] if network else team[case_id] & named[consent_id]
        rows.extend(
            CaseAccess(
                case_id=case_id,
                district_id=district_of[case_id],
                agency_id=agency_id,
                ground="consent",
                sensitive=sensitive,
                valid_from=window[0],
                valid_until=window[1],
            )
            for agency_id in sorted(covered)
        )
    for case_id, agency_id, user_id, expires_at in EmergencyAccess.objects.filter(case_id__in=ids).values_list(
        "case_id", "agency_id", "user_id", "expires_at"
    ):
        rows.append(
            CaseAccess(
                case_id=case_id,
                district_id=district_of[case_id],
                agency_id=agency_id,
                user_id=user_id,
                ground="emergency",
                valid_until=expires_at,
            )
        )
    return rows


def refresh_cases(case_ids: Iterable[int], registry=global_apps) -> None:
    """Rewrite the ``CaseAccess`` rows of these cases from their sources (in the caller's transaction)."""
    CaseAccess = registry.get_model("access", "CaseAccess")
    ids = sorted(set(case_ids))
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start : start + CHUNK]
        with transaction.atomic():
            CaseAccess.objects.filter(case_id__in=chunk).delete()
            CaseAccess.objects.bulk_create(rows_for_cases(chunk, registry), batch_size=CHUNK)


def rebuild(district_id: int | None = None, registry=global_apps) -> int:
    """Rewrite the table for every case (of one district): after a set-based load or a migration."""
    Case = registry.get_model("cases", "Case")
    cases = Case.objects.all() if district_id is None else Case.objects.filter(district_id=district_id)
    ids = list(cases.order_by("pk").values_list("pk", flat=True))
    refresh_cases(ids, registry)
    return len(ids)


class AccessSourceQuerySet(models.QuerySet):
    """The queryset of a source of access (cases, teams, consents, emergency accesses).

    ``QuerySet.update`` sends no model signal; here an update that touches a field access depends on
    rewrites the affected cases' rows in the same transaction, so no writer (a service, a data fix,
    a test) can leave ``CaseAccess`` stale by writing in bulk. Set per model by ``access_source``.
    """

    case_field = "case_id"
    access_fields: frozenset[str] = frozenset()

    def update(self, **kwargs):
        if not self.access_fields & set(kwargs):
            return super().update(**kwargs)
        with transaction.atomic(using=self.db):
            case_ids = list(self.values_list(self.case_field, flat=True))
            count = super().update(**kwargs)
            refresh_cases(case_ids)
        return count


def access_source(case_field: str, *fields: str) -> models.Manager:
    """The default manager of a model that access is derived from (``fields``: those it depends on,
    with and without ``_id``)."""
    names = frozenset(fields) | frozenset(f"{name}_id" for name in fields)
    queryset = type("AccessSourceQuerySet", (AccessSourceQuerySet,), {"case_field": case_field, "access_fields": names})
    return models.Manager.from_queryset(queryset)()
