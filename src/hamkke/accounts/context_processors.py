from .actor import active_memberships


def actor(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"actor": request.actor, "my_memberships": active_memberships(user)}
