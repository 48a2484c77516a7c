"""Every form says what to enter (issue 13 item 8): no "이 필드는 필수 항목입니다." anywhere.

Generated over the forms of the code base: a new form that does not derive from core.forms.Form
(or ModelForm), or whose required field would still get Django's generic words, fails here.
"""

import importlib
import pkgutil

import pytest
from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone, translation

import hamkke
from hamkke.cases.forms import StageChangeForm
from hamkke.core.forms import Form, SaysWhatToEnter
from hamkke.core.words import bare_label, object_particle
from hamkke.people.forms import PersonForm

GENERIC = ("이 필드는 필수 항목입니다", "This field is required")


def _modules_with_forms():
    for module in pkgutil.walk_packages(hamkke.__path__, "hamkke."):
        last = module.name.rsplit(".", 1)[-1]
        if ".tests" not in module.name and ".e2e" not in module.name and last.endswith(("forms", "views")):
            importlib.import_module(module.name)


def _subclasses(cls):
    for sub in cls.__subclasses__():
        yield sub
        yield from _subclasses(sub)


_modules_with_forms()
FORMS = sorted(
    {
        cls
        for cls in _subclasses(forms.BaseForm)
        if cls.__module__.startswith("hamkke.") and cls.__module__ != "hamkke.core.forms"
    },
    key=lambda cls: f"{cls.__module__}.{cls.__qualname__}",
)


def test_the_forms_were_found():
    names = {cls.__name__ for cls in FORMS}
    assert {"CaseRegisterForm", "ContactRecordForm", "NeedForm", "ConsentForm", "ActionForm"} <= names
    assert len(FORMS) > 40


@pytest.mark.parametrize("form_class", FORMS, ids=lambda cls: f"{cls.__module__[7:]}.{cls.__name__}")
def test_every_form_says_what_to_enter(form_class):
    assert issubclass(form_class, SaysWhatToEnter), "derive from hamkke.core.forms.Form (or ModelForm)"
    # The declared fields, as a bound form with nothing filled in would check them.
    form = form_class.__new__(form_class)
    forms.BaseForm.__init__(form, data={})
    form.say_what_to_enter()
    for name, field in form.fields.items():
        if not field.required or isinstance(field.widget, forms.HiddenInput):
            continue
        with pytest.raises(ValidationError) as caught:
            field.clean("")
        text = " ".join(caught.value.messages)
        assert not any(generic in text for generic in GENERIC), f"{name}: {text}"
        assert text.strip(), name


def test_a_drawn_form_shows_what_to_enter():
    form = StageChangeForm(data={}, current_stage="identification")
    assert form.errors["to_stage"] == ["다음 단계를 고르세요"]
    form = PersonForm(data={"relation": ""})
    assert form.errors["relation"] == ["세대주와의 관계를 고르세요"]


def test_a_date_says_what_to_enter_with_an_example():
    class VisitDay(Form):
        day = forms.DateField(label="방문일")
        when = forms.DateTimeField(label="일시")

    today = timezone.localdate().isoformat()
    form = VisitDay(data={"when": "어제 저녁"})
    assert form.errors["day"] == [f"방문일을 입력하세요 (예: {today})"]
    assert form.errors["when"] == [f"올바른 일시가 아닙니다 — 연-월-일 시:분으로 입력하세요 (예: {today} 14:30)"]


def test_the_words_follow_the_language():
    with translation.override("en"):
        form = StageChangeForm(data={}, current_stage="identification")
        assert form.errors["to_stage"] == ["Please choose: Next stage"]


@pytest.mark.parametrize(
    "label, particle",
    [
        ("생년월일", "을"),
        ("주소", "를"),
        ("표현하는 욕구(당사자의 말)", "를"),
        ("점검 주기(일)", "를"),
        ("API", "을(를)"),
    ],
)
def test_the_particle_follows_the_last_syllable(label, particle):
    assert object_particle(bare_label(label)) == particle
