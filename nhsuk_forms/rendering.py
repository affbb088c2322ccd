"""What the pack's templates need to know about a field, worked out in Python.

The templates in ``templates/nhsuk/`` hold the NHS.UK markup; this module decides
which component a field becomes, the ids that tie label, hint, error message and
input together, and which errors go in the error summary. Keeping those decisions
here keeps the templates short and lets them be tested directly.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django import forms
from django.forms.formsets import BaseFormSet
from django.forms.widgets import Input
from django.utils.translation import gettext_lazy as _

from .widgets import DATE_PARTS, NhsukDateWidget

OPTIONAL_SUFFIX = _(" (optional)")

# Which NHS.UK component draws each kind of widget. Order matters: several of
# Django's widgets subclass others (CheckboxSelectMultiple is a RadioSelect,
# CheckboxInput and FileInput are Inputs).
_KINDS = (
    (NhsukDateWidget, "date"),
    (forms.CheckboxSelectMultiple, "checkboxes"),
    (forms.RadioSelect, "radios"),
    (forms.CheckboxInput, "checkbox"),
    (forms.FileInput, "file"),
    (forms.Select, "select"),
    (forms.Textarea, "textarea"),
    (Input, "input"),
)

# The class NHS.UK puts on each kind of control, and its error modifier.
_CONTROL_CLASSES = {
    "input": ("nhsuk-input", "nhsuk-input--error"),
    "textarea": ("nhsuk-textarea", "nhsuk-textarea--error"),
    "select": ("nhsuk-select", "nhsuk-select--error"),
    "file": ("nhsuk-file-upload__input", ""),
    "checkbox": ("nhsuk-checkboxes__input", ""),
}

# Label and legend sizes NHS.UK offers (nhsuk-label--l, nhsuk-fieldset__legend--m...).
LABEL_SIZES = ("s", "m", "l", "xl")


def widget_kind(bound_field) -> str:
    """Name of the template in ``nhsuk/fields/`` that draws this field."""
    widget = bound_field.field.widget
    if widget.is_hidden:
        return "hidden"
    for widget_class, kind in _KINDS:
        if isinstance(widget, widget_class):
            return kind
    if widget.use_fieldset:
        # Several inputs answering one question (SplitDateTimeWidget,
        # SelectDateWidget...): a fieldset and legend, like the date input.
        return "group"
    return "generic"


def _join_classes(*classes) -> str:
    return " ".join(c for c in classes if c)


def _label_text(bound_field, kind: str) -> str:
    label = str(bound_field.label or "")
    # NHS.UK marks optional questions, not required ones. A lone checkbox is the
    # exception: leaving it unticked is already an answer, "(optional)" would confuse.
    if label and not bound_field.field.required and kind not in ("checkbox", "hidden"):
        # A field needed only with some answers (fields.needed_when) says when, not
        # "(optional)": the form would refuse it blank with those answers.
        needed_when = getattr(bound_field.field, "needed_when", "")
        label += f" ({needed_when})" if needed_when else str(OPTIONAL_SUFFIX)
    return label


def _error_items(field_id: str, errors: list[str]) -> list[dict[str, str]]:
    """Each error message with its id: "<field id>-error", then "-error-2", "-error-3"...

    Usually there is one error, but validators can give several (a password both
    too short and too common); each needs an id of its own for aria-describedby.
    """
    items = []
    for number, message in enumerate(errors, start=1):
        error_id = ""
        if field_id:
            error_id = f"{field_id}-error" if number == 1 else f"{field_id}-error-{number}"
        items.append({"id": error_id, "message": message})
    return items


def _error_parts(bound_field) -> set[str]:
    """Date boxes to highlight: those named by the errors, or all three."""
    parts: set[str] = set()
    for error in bound_field.errors.as_data():
        parts.update((error.params or {}).get("parts") or DATE_PARTS)
    return parts


def _base_attrs(bound_field) -> dict[str, Any]:
    """The attrs Django itself would give the widget (required, disabled, id...)."""
    widget = bound_field.field.widget
    attrs = bound_field.build_widget_attrs({})
    if bound_field.auto_id and "id" not in widget.attrs:
        attrs.setdefault("id", bound_field.auto_id)
    return attrs


def _widget_context(bound_field, attrs) -> dict[str, Any]:
    return bound_field.field.widget.get_context(bound_field.html_name, bound_field.value(), attrs)[
        "widget"
    ]


@dataclass
class FieldContext:
    """Everything a ``nhsuk/fields/*.html`` template renders."""

    field: Any
    kind: str
    id: str
    label_for: str
    label: str
    hint: str
    hint_id: str
    errors: list[str]
    error_items: list[dict[str, str]]
    describedby: str
    group_classes: str
    show_label: bool = True
    label_size: str = ""
    page_heading: bool = False
    widget_html: str = ""
    widget: dict[str, Any] = field(default_factory=dict)
    options: list[dict[str, Any]] = field(default_factory=list)
    inline: bool = False
    prefix: str = ""
    suffix: str = ""

    @property
    def template(self) -> str:
        return f"nhsuk/fields/{self.kind}.html"


def field_context(bound_field, context=None) -> FieldContext:
    """Work out the ids, classes and text for one field, ready for its template.

    ``context`` is the template context crispy-forms renders with; it can carry
    ``form_show_errors``/``form_show_labels`` (FormHelper settings), ``wrapper_class``
    (crispy's ``Field(wrapper_class=...)``), ``inline_class`` (``InlineRadios``),
    ``crispy_prepended_text``/``crispy_appended_text`` (``PrependedText`` and
    friends) and ``nhsuk_label_size``/``nhsuk_page_heading`` (``NhsukField``).
    """
    context = context or {}
    kind = widget_kind(bound_field)
    widget = bound_field.field.widget
    field_id = widget.attrs.get("id") or bound_field.auto_id or ""

    show_errors = context.get("form_show_errors", True) is not False
    errors = [str(e) for e in bound_field.errors] if show_errors else []
    hint = str(bound_field.help_text or "")
    hint_id = f"{field_id}-hint" if hint and field_id else ""
    error_items = _error_items(field_id, errors)
    # Hint before errors, as in every NHS.UK example.
    describedby = _join_classes(hint_id, *(item["id"] for item in error_items))

    page_heading = bool(context.get("nhsuk_page_heading"))
    label_size = context.get("nhsuk_label_size") or ("l" if page_heading else "")
    if label_size not in LABEL_SIZES:
        label_size = ""

    extra_group_class = "nhsuk-file-upload" if kind == "file" else ""
    ctx = FieldContext(
        field=bound_field,
        kind=kind,
        id=field_id,
        # What the widget says a label should point at (the first box of a
        # MultiWidget, for example), as Django's own label_tag does.
        label_for=widget.id_for_label(field_id) if field_id else "",
        label=_label_text(bound_field, kind),
        hint=hint,
        hint_id=hint_id,
        errors=errors,
        error_items=error_items,
        describedby=describedby,
        group_classes=_join_classes(
            "nhsuk-form-group",
            "nhsuk-form-group--error" if errors else "",
            extra_group_class,
            context.get("wrapper_class") or "",
        ),
        show_label=context.get("form_show_labels", True) is not False,
        label_size=label_size,
        page_heading=page_heading,
        inline=bool(context.get("inline_class")),
        prefix=str(context.get("crispy_prepended_text") or ""),
        suffix=str(context.get("crispy_appended_text") or ""),
    )

    if kind in ("hidden", "group"):
        # A group's hint and errors are described on its fieldset.
        ctx.widget_html = bound_field.as_widget()
    elif kind in ("radios", "checkboxes"):
        ctx.options = _choice_options(bound_field, kind)
    elif kind == "date":
        ctx.widget = _date_widget(bound_field, errors)
    elif kind == "file":
        ctx.widget = _widget_context(bound_field, _control_attrs(bound_field, ctx))
    else:
        ctx.widget_html = bound_field.as_widget(attrs=_control_attrs(bound_field, ctx))
    return ctx


def _control_attrs(bound_field, ctx: FieldContext) -> dict[str, Any]:
    """Class and aria-describedby for a single control (input, select, textarea...)."""
    widget = bound_field.field.widget
    attrs = _base_attrs(bound_field)
    base, error_class = _CONTROL_CLASSES.get(ctx.kind, ("", ""))
    # The widget's own classes (nhsuk-input--width-10, nhsuk-u-width-two-thirds...)
    # go last, as in the NHS.UK examples.
    attrs["class"] = _join_classes(
        base, error_class if ctx.errors else "", widget.attrs.get("class", "")
    )
    if not attrs["class"]:
        del attrs["class"]
    if ctx.describedby:
        # Also stops Django adding its own "<id>_helptext"/"<id>_error" ids.
        attrs["aria-describedby"] = ctx.describedby
    if isinstance(widget, forms.EmailInput) and "spellcheck" not in widget.attrs:
        attrs["spellcheck"] = "false"  # spell checkers "correct" email addresses
    return attrs


def _choice_options(bound_field, kind: str) -> list[dict[str, Any]]:
    """One dict per radio or checkbox: id, name, value, label, checked, attrs."""
    input_class = "nhsuk-radios__input" if kind == "radios" else "nhsuk-checkboxes__input"
    options = []
    for subwidget in bound_field.subwidgets:
        data = subwidget.data
        attrs = {
            k: v
            for k, v in data["attrs"].items()
            # id, class and checked are written by the template; Django's per-option
            # aria-invalid/aria-describedby belong on the fieldset instead.
            if k not in ("id", "checked", "class", "aria-invalid", "aria-describedby")
        }
        options.append(
            {
                "class": _join_classes(input_class, data["attrs"].get("class", "")),
                "id": data["attrs"].get("id", ""),
                "name": data["name"],
                "value": data["value"],
                "label": data["label"],
                "checked": data["selected"],
                "type": data["type"],
                "attrs": attrs,
            }
        )
    return options


def _date_widget(bound_field, errors) -> dict[str, Any]:
    widget_context = _widget_context(bound_field, _base_attrs(bound_field))
    bad_parts = _error_parts(bound_field) if errors else set()
    for subwidget in widget_context["subwidgets"]:
        has_error = subwidget["part"] in bad_parts
        subwidget["has_error"] = has_error
        # Django marks every box aria-invalid when the field has errors; only
        # the boxes in error are.
        subwidget["attrs"].pop("aria-invalid", None)
        if has_error:
            subwidget["attrs"]["aria-invalid"] = "true"
            classes = subwidget["attrs"]["class"].split()
            # After nhsuk-input, before the width class, as in the NHS.UK example.
            classes.insert(1, "nhsuk-input--error")
            subwidget["attrs"]["class"] = " ".join(classes)
    return widget_context


# --- Error summary ----------------------------------------------------------------------


@dataclass
class SummaryError:
    message: str
    href: str = ""


def error_target_id(bound_field) -> str:
    """The id the error summary links to: the first box the user should fix."""
    kind = widget_kind(bound_field)
    widget = bound_field.field.widget
    field_id = widget.attrs.get("id") or bound_field.auto_id or ""
    if not field_id or kind == "hidden":
        return ""
    if kind == "date":
        bad_parts = _error_parts(bound_field)
        first_bad = next((p for p in DATE_PARTS if p in bad_parts), DATE_PARTS[0])
        return NhsukDateWidget.part_id(field_id, first_bad)
    if kind in ("radios", "checkboxes"):
        for subwidget in bound_field.subwidgets:
            return subwidget.data["attrs"].get("id", field_id)
        return field_id
    if isinstance(widget, forms.MultiWidget):
        return widget.id_for_label(field_id) or f"{field_id}_0"
    return field_id


def _ordered_field_names(form) -> list[str]:
    """Fields in the order the page shows them: the helper's layout, then the rest."""
    names = list(form.fields)
    helper = getattr(form, "helper", None)
    layout = getattr(helper, "layout", None)
    if layout is None:
        return names
    in_layout = [p.name for p in layout.get_field_names() if p.name in form.fields]
    return list(dict.fromkeys(in_layout + names))


def form_errors(form) -> list[SummaryError]:
    """Errors of a bound form (or formset) for the error summary, in page order.

    Non-field errors come first, without a link (they are about the whole form);
    errors on hidden fields have no link either, as there is nothing to focus.
    """
    if isinstance(form, BaseFormSet):
        items = [SummaryError(str(e)) for e in form.non_form_errors()]
        for each_form in form.forms:
            items += form_errors(each_form)
        return items
    if not form.is_bound or not form.errors:
        return []
    items = [SummaryError(str(e)) for e in form.non_field_errors()]
    for name in _ordered_field_names(form):
        if name not in form.errors:
            continue
        bound_field = form[name]
        target = error_target_id(bound_field)
        for message in bound_field.errors:
            items.append(SummaryError(str(message), f"#{target}" if target else ""))
    return items
