"""The form renderer: Django's, with ``<select>`` drawn in Python (issue 15 item 5).

Django draws each ``<option>`` through the template language (an include and a loop over its
attributes: ~0.08 ms an option); a case tab with the district's agencies (300) and the caseload's
filters spent tens of milliseconds there. ``FormRenderer`` writes the very same markup as
``django/forms/widgets/select.html`` directly — byte for byte, a test compares them — whenever the
options are Django's plain ones with text labels; anything else goes through the templates.
"""

from django.forms import renderers
from django.utils.functional import Promise
from django.utils.html import conditional_escape

SELECT = "django/forms/widgets/select.html"
SELECT_OPTION = "django/forms/widgets/select_option.html"


def _attrs(attrs: dict) -> str:
    """django/forms/widgets/attrs.html."""
    return "".join(
        f" {conditional_escape(name)}"
        if value is True
        else f' {conditional_escape(name)}="{conditional_escape(str(value))}"'
        for name, value in attrs.items()
        if value is not False
    )


def _is_text(value) -> bool:
    return isinstance(value, (str, Promise))


def _plain(widget: dict) -> bool:
    return all(
        (group_name is None or _is_text(group_name))
        and all(option["template_name"] == SELECT_OPTION and _is_text(option["label"]) for option in options)
        for group_name, options, _index in widget["optgroups"]
    )


def select_html(widget: dict) -> str:
    parts = [f'<select name="{conditional_escape(widget["name"])}"{_attrs(widget["attrs"])}>']
    for group_name, options, _index in widget["optgroups"]:
        if group_name:
            parts.append(f'\n  <optgroup label="{conditional_escape(group_name)}">')
        for option in options:
            parts.append(
                f'\n  <option value="{conditional_escape(str(option["value"]))}"{_attrs(option["attrs"])}>'
                f"{conditional_escape(option['label'])}</option>\n"
            )
        if group_name:
            parts.append("\n  </optgroup>")
    parts.append("\n</select>")
    return "".join(parts)


class FormRenderer(renderers.DjangoTemplates):
    def render(self, template_name, context, request=None):
        if template_name == SELECT and _plain(context["widget"]):
            return select_html(context["widget"]).strip()
        return super().render(template_name, context, request=request)
