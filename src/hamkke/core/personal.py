"""Personal data, declared where the field is.

Every text field of a Hamkke model (``CharField`` or ``TextField`` without choices: a field with
choices holds a code, not words) says what it holds, with a decorator on its model class::

    @personal_data(case_path="case", client_texts=("note",), not_personal=("code",))
    class Thing(models.Model): ...

- ``client_texts``: free text about the people served (notes, needs in their words, reasons). When a
  case passes the retention period these are replaced in the live rows and in their change history
  (``people.privacy``), through ``case_path`` (the lookup from the model to its case; ``"pk"`` for the
  case itself; ``None`` for rows that belong to several cases, handled by name in ``people.privacy``).
  The access-request export shows them, with every non-text fact of the row, for every model that
  has a ``case_path`` (``people.privacy.export_sections``): a new declared model or field is in it.
- ``client_identity``: who the person is (names, contact data, RRN, address); ``people.privacy`` gives
  each of them its anonymised value and its test checks that every one is covered.
- ``staff``: data about workers and accounts, not about the people served (kept with the account).
- ``not_personal``: codes, directory entries, technical values.

``undeclared_text_fields()`` lists every text field that says nothing (or says two things); a test
fails on it, so a new free-text field cannot silently survive anonymisation. Written by hand: Django
fields take no custom attributes and no library declares this; a decorator keeps migrations untouched.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.apps import apps
from django.db import models

KINDS = ("client_texts", "client_identity", "staff", "not_personal")


@dataclass(frozen=True)
class Declaration:
    label: str  # "app_label.ModelName"
    case_path: str | None
    client_texts: tuple[str, ...]
    client_identity: tuple[str, ...]
    staff: tuple[str, ...]
    not_personal: tuple[str, ...]

    def kinds_of(self, field_name: str) -> list[str]:
        return [kind for kind in KINDS if field_name in getattr(self, kind)]


REGISTRY: dict[str, Declaration] = {}

ModelT = type[models.Model]


def personal_data(
    *,
    case_path: str | None = None,
    client_texts: Iterable[str] = (),
    client_identity: Iterable[str] = (),
    staff: Iterable[str] = (),
    not_personal: Iterable[str] = (),
) -> Callable[[ModelT], ModelT]:
    """Class decorator: declare what each text field of the model holds (see the module docstring)."""

    def decorate(model: ModelT) -> ModelT:
        REGISTRY[model._meta.label] = Declaration(
            label=model._meta.label,
            case_path=case_path,
            client_texts=tuple(client_texts),
            client_identity=tuple(client_identity),
            staff=tuple(staff),
            not_personal=tuple(not_personal),
        )
        return model

    return decorate


def declaration(label: str) -> Declaration:
    return REGISTRY[label]


def case_texts() -> list[tuple[str, str, tuple[str, ...]]]:
    """(model label, path to the case, client text fields) of every model whose texts belong to one case."""
    return [
        (d.label, d.case_path, d.client_texts)
        for d in sorted(REGISTRY.values(), key=lambda d: d.label)
        if d.client_texts and d.case_path is not None
    ]


def is_text_field(field: object) -> bool:
    """Words someone typed: a ``CharField`` or ``TextField`` without choices (a choice is a code)."""
    return isinstance(field, models.CharField | models.TextField) and not field.choices


def _text_fields(model: ModelT) -> list[str]:
    return [field.name for field in model._meta.concrete_fields if is_text_field(field)]


def hamkke_models() -> list[ModelT]:
    """Hamkke's own models (not Django's, not the change-history copies)."""
    return [
        model
        for model in apps.get_models()
        if model.__module__.startswith("hamkke.") and not model.__name__.startswith("Historical")
    ]


def undeclared_text_fields(models_to_check: Iterable[ModelT] | None = None) -> list[str]:
    """'label.field' for every text field declared in no kind, in two kinds, or declared but absent."""
    problems = []
    for model in hamkke_models() if models_to_check is None else models_to_check:
        label = model._meta.label
        fields = _text_fields(model)
        found = REGISTRY.get(label)
        for name in fields:
            kinds = found.kinds_of(name) if found else []
            if len(kinds) != 1:
                problems.append(f"{label}.{name}: {'declared as ' + ', '.join(kinds) if kinds else 'not declared'}")
        if found:
            declared = {name for kind in KINDS for name in getattr(found, kind)}
            problems += [f"{label}.{name}: declared but not a text field" for name in sorted(declared - set(fields))]
    return problems
