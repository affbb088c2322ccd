"""The form renderer: Django's own, except that a ``<select>`` is written in Python.

Django draws every ``<option>`` by including two templates. A filter such as the
sign-off queue's "advice from" lists every provider asked for advice, which in a
region is hundreds: drawing them took half of that page's time. This writes the
same markup (tested against Django's templates) without a template per option.

Options whose widget names another template (a custom ``option_template_name``)
are still drawn by the templates, as is everything else.

It also labels the two halves of the admin's date-and-time input (Django writes "Date:"
and "Time:" as bare text beside unlabelled inputs, WCAG 2.2 1.3.1): the admin's widget
template is swapped for ``nhsuk_forms/admin_split_datetime.html``, which the renderer finds
in this app (a project template directory is not on the form renderer's path).
"""

from __future__ import annotations

from django.forms.renderers import DjangoTemplates
from django.utils.html import format_html, format_html_join

SELECT_TEMPLATE = "django/forms/widgets/select.html"
OPTION_TEMPLATE = "django/forms/widgets/select_option.html"
TEMPLATES_REPLACED = {
    "admin/widgets/split_datetime.html": "nhsuk_forms/admin_split_datetime.html",
}


class PortalFormRenderer(DjangoTemplates):
    def render(self, template_name, context, request=None):
        if template_name == SELECT_TEMPLATE and _plain_options(context["widget"]):
            return select_markup(context["widget"])
        template_name = TEMPLATES_REPLACED.get(template_name, template_name)
        return super().render(template_name, context, request=request)


def _plain_options(widget: dict) -> bool:
    return all(
        option["template_name"] == OPTION_TEMPLATE
        for _group, options, _index in widget["optgroups"]
        for option in options
    )


def _attrs(attrs: dict) -> str:
    """Django's ``attrs.html``: ``False`` left out, ``True`` as a bare name."""
    return format_html_join(
        "",
        "{}",
        (
            (format_html(" {}", name) if value is True else format_html(' {}="{}"', name, value),)
            for name, value in attrs.items()
            if value is not False
        ),
    )


def select_markup(widget: dict) -> str:
    """The markup of Django's ``select.html`` for a widget context, byte for byte."""
    parts = [format_html('<select name="{}"{}>', widget["name"], _attrs(widget["attrs"]))]
    for group_name, options, _index in widget["optgroups"]:
        if group_name:
            parts.append(format_html('\n  <optgroup label="{}">', group_name))
        for option in options:
            parts.append(
                format_html(
                    # The option template's own line end follows each option.
                    '\n  <option value="{}"{}>{}</option>\n',
                    str(option["value"]),
                    _attrs(option["attrs"]),
                    option["label"],
                )
            )
        if group_name:
            parts.append("\n  </optgroup>")
    parts.append("\n</select>")
    return "".join(parts)
