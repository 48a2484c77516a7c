"""Who may call the API at all. What they may see and change is decided by hamkke.access.policy,
through the selectors and services every view calls (no second set of rules here)."""

from rest_framework.permissions import BasePermission


class HasMembership(BasePermission):
    """Logged in (token or session) and working in an agency: fail closed for anyone else."""

    def has_permission(self, request, view) -> bool:
        if not (request.user and request.user.is_authenticated):
            return False
        actor = getattr(request, "actor", None)
        return actor is not None and actor.membership is not None
