from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.shortcuts import redirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from .actor import active_memberships
from .middleware import SESSION_KEY


@require_POST
def switch_agency(request):
    """Work in another of the user's agencies: scope and audit follow the chosen membership."""
    membership = active_memberships(request.user).filter(pk=request.POST.get("membership")).first()
    if membership is None:
        messages.error(request, _("소속 기관을 바꿀 수 없습니다."))
    else:
        request.session[SESSION_KEY] = membership.pk
        messages.success(request, _("%(agency)s 소속으로 전환했습니다.") % {"agency": membership.agency})
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        target = "cases:caseload"
    return redirect(target)


class LogoutView(auth_views.LogoutView):
    """Log out, and leave nothing of Hamkke on the device: the visit notes waiting offline
    (IndexedDB), the static cache and the service worker go with Clear-Site-Data (issue 14);
    offline.js has already emptied them, and named any unsent note, before the form was sent."""

    def post(self, request, *args, **kwargs):
        response = super().post(request, *args, **kwargs)
        response["Clear-Site-Data"] = '"cache", "storage"'
        return response
