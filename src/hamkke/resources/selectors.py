"""Reads of the resource directory, always within the actor's district, and resource proposals.

``resource_proposals`` brings the means for an agreed need in the order practitioners consider
them (DOMAIN.md §4): the person's own inner strengths, then their relationships (outer), then
informal resources around them, then formal welfare services. Within each group the same life
domain comes first; for resources, then those serving the household's dong (or the whole
district), ordinary before special, then the name.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Case, Exists, IntegerField, OuterRef, Q, QuerySet, Value, When
from django.db.models.expressions import Combinable, NegatedExpression
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from hamkke.accounts.actor import Actor
from hamkke.assessment.models import Need, Strength
from hamkke.assessment.selectors import strengths_for_case

from .models import Resource
from .services import can_read_resources

SOURCES = ("inner", "outer", "informal", "formal")  # the order of DOMAIN.md §4


def resource_list(
    *,
    actor: Actor,
    text: str = "",
    kind: str = "",
    domain: str = "",
    dong_id: int | None = None,
    active: bool | None = True,
) -> QuerySet[Resource]:
    """The district's directory, searched by text (name, description, provider), kind, domain, dong.

    A dong filter keeps the resources serving that dong and those serving the whole district.
    ``active=None`` lists active and inactive ones.
    """
    if not can_read_resources(actor):
        return Resource.objects.none()
    qs = Resource.objects.filter(district_id=actor.district_id)
    if text := text.strip():
        qs = qs.filter(
            Q(name__icontains=text)
            | Q(description__icontains=text)
            | Q(provider__icontains=text)
            | Q(provider_agency__name__icontains=text)
        )
    if kind:
        qs = qs.filter(kind=kind)
    if domain:
        qs = qs.filter(domain=domain)
    if dong_id:
        qs = qs.filter(_serves_dong_q(dong_id))
    if active is not None:
        qs = qs.filter(is_active=active)
    return qs.select_related("provider_agency", "added_by_agency").prefetch_related("dongs").order_by("name", "id")


def resource_get_for_actor(*, actor: Actor, uuid) -> Resource:
    """One resource of the actor's district, or Resource.DoesNotExist."""
    if not can_read_resources(actor):
        raise Resource.DoesNotExist
    return (
        Resource.objects.filter(district_id=actor.district_id)
        .select_related("provider_agency", "added_by_agency")
        .prefetch_related("dongs")
        .get(uuid=uuid)
    )


def _whole_district() -> NegatedExpression[Combinable]:
    return ~Exists(Resource.dongs.through.objects.filter(resource_id=OuterRef("pk")))


def _serves_dong_q(dong_id: int) -> Q:
    served = Exists(Resource.dongs.through.objects.filter(resource_id=OuterRef("pk"), dong_id=dong_id))
    return Q(_whole_district()) | Q(served)


@dataclass(frozen=True)
class Proposal:
    """One means proposed for a need: where it comes from, what it is, and why it was proposed."""

    source: str  # "inner" | "outer" | "informal" | "formal"
    item: Strength | Resource
    same_domain: bool
    reasons: tuple[str, ...]

    @property
    def strength(self) -> Strength | None:
        return self.item if isinstance(self.item, Strength) else None

    @property
    def resource(self) -> Resource | None:
        return self.item if isinstance(self.item, Resource) else None

    @property
    def key(self) -> str:
        """A form value naming the means without a database id."""
        return f"{'strength' if self.strength else 'resource'}:{self.item.uuid}"

    @property
    def source_label(self) -> str:
        return str(SOURCE_LABELS[self.source])


SOURCE_LABELS = {
    "inner": gettext_lazy("당사자 자원 · 안쪽(경험·역량·의지)"),
    "outer": gettext_lazy("당사자 자원 · 바깥(관계)"),
    "informal": gettext_lazy("비공식 자원"),
    "formal": gettext_lazy("복지 서비스 자원(공식)"),
}


def resource_proposals(*, actor: Actor, case, need: Need) -> list[Proposal]:
    """Means for ``need`` of ``case`` in the order of DOMAIN.md §4 (see the module docstring).

    ``case`` comes from a scoped selector. Two queries whatever the size of the directory: the
    case's strengths, and the active resources of its district ranked by the database.
    """
    if need.case_id != case.pk or actor.district_id != case.district_id:
        return []
    strengths = sorted(
        strengths_for_case(actor=actor, case=case).select_related(None),
        key=lambda s: (s.domain != need.domain, s.description, s.pk),
    )
    proposals = [
        Proposal(
            source=s.side,
            item=s,
            same_domain=s.domain == need.domain,
            reasons=(_("같은 생활 영역"),) if s.domain == need.domain else (),
        )
        for side in (Strength.Side.INNER, Strength.Side.OUTER)
        for s in strengths
        if s.side == side
    ]
    dong_id = case.household.dong_id
    resources = (
        Resource.objects.filter(district_id=case.district_id, is_active=True)
        .annotate(
            kind_rank=Case(
                When(kind=Resource.Kind.INFORMAL, then=Value(0)), default=Value(1), output_field=IntegerField()
            ),
            domain_rank=Case(When(domain=need.domain, then=Value(0)), default=Value(1), output_field=IntegerField()),
            whole_district=_whole_district(),
            dong_rank=Case(When(_serves_dong_q(dong_id), then=Value(0)), default=Value(1), output_field=IntegerField()),
        )
        .select_related("provider_agency")
        .order_by("kind_rank", "domain_rank", "dong_rank", "-is_ordinary", "name", "id")
    )
    for r in resources:
        reasons = []
        if r.domain_rank == 0:
            reasons.append(_("같은 생활 영역"))
        if r.whole_district:
            reasons.append(_("시군구 전체 이용"))
        elif r.dong_rank == 0:
            reasons.append(_("가구의 행정동에서 이용"))
        if r.is_ordinary:
            reasons.append(_("평범한 자원"))
        proposals.append(Proposal(source=r.kind, item=r, same_domain=r.domain_rank == 0, reasons=tuple(reasons)))
    return proposals
