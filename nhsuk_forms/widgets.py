"""Widgets for the NHS.UK template pack.

Only the date input needs a widget of its own: every other NHS.UK component is
drawn by the pack's templates around Django's standard widgets.
"""

from __future__ import annotations

import datetime

from django import forms
from django.utils.translation import gettext_lazy as _

# The three boxes of an NHS.UK date input, in the order people write a UK date.
DATE_PARTS = ("day", "month", "year")

DATE_PART_LABELS = {"day": _("Day"), "month": _("Month"), "year": _("Year")}

# Widths from the NHS.UK date input: two characters for day and month, four for year.
DATE_PART_WIDTH_CLASSES = {
    "day": "nhsuk-input--width-2",
    "month": "nhsuk-input--width-2",
    "year": "nhsuk-input--width-4",
}


class NhsukDateWidget(forms.MultiWidget):
    """Three text boxes (day, month, year) drawn as the NHS.UK date input.

    For a field named ``dob`` the boxes are named ``dob_day``, ``dob_month`` and
    ``dob_year`` and their ids are the field's id plus the same suffix
    (``id_dob_day`` and so on), so each id is always ``id_`` plus the box's name,
    as for every other Django input.

    ``autocomplete`` is the prefix of the browser autocomplete tokens, for example
    ``"bday"`` for a date of birth gives ``bday-day``, ``bday-month`` and ``bday-year``.
    """

    template_name = "nhsuk/widgets/date_input.html"

    def __init__(self, attrs=None, autocomplete: str | None = None):
        # Text boxes, not type="number": NHS.UK and GOV.UK advise against number
        # inputs (spinners, scrolling changes the value); inputmode brings up the
        # numeric keyboard on phones all the same.
        widgets = {part: forms.TextInput(attrs={"inputmode": "numeric"}) for part in DATE_PARTS}
        if autocomplete:
            for part, widget in widgets.items():
                widget.attrs["autocomplete"] = f"{autocomplete}-{part}"
        super().__init__(widgets, attrs)

    def decompress(self, value):
        if isinstance(value, datetime.date):
            # No zero padding: the user sees "5 8 2024", as in the NHS.UK examples.
            return [str(value.day), str(value.month), str(value.year)]
        return [None, None, None]

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        field_id = context["widget"]["attrs"].get("id")
        for part, subwidget in zip(DATE_PARTS, context["widget"]["subwidgets"], strict=True):
            sub_attrs = subwidget["attrs"]
            if field_id:
                # Django numbers the boxes (_0, _1, _2); name them like the inputs.
                sub_attrs["id"] = self.part_id(field_id, part)
            own_class = sub_attrs.get("class", "")
            sub_attrs["class"] = " ".join(
                c
                for c in (
                    "nhsuk-input",
                    DATE_PART_WIDTH_CLASSES[part],
                    "nhsuk-date-input__input",
                    own_class,
                )
                if c
            )
            subwidget["part"] = part
            subwidget["label"] = DATE_PART_LABELS[part]
        return context

    @staticmethod
    def part_id(field_id: str, part: str) -> str:
        return f"{field_id}_{part}"

    def id_for_label(self, id_):
        # A label (or an error summary link) for the whole date goes to the day box.
        return self.part_id(id_, "day") if id_ else ""
