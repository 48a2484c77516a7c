"""The actor: who is acting, in which agency and role. Every selector and service takes one."""

from __future__ import annotations

from dataclasses import dataclass

from .models import Membership, Role, User

NO_ID = 0  # database ids start at 1


@dataclass(frozen=True)
class Actor:
    user: User
    membership: Membership | None

    # Without a membership the ids are NO_ID, which no row has: a query filtered on them finds nothing
    # (fails closed, like None did) and the type stays ``int`` for every selector and service.
    @property
    def district_id(self) -> int:
        return self.membership.district_id if self.membership else NO_ID

    @property
    def agency_id(self) -> int:
        return self.membership.agency_id if self.membership else NO_ID

    @property
    def role(self) -> str | None:
        return self.membership.role if self.membership else None

    @property
    def is_district_admin(self) -> bool:
        return self.role == Role.DISTRICT_ADMIN

    @property
    def is_auditor(self) -> bool:
        return self.role == Role.AUDITOR


def active_memberships(user: User):
    return (
        Membership.objects.filter(user=user, is_active=True, agency__is_active=True)
        .select_related("agency", "district")
        .order_by("agency__name")
    )


def actor_for(user: User, membership_id: int | None = None) -> Actor:
    """The actor for a user in the chosen membership (or their first one)."""
    if not user.is_authenticated:
        return Actor(user=user, membership=None)
    memberships = list(active_memberships(user))
    chosen = next((m for m in memberships if m.id == membership_id), None)
    return Actor(user=user, membership=chosen or (memberships[0] if memberships else None))
