"""Finding a case (issue 13 §3): the header's search box.

What is typed is read by the person search's parser (``people.search.parse_query`` with ``for_cases``):
a case number (``00E0385D``, ``사례 00e0385d``), a name or part of one, initial consonants (초성), a
part of the household's address or its dong (``신당동``, ``다산로 12``), a phone tail or a birth date.

Only cases the actor may read are searched (``cases_in_scope``, the CaseAccess table every list uses):
a case outside the scope is never found, not even by its exact number. A case number in scope is the
answer by itself (the view opens the case); otherwise the other criteria are searched, where eight
digits that are also a date count as a birth date.

Constant queries: the case number (when typed), the matching persons (at most ``CANDIDATES``), the
cases of their households (at most ``limit`` + 1) with their members.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field, replace

from django.db.models import QuerySet

from hamkke.access.policy import VIEW_CASE, cases_in_scope, grounds
from hamkke.accounts.actor import Actor
from hamkke.people.models import Person
from hamkke.people.search import CANDIDATES, SEARCH_LIMIT, PersonQuery, matching

from .models import Case
from .selectors import _with_household


@dataclass(frozen=True)
class CaseSearchResult:
    cases: list[Case]
    truncated: bool = False  # more cases matched than are shown: the worker should narrow the search
    exact: Case | None = None  # the case whose number was typed (the view opens it)
    # household id -> the members who matched when the head shown for the case did not (a child's name)
    matched: dict[int, list[Person]] = field(default_factory=dict)

    @property
    def rows(self) -> list[tuple[Case, list[Person]]]:
        """Each case shown with the members who matched when its head did not."""
        return [(case, self.matched.get(case.household_id, [])) for case in self.cases]

    @property
    def person_ids(self) -> list[int]:
        """The persons the results page shows: each case's head and the members who matched."""
        heads = [case.household.head.pk for case in self.cases if case.household.head]
        return heads + [p.pk for persons in self.matched.values() for p in persons]


def case_search_available(actor: Actor) -> bool:
    """Whether the actor may read any case at all (the header shows the search box only then)."""
    return bool(grounds(actor, VIEW_CASE))


def _reference_range(reference: str) -> tuple[uuid.UUID, uuid.UUID]:
    """``Case.reference`` is the first 8 hex digits of the uuid: the range of uuids starting with them
    (one range read of the uuid's unique index, on PostgreSQL and SQLite alike)."""
    prefix = reference.lower()
    return uuid.UUID(prefix + "0" * 24), uuid.UUID(prefix + "f" * 24)


def case_search(*, actor: Actor, query: PersonQuery, limit: int = SEARCH_LIMIT) -> CaseSearchResult:
    """The cases the actor may read that match ``query``, newest first: at most ``limit`` of them."""
    scope = cases_in_scope(actor, VIEW_CASE).filter(district_id=actor.district_id)
    if query.case_number:
        numbered = list(_with_household(scope.filter(uuid__range=_reference_range(query.case_number)))[:limit])
        if len(numbered) == 1:
            return CaseSearchResult(cases=numbered, exact=numbered[0])
        if numbered:  # two cases share the 8 digits (rare, but 32 bits): the worker chooses
            return CaseSearchResult(cases=numbered)
        if query.birth_date is None:  # only a case number, and none in scope has it
            return CaseSearchResult(cases=[])
        query = replace(query, case_number="")  # eight digits that are also a date: a birth date
    if not query.has_person_criteria:
        return CaseSearchResult(cases=[])
    return _cases_of_matching_persons(actor=actor, scope=scope, query=query, limit=limit)


def _cases_of_matching_persons(
    *, actor: Actor, scope: QuerySet[Case], query: PersonQuery, limit: int
) -> CaseSearchResult:
    """Persons of households in scope matching ``query`` (their names, or their household's address),
    then the cases of those households. The persons first, unordered and bounded like the person
    search, so that PostgreSQL can match through the search indexes and stop early."""
    persons = Person.objects.filter(district_id=actor.district_id, household_id__in=scope.values("household_id"))
    found = list(
        matching(persons, query, district_id=actor.district_id).values_list("pk", "household_id")[: CANDIDATES + 1]
    )
    households = {household_id for _pk, household_id in found[:CANDIDATES]}
    rows = list(_with_household(scope.filter(household_id__in=households)).order_by("-opened_on", "-id")[: limit + 1])
    shown = rows[:limit]
    matched_ids = {pk for pk, _household in found[:CANDIDATES]}
    matched: dict[int, list[Person]] = {}
    for case in shown:
        head = case.household.head
        if head is not None and head.pk not in matched_ids:
            matched[case.household_id] = [p for p in case.household.members.all() if p.pk in matched_ids]
    return CaseSearchResult(cases=shown, truncated=len(rows) > limit or len(found) > CANDIDATES, matched=matched)
