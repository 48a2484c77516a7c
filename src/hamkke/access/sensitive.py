"""Sensitive data (민감정보: health and mental health, DOMAIN.md §6): what it is, and the read-layer filter.

Who may read a case's health data is an access rule like any other: ``policy.VIEW_SENSITIVE`` in
``policy.RULES`` (the lead agency and the district case-management admin under the legal basis of
the case work; a worker on emergency access; a participating agency only while a consent in force
covering it has the separate sensitive-data item ticked).

What counts as sensitive is declared here, once per model (``SENSITIVE``):
- ``rows``: records that are health data as a whole (needs, strengths and services in a health life
  domain; crisis assessments that found a mental-health risk; contact records the worker marked as
  sensitive) are left out for a reader without ``VIEW_SENSITIVE`` on their case;
- ``fields``: free text that may tell health details whatever the record is about (what the person
  said at the initial consultation, the worker's observations; a case story told from the whole
  timeline) is withheld — emptied, with ``sensitive_withheld`` set — for such a reader; the rest of
  the record (date, place, who took part) stays.

The selectors that return these records apply ``visible_rows`` / ``withhold_fields`` with the reader
(``assessment.selectors``, ``records.selectors``, ``api.selectors``, ``reports.selectors``), so a page,
an API answer, an export, the timeline or the access-request export cannot forget the rule. The
condition is one SQL subquery per query: a list of a thousand cases costs what one case costs.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import BooleanField, Exists, OuterRef, Q, QuerySet, Value

from hamkke.access.policy import VIEW_SENSITIVE, can, cases_in_scope, grounds
from hamkke.accounts.actor import Actor
from hamkke.core.domains import LifeDomain
from hamkke.districts.models import Agency

HEALTH_DOMAINS = (LifeDomain.MENTAL_HEALTH, LifeDomain.PHYSICAL_HEALTH)
# Being a client of these agencies is itself health data (issue 11 finding 7): a mental-health centre,
# and "other" (hospitals among them). Their name is never given as the lead agency of a person the
# reader cannot open (the duplicate check says "another agency of the district" instead).
HEALTH_AGENCY_KINDS = frozenset({Agency.Kind.MENTAL_HEALTH_CENTRE, Agency.Kind.OTHER})


@dataclass(frozen=True)
class Sensitive:
    rows: Q | None = None  # records that are health data as a whole: left out
    fields: tuple[str, ...] = ()  # free text that may hold health details: withheld on every record
    case_path: str = "case"  # the foreign key (path) from the record to its case


# model label -> what of it is sensitive.
SENSITIVE: dict[str, Sensitive] = {
    "assessment.need": Sensitive(rows=Q(domain__in=HEALTH_DOMAINS)),
    "assessment.strength": Sensitive(rows=Q(domain__in=HEALTH_DOMAINS)),
    "assessment.crisisassessment": Sensitive(rows=Q(mental_health_risk=True)),
    # the health areas' ratings of a crisis assessment (its form, issue 17 §4)
    "assessment.crisisrating": Sensitive(rows=Q(area__in=("health", "mental_health")), case_path="assessment__case"),
    "assessment.initialconsultation": Sensitive(fields=("presenting_issues", "worker_observations")),
    # a plan's goals for a health need, and actions under them or drawing on a health strength
    "plans.goal": Sensitive(rows=Q(need__domain__in=HEALTH_DOMAINS), case_path="plan__case"),
    "plans.planaction": Sensitive(
        rows=Q(goal__need__domain__in=HEALTH_DOMAINS) | Q(strength__domain__in=HEALTH_DOMAINS),
        case_path="goal__plan__case",
    ),
    "records.servicerecord": Sensitive(rows=Q(domain__in=HEALTH_DOMAINS)),
    "records.contactrecord": Sensitive(rows=Q(sensitive=True)),
    # told from the whole timeline (consultations, needs, contacts, services): health details included
    "reports.casestory": Sensitive(fields=("text",)),
}


def may_see_sensitive(actor: Actor, case) -> bool:
    """Whether ``actor`` reads the health data of ``case`` (for the "민감정보 … 표시하지 않습니다" notice)."""
    return can(actor, VIEW_SENSITIVE, case)


def _spec(qs: QuerySet) -> Sensitive | None:
    return SENSITIVE.get(qs.model._meta.label_lower)


def _may_read_case(actor: Actor, spec: Sensitive) -> Exists | Value:
    """An expression on a record: the actor may read the health data of the record's case."""
    if not grounds(actor, VIEW_SENSITIVE):
        return Value(False, output_field=BooleanField())
    return Exists(cases_in_scope(actor, VIEW_SENSITIVE).filter(pk=OuterRef(spec.case_path)))


def visible_rows(qs: QuerySet, *, actor: Actor, case=None) -> QuerySet:
    """``qs`` as ``actor`` may read it: records that are health data only of cases where the actor
    holds ``VIEW_SENSITIVE``. Still a queryset (filter, order, paginate, count as before).

    ``case``: ``qs`` holds records of this one case only (a case tab). The subquery then asks about
    that case alone — an index probe — instead of the actor's whole scope, which PostgreSQL builds by
    scanning every case of the district (27 ms for each count and list of a tab at metro size)."""
    spec = _spec(qs)
    if spec is None or spec.rows is None:
        return qs
    if not grounds(actor, VIEW_SENSITIVE):
        return qs.exclude(spec.rows)
    readable = cases_in_scope(actor, VIEW_SENSITIVE)
    if case is not None:
        readable = readable.filter(pk=case.pk)
    return qs.filter(~spec.rows | Q(**{f"{spec.case_path}__in": readable.values("pk")}))


def withhold_fields(qs: QuerySet, *, actor: Actor) -> list:
    """The records of ``qs`` (evaluated, one query) with the declared sensitive free text emptied on
    those of cases where the actor lacks ``VIEW_SENSITIVE``; ``sensitive_withheld`` tells which.

    A list, not a queryset: a later ``.values()`` could otherwise read the text past the rule. The
    records are for reading; a service never saves them (edits load their own copy).
    """
    spec = _spec(qs)
    fields = spec.fields if spec is not None else ()
    records = list(qs.annotate(sensitive_readable=_may_read_case(actor, spec)) if spec is not None and fields else qs)
    for record in records:
        record.sensitive_withheld = bool(fields) and not record.sensitive_readable
        if record.sensitive_withheld:
            for name in fields:
                setattr(record, name, "")
    return records
