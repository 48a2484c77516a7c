"""The form renderer draws ``<select>`` in Python: the markup must be Django's, byte for byte."""

from django import forms
from django.forms.renderers import DjangoTemplates, get_default_renderer
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from hamkke.cases.forms import CaseloadFilterForm
from hamkke.core.renderers import FormRenderer

CHOICES = [("", _("전체")), ("a&b", '기관 <하나> & "둘"'), ("7", mark_safe("<b>굵게</b>")), ("x", _("내 사례"))]


class Everything(forms.Form):
    plain = forms.ChoiceField(choices=CHOICES, required=False)
    grouped = forms.MultipleChoiceField(
        choices=[("무리 <1>", CHOICES[1:3]), ("x", "하나"), (_("단계"), [("y", "둘")])], required=False
    )
    attrs = forms.ChoiceField(
        choices=CHOICES, required=False, widget=forms.Select(attrs={"class": 'a"b', "disabled": True, "hx-x": False})
    )
    number_label = forms.ChoiceField(choices=[(1, 1000), (2, "둘")], required=False)
    yes_no = forms.NullBooleanField(required=False)
    radios = forms.ChoiceField(choices=CHOICES, required=False, widget=forms.RadioSelect)


def _rendered(form_class, data, renderer) -> dict[str, str]:
    form = form_class(data, renderer=renderer)
    return {name: str(form[name]) for name in form.fields}


def test_the_project_uses_it():
    assert isinstance(get_default_renderer(), FormRenderer)


def test_selects_are_drawn_as_django_draws_them():
    for data in (
        None,
        {},
        {"plain": "a&b", "grouped": ["7", "y"], "attrs": "x", "number_label": "1", "yes_no": "true"},
    ):
        ours = _rendered(Everything, data, FormRenderer())
        django = _rendered(Everything, data, DjangoTemplates())
        assert ours == django
    assert "&lt;하나&gt; &amp; &quot;둘&quot;" in ours["plain"]
    assert "<b>굵게</b>" in ours["plain"]


def test_a_model_choice_select_is_drawn_as_django_draws_it(db):
    from hamkke.districts.models import District, Dong

    district = District.objects.create(name="시험구", code="T99")
    for name in ("가동", "나<동>"):
        Dong.objects.create(district=district, name=name)
    data = {"dong": str(Dong.objects.get(name="가동").pk), "stage": "every"}
    for given in (None, data):
        ours = CaseloadFilterForm(given, district_id=district.pk, renderer=FormRenderer())
        django = CaseloadFilterForm(given, district_id=district.pk, renderer=DjangoTemplates())
        assert [str(f) for f in ours] == [str(f) for f in django]
