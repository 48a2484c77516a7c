"""Resource directory views: thin — parse input, call one selector or service, render."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from hamkke.access.policy import EDIT_ANY_RESOURCE, may
from hamkke.core.forms import apply_service_errors
from hamkke.core.views import scoped_or_404

from . import selectors, services
from .forms import ResourceFilterForm, ResourceForm

PAGE_SIZE = 25


def resource_list(request):
    actor = request.actor
    if not services.can_read_resources(actor):
        raise PermissionDenied
    form = ResourceFilterForm(request.GET or None, district_id=actor.district_id)
    page = Paginator(selectors.resource_list(actor=actor, **form.selector_kwargs()), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    context = {
        "form": form,
        "page": page,
        "resources": list(page.object_list),
        "can_add": services.can_add_resource(actor),
        "can_edit_all": may(actor, EDIT_ANY_RESOURCE),
    }
    template = "resources/_resource_table.html" if request.htmx else "resources/list.html"
    return render(request, template, context)


@require_http_methods(["GET", "POST"])
def resource_add(request):
    actor = request.actor
    if not services.can_add_resource(actor):
        raise PermissionDenied
    form = ResourceForm(request.POST or None, district_id=actor.district_id)
    if request.method == "POST" and form.is_valid():
        try:
            resource = services.resource_create(actor=actor, request=request, **form.cleaned_data)
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("‘%(name)s’ 자원을 등록했습니다.") % {"name": resource.name})
            return redirect("resources:list")
    return render(request, "resources/form.html", {"form": form})


@require_http_methods(["GET", "POST"])
def resource_edit(request, uuid):
    actor = request.actor
    resource = scoped_or_404(request, selectors.resource_get_for_actor, object_type="resource", uuid=uuid)
    if not services.can_edit_resource(actor, resource):
        raise PermissionDenied
    form = ResourceForm(request.POST or None, district_id=actor.district_id, initial=ResourceForm.initial_for(resource))
    if request.method == "POST" and form.is_valid():
        try:
            services.resource_update(actor=actor, resource=resource, request=request, **form.cleaned_data)
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("‘%(name)s’ 자원을 수정했습니다.") % {"name": resource.name})
            return redirect("resources:list")
    return render(request, "resources/form.html", {"form": form, "resource": resource})
