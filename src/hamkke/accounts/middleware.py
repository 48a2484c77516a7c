from django.utils.functional import SimpleLazyObject

from .actor import actor_for

SESSION_KEY = "hamkke_membership_id"


class ActorMiddleware:
    """Puts ``request.actor`` (user + the agency they are working in now) on every request."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.actor = SimpleLazyObject(lambda: actor_for(request.user, request.session.get(SESSION_KEY)))
        return self.get_response(request)
