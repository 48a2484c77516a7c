"""Issue 13 item 8: 오늘/어제 instead of '0일 전' and '0일째', on every page that counts days."""

import pytest
from django.utils import translation

from hamkke.core.words import days_ago, days_running


@pytest.mark.parametrize(
    "days, ago, running",
    [(0, "오늘", "오늘부터"), (1, "어제", "어제부터"), (2, "2일 전", "2일째"), (30, "30일 전", "30일째")],
)
def test_days_are_said_as_people_say_them(days, ago, running):
    with translation.override("ko"):
        assert (days_ago(days), days_running(days)) == (ago, running)


def test_the_pages_use_the_rule_not_a_zero():
    from pathlib import Path

    from django.conf import settings

    templates = Path(settings.PACKAGE_DIR) / "templates"
    offenders = [
        str(path.relative_to(templates))
        for path in templates.rglob("*.html")
        if "}}일 전" in path.read_text(encoding="utf-8") or "}}일째{%" in path.read_text(encoding="utf-8")
    ]
    assert offenders == []


def _forms():
    import importlib
    import inspect
    import pkgutil

    from django import forms

    import hamkke

    for info in pkgutil.walk_packages(hamkke.__path__, "hamkke."):
        if info.name.endswith("forms") and ".tests" not in info.name:
            module = importlib.import_module(info.name)
            for _name, cls in inspect.getmembers(module, inspect.isclass):
                if issubclass(cls, forms.BaseForm) and cls.__module__ == module.__name__:
                    yield cls


def test_no_dashes_placeholder_in_any_form():
    """Issue 13 item 8: Django's '---------' says nothing; every empty choice says what to do."""
    from django import forms

    offenders = []
    for cls in _forms():
        for name, field in cls.base_fields.items():
            if isinstance(field, forms.ModelChoiceField) and field.empty_label == "---------":
                offenders.append(f"{cls.__module__}.{cls.__name__}.{name}")
            elif isinstance(field, forms.ChoiceField) and not isinstance(field, forms.ModelChoiceField):
                if any(str(label) == "---------" for _value, label in field.choices):
                    offenders.append(f"{cls.__module__}.{cls.__name__}.{name}")
    assert offenders == []
