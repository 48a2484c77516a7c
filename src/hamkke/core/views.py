"""Shared view helpers and the error pages (Korean, never a stack trace)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ObjectDoesNotExist, RequestDataTooBig
from django.http import Http404, HttpResponseServerError
from django.shortcuts import redirect, render
from django.template import loader
from django.template.loader import render_to_string

from hamkke.audit.services import audit_denied

from .widgets import MAX_OPTIONS, MIN_CHARS


def scoped_or_404(request, getter, *, object_type: str, uuid, **kwargs):
    """Fetch an object through a scoped selector; outside the scope -> audited 404.

    404 rather than 403: another agency's case id must not even confirm that the case exists.
    """
    try:
        return getter(actor=request.actor, uuid=uuid, **kwargs)
    except ObjectDoesNotExist:
        audit_denied(actor=request.actor, request=request, object_type=object_type, object_id=str(uuid))
        raise Http404 from None


def render_with_messages(request, template_name: str, context: dict):
    """An htmx answer to a write: the part of the page it swaps and, out of band, the page's one
    message area (templates/_messages.html) with what the write did.

    A section swapped with a "saved" note of its own left the message of the previous page standing
    above it, so the same words were shown twice (issue 13 item 8); one place for messages, whether
    the page was redrawn or only a part of it."""
    response = render(request, template_name, context)
    response.write(render_to_string("_messages.html", {"oob": True}, request=request))
    return response


def picker_options(request, search):
    """The options of a searchable picker (core.widgets.Picker) for ``?q=``.

    ``search(q, limit)`` is a scoped selector's search returning ``(key, label)`` pairs; below
    ``MIN_CHARS`` characters nothing is searched (two Hangul syllables already narrow a district).
    """
    query = (request.GET.get("q") or "").strip()[:100]
    context = {"min_chars": MIN_CHARS, "too_short": len(query) < MIN_CHARS, "options": [], "more": False}
    if not context["too_short"]:
        options = list(search(query, MAX_OPTIONS + 1))
        context["options"], context["more"] = options[:MAX_OPTIONS], len(options) > MAX_OPTIONS
    return render(request, "widgets/picker_options.html", context)


def _error(request, status: int, template: str):
    return render(request, f"errors/{template}", status=status)


@login_not_required
def bad_request(request, exception=None):
    # A body over DATA_UPLOAD_MAX_MEMORY_SIZE is not read at all: say so, and that going back keeps it.
    too_big = isinstance(exception, RequestDataTooBig)
    return render(request, "errors/400.html", {"too_big": too_big}, status=400)


@login_not_required
def permission_denied(request, exception=None):
    return _error(request, 403, "403.html")


@login_not_required
def page_not_found(request, exception=None):
    return _error(request, 404, "404.html")


@login_not_required
def server_error(request):
    # Rendered without the request: context processors touch the database, which may be what failed.
    return HttpResponseServerError(loader.get_template("errors/500.html").render({}))


def home(request):
    """Each role starts where its work is: auditors at the access log, everyone else at their cases."""
    return redirect("audit:log" if request.actor.is_auditor else "cases:caseload")
