"""Personal data declared on the models (hamkke.core.personal) and what is built from it."""

import pytest
from django.apps import apps
from django.db import models
from django.test.utils import isolate_apps

from hamkke.core import personal
from hamkke.people import privacy


def test_every_text_field_of_every_model_says_whether_it_is_personal():
    assert personal.undeclared_text_fields() == []


@isolate_apps("hamkke.core")
def test_a_new_text_field_that_declares_nothing_is_reported():
    class Visit(models.Model):
        code = models.CharField(max_length=5, choices=[("a", "A")])  # a code: nothing to declare
        note = models.TextField()

        class Meta:
            app_label = "core"

    assert personal.undeclared_text_fields([Visit]) == ["core.Visit.note: not declared"]
    personal.personal_data(case_path="case", client_texts=("note",), not_personal=("note", "gone"))(Visit)
    try:
        assert personal.undeclared_text_fields([Visit]) == [
            "core.Visit.note: declared as client_texts, not_personal",
            "core.Visit.gone: declared but not a text field",
        ]
    finally:
        del personal.REGISTRY["core.Visit"]


@pytest.mark.parametrize(("label", "path", "fields"), personal.case_texts())
def test_every_declared_case_text_is_reached_by_anonymisation(label, path, fields, db):
    """The path to the case and the fields resolve, on the model and on its change history."""
    model = apps.get_model(label)
    list(model.objects.filter(**{f"{path}__in": []}).values(*fields))
    if hasattr(model, "history"):
        history_path = "id" if path == "pk" else path
        list(model.history.model.objects.filter(**{f"{history_path}__in": []}).values(*fields))


def test_anonymisation_gives_every_declared_identity_field_a_value(world):
    assert set(personal.declaration("people.Person").client_identity) <= set(
        privacy.anonymous_person_values(world.head)
    )
    assert set(personal.declaration("people.Household").client_identity) <= set(
        privacy.anonymous_household_values(world.household)
    )
