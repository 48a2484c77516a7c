"""Reads of households and persons: a household is in reach when one of its cases is."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from hamkke.access.policy import CHANGE_CASE, VIEW_CASE, cases_in_scope
from hamkke.access.sensitive import HEALTH_AGENCY_KINDS
from hamkke.accounts.actor import Actor
from hamkke.cases.models import Case
from hamkke.core import rrn as rrn_rules

from .models import Household, Person


def households_in_scope(actor: Actor, permission: str = VIEW_CASE) -> QuerySet[Household]:
    cases = cases_in_scope(actor, permission)
    return Household.objects.filter(district_id=actor.district_id).filter(
        Exists(cases.filter(household=OuterRef("pk")))
    )


def household_get_for_actor(*, actor: Actor, uuid, permission: str = VIEW_CASE) -> Household:
    return households_in_scope(actor, permission).select_related("dong").prefetch_related("members").get(uuid=uuid)


def person_get_for_actor(*, actor: Actor, uuid, permission: str = VIEW_CASE) -> Person:
    households = households_in_scope(actor, permission)
    return (
        Person.objects.filter(district_id=actor.district_id, household__in=households)
        .select_related("household__dong")
        .get(uuid=uuid)
    )


def person_may_change(*, actor: Actor, person: Person) -> bool:
    """Whether the actor may change the person's household (complete an identity, add members)."""
    return households_in_scope(actor, CHANGE_CASE).filter(pk=person.household_id).exists()


def household_cases_for_actor(*, actor: Actor, household: Household):
    return (
        cases_in_scope(actor, VIEW_CASE)
        .filter(household=household)
        .select_related("lead_agency", "lead_worker", "case_type")
        .order_by("-opened_on")
    )


UNNAMED_AGENCY_NOTE = _("이 구의 다른 기관이 이 사람을 지원하고 있습니다. 구 통합사례관리 관리자에게 문의하세요.")
MATCH_RRN = "rrn"
MATCH_NAME_BIRTH = "name_birth"
DUPLICATE_LIMIT = 20  # a common name and birth date rarely gives more; the form shows at most this many


@dataclass(frozen=True)
class DuplicateCandidate:
    """An existing person who may be the one about to be registered (``person_duplicate_candidates``).

    In scope (the actor may open the household): ``person`` and ``cases`` (the cases the actor may
    open) are given. Out of scope: only ``lead_agencies``, the names of the agencies leading the
    household's cases, so that two agencies do not unknowingly serve one household (DOMAIN.md §6:
    the minimum) — never a name, address or RRN. A health agency (``HEALTH_AGENCY_KINDS``) is never
    named: being its client is health data; ``unnamed_agency`` says only that another agency of the
    district supports the person (ask the district case-management admin). ``person_id`` is for the
    access log only.
    """

    person_id: int
    matched_on: str  # MATCH_RRN or MATCH_NAME_BIRTH
    person: Person | None = None
    cases: tuple[Case, ...] = ()
    lead_agencies: tuple[str, ...] = ()
    unnamed_agency: bool = False

    @property
    def in_scope(self) -> bool:
        return self.person is not None

    @property
    def is_rrn_match(self) -> bool:
        return self.matched_on == MATCH_RRN

    @property
    def unnamed_agency_note(self) -> str:
        """What to say about an agency that may not be named (Korean first, in the active language)."""
        return str(UNNAMED_AGENCY_NOTE) if self.unnamed_agency else ""


def person_duplicate_candidates(
    *, actor: Actor, name: str, birth_date: datetime.date | None, rrn: str = ""
) -> list[DuplicateCandidate]:
    """Persons of the actor's district with the same name and birth date, or the same RRN (keyed hash).

    RRN matches come first. Callers show them before creating a person and write the lookup to
    the access log (the person ids, never the data).
    """
    if actor.membership is None:
        return []
    condition = Q(name=(name or "").strip(), birth_date=birth_date)
    digest = rrn_rules.rrn_hash(rrn) if rrn_rules.normalize(rrn) else ""
    if digest:
        condition |= Q(rrn_hash=digest)
    persons = list(
        Person.objects.filter(district_id=actor.district_id)
        .filter(condition)
        .select_related("household__dong")
        .order_by("id")[:DUPLICATE_LIMIT]
    )
    household_ids = {p.household_id for p in persons}
    reachable = set(households_in_scope(actor).filter(pk__in=household_ids).values_list("pk", flat=True))
    cases_by_household: dict[int, list] = {}
    for case in (
        cases_in_scope(actor, VIEW_CASE)
        .filter(household_id__in=reachable)
        .select_related("lead_agency")
        .order_by("-opened_on", "-id")
    ):
        cases_by_household.setdefault(case.household_id, []).append(case)
    leads_by_household: dict[int, list[str]] = {}
    unnamed: set[int] = set()
    for household_id, agency_name, agency_kind in (
        Case.objects.filter(district_id=actor.district_id, household_id__in=household_ids - reachable)
        .order_by("-opened_on", "-id")
        .values_list("household_id", "lead_agency__name", "lead_agency__kind")
    ):
        names = leads_by_household.setdefault(household_id, [])
        if agency_kind in HEALTH_AGENCY_KINDS:
            unnamed.add(household_id)
        elif agency_name not in names:
            names.append(agency_name)
    candidates = []
    for person in persons:
        matched_on = MATCH_RRN if digest and person.rrn_hash == digest else MATCH_NAME_BIRTH
        if person.household_id in reachable:
            candidates.append(
                DuplicateCandidate(
                    person_id=person.pk,
                    matched_on=matched_on,
                    person=person,
                    cases=tuple(cases_by_household.get(person.household_id, ())),
                )
            )
        else:
            candidates.append(
                DuplicateCandidate(
                    person_id=person.pk,
                    matched_on=matched_on,
                    lead_agencies=tuple(leads_by_household.get(person.household_id, ())),
                    unnamed_agency=person.household_id in unnamed,
                )
            )
    return sorted(candidates, key=lambda c: not c.is_rrn_match)
