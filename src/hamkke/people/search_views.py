"""The person search page (issue 6). The query travels in a POST body, never in the URL.

Names and birth dates typed into a search are personal data: in a query string they would land
in the access log's ``path``, the web server's logs, proxies and the browser history. A POST keeps
them out of all of these; the page is still a read (no redirect after it).
"""

from django import forms
from django.core.exceptions import ValidationError
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from hamkke.audit.models import Action
from hamkke.audit.services import audit_record
from hamkke.core.forms import Form

from . import search


class PersonSearchForm(Form):
    for_cases = False  # the case search reads the same query its own way (hamkke.cases.search)

    q = forms.CharField(
        label=gettext_lazy("검색어"),
        max_length=search.MAX_QUERY_LENGTH,
        help_text=gettext_lazy(
            "이름이나 이름 일부, 초성(예: ㄱㅁㅅ), 생년월일(예: 1958-03-15), 전화번호 끝 4자리를 "
            "띄어 써서 함께 입력할 수 있습니다."
        ),
        widget=forms.TextInput(attrs={"autocomplete": "off", "autofocus": True, "placeholder": "김민수 1958-03-15"}),
    )

    def clean_q(self):
        try:
            self.cleaned_data["query"] = search.parse_query(self.cleaned_data["q"], for_cases=self.for_cases)
        except ValidationError as error:
            raise ValidationError(error.message_dict["q"]) from None
        return self.cleaned_data["q"]


@require_http_methods(["GET", "POST"])
def person_search_view(request):
    actor = request.actor
    form = PersonSearchForm(request.POST or None)
    result = None
    if request.method == "POST" and form.is_valid():
        result = search.person_search(actor=actor, query=form.cleaned_data["query"])
        audit_record(
            actor=actor,
            action=Action.LIST,
            object_type="person",
            person_ids=result.person_ids,
            request=request,
            detail=_("당사자 검색: %(n)s명") % {"n": len(result.persons)},
        )
    return render(request, "people/search.html", {"form": form, "result": result, "limit": search.SEARCH_LIMIT})
