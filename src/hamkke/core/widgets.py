"""The searchable picker: a choice among thousands (a district's resources, its agencies) without
thousands of ``<option>``s.

Hand-written rather than a Django autocomplete package (django-autocomplete-light, django-select2):
those bring jQuery or Select2 from their own static bundles and inline scripts, which the
Content-Security-Policy forbids; htmx is already here, and the keyboard handling is a few lines of
hamkke.js. The widget draws a hidden input carrying the chosen primary key and a text field that
asks the picker's URL (an access-scoped selector behind a view) for matching options as the worker
types; the form field (a ModelChoiceField) validates the key against the same scoped queryset.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

from django import forms
from django.template import loader
from django.utils.safestring import mark_safe

MIN_CHARS = 2
MAX_OPTIONS = 20


class Picker(forms.Widget):
    template_name = "widgets/picker.html"

    def __init__(self, *, url: str, labels: Mapping[str, str] | Callable[[str], str] | None = None, attrs=None):
        """``url``: the options endpoint (GET ``?q=``); ``labels``: the text shown for an already
        chosen key (a mapping shared by the rows of a formset, or a function), so that drawing a
        form costs no query per field."""
        super().__init__(attrs)
        self.url = url
        self.labels = labels or {}

    def label_for(self, value) -> str:
        if value in (None, ""):
            return ""
        key = str(value)
        if callable(self.labels):
            return self.labels(key)
        return self.labels.get(key, "")

    def format_value(self, value):
        return "" if value is None else str(value)

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        widget = context["widget"]
        widget["url"] = self.url
        widget["label"] = self.label_for(widget["value"])
        widget["min_chars"] = MIN_CHARS
        return context

    def render(self, name, value, attrs=None, renderer=None):
        # The project's template directory, not the form renderer's (which sees only Django's own widgets).
        return mark_safe(loader.render_to_string(self.template_name, self.get_context(name, value, attrs)))

    def value_omitted_from_data(self, data, files, name):
        return name not in data
