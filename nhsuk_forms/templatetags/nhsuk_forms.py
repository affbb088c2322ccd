"""Template tags for the NHS.UK template pack: ``{% load nhsuk_forms %}``.

``{% nhsuk_error_summary form %}``
    The NHS.UK error summary ("There is a problem") for one or more forms or
    formsets, or nothing when they have no errors. ``{% crispy form %}`` and
    ``{{ form|crispy }}`` already draw it above the form; use the tag to put it
    somewhere else, such as above the page heading. Once the tag has drawn the
    summary for a form, the crispy rendering of that form that follows does not
    draw it again.

``{% nhsuk_field_context field as f %}``, ``|nhsuk_attrs``, ``|nhsuk_button_classes``
    Used by the pack's own templates: ids, classes and text for one field; a
    dict written as HTML attributes; NHS.UK classes for a crispy button.
"""

from __future__ import annotations

from django import template
from django.forms.utils import flatatt
from django.template.loader import render_to_string

from nhsuk_forms import rendering

register = template.Library()

# Set on a form (or formset) once an error summary has covered it, so the
# automatic summary in the crispy templates is not drawn twice on a page.
SUMMARY_SHOWN_ATTR = "_nhsuk_error_summary_shown"


def _wants_automatic_summary(form) -> bool:
    if getattr(form, SUMMARY_SHOWN_ATTR, False):
        return False
    helper = getattr(form, "helper", None)
    return getattr(helper, "show_error_summary", True) is not False


@register.simple_tag(takes_context=True)
def nhsuk_error_summary(context, *forms, automatic=False):
    """Render the error summary for ``forms``; ``automatic`` is for the pack's templates.

    In automatic mode nothing is drawn when the page already drew the summary for
    the form, when the form's helper has ``show_error_summary = False``, or when
    the context has ``show_error_summary`` set to False (a helper attribute, or
    ``{% with show_error_summary=False %}`` around the crispy tag).
    """
    forms = [form for form in forms if form not in (None, "")]
    if automatic:
        if context.get("show_error_summary", True) is False:
            return ""
        if context.get("form_show_errors", True) is False:
            return ""
        forms = [form for form in forms if _wants_automatic_summary(form)]

    errors = []
    for form in forms:
        errors += rendering.form_errors(form)
        setattr(form, SUMMARY_SHOWN_ATTR, True)
    if not errors:
        return ""
    return render_to_string("nhsuk/error_summary.html", {"errors": errors})


@register.simple_tag(takes_context=True)
def nhsuk_field_context(context, bound_field):
    return rendering.field_context(bound_field, context)


@register.filter
def nhsuk_attrs(attrs):
    """Write a dict as HTML attributes (True: bare attribute, False/None: left out)."""
    return flatatt(attrs or {})


@register.filter
def nhsuk_button_classes(button):
    """NHS.UK classes for a crispy button (Submit, Button, Reset, NhsukSubmit...).

    crispy's own classes are Bootstrap's (``btn btn-primary``) and are dropped.
    Plain buttons and resets, which do not submit the answers, look secondary
    unless the page chose a style (``css_class="nhsuk-button--warning"``).
    """
    classes = [c for c in str(getattr(button, "field_classes", "")).split() if c]
    classes = [c for c in classes if not c.startswith("btn")]
    if "nhsuk-button" not in classes:
        classes.insert(0, "nhsuk-button")
    has_style = any(c.startswith("nhsuk-button--") for c in classes)
    if getattr(button, "input_type", "") in ("button", "reset") and not has_style:
        classes.append("nhsuk-button--secondary")
    return " ".join(dict.fromkeys(classes))
