"""Factories for the surroundings of resource and plan tests: resources, needs and strengths.

Needs and strengths are written directly (the assessment services are someone else's): a
"selected agreed need" is status SELECTED with an agreed text.
"""

from __future__ import annotations

import factory

from hamkke.assessment.models import Need, Strength
from hamkke.core.domains import LifeDomain
from hamkke.resources.models import Resource


class ResourceFactory(factory.django.DjangoModelFactory):
    """A formal, ordinary, active employment programme serving the whole district. Pass ``agency``."""

    class Meta:
        model = Resource
        skip_postgeneration_save = True

    class Params:
        agency = None

    district = factory.SelfAttribute("added_by_agency.district")
    name = factory.Sequence(lambda n: f"자원{n:03d}")
    kind = Resource.Kind.FORMAL
    type = Resource.Type.PROGRAMME
    domain = LifeDomain.EMPLOYMENT
    added_by_agency = factory.LazyAttribute(lambda o: o.agency)
    added_by = factory.LazyAttribute(lambda o: o.agency.memberships.first().user)

    @factory.post_generation
    def dongs(self, create, extracted, **kwargs):
        if create and extracted:
            self.dongs.set(extracted)


class NeedFactory(factory.django.DjangoModelFactory):
    """A selected, agreed need of ``case`` (employment)."""

    class Meta:
        model = Need

    district = factory.SelfAttribute("case.district")
    domain = LifeDomain.EMPLOYMENT
    expressed_text = "일하고 싶어요"
    felt_text = "쓸모 있는 사람이고 싶다"
    agreed_text = "바리스타로 일해 본다"
    status = Need.Status.SELECTED
    recorded_by = factory.SelfAttribute("case.lead_worker")


class StrengthFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Strength

    district = factory.SelfAttribute("case.district")
    side = Strength.Side.INNER
    kind = Strength.Kind.EXPERIENCE
    description = factory.Sequence(lambda n: f"강점{n:03d}")
    recorded_by = factory.SelfAttribute("case.lead_worker")
