"""Form fields for the NHS.UK template pack.

``NhsukDateField`` asks for a date the way the NHS.UK service manual says to: three
boxes for day, month and year (see :class:`~nhsuk_forms.widgets.NhsukDateWidget`),
and error messages that say exactly what is wrong, for example
"Date of birth must include a month" rather than "Enter a valid date".
"""

from __future__ import annotations

import datetime

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from .widgets import DATE_PARTS, NhsukDateWidget

# People type month names as often as numbers; accepting them costs nothing.
# Spelt out rather than taken from the calendar module, whose names follow the
# server's locale.
_MONTH_NAMES = [
    "january", "february", "march", "april", "may", "june",
    "july", "august", "september", "october", "november", "december",
]  # fmt: skip
_MONTHS_BY_NAME = {name: number for number, name in enumerate(_MONTH_NAMES, start=1)}
_MONTHS_BY_NAME.update({name[:3]: number for name, number in list(_MONTHS_BY_NAME.items())})
_MONTHS_BY_NAME["sept"] = 9


# No day, month or year needs more digits; longer text (hundreds of nines) is not a date,
# and int() of thousands of digits raises, as does datetime.date() of a huge day.
_MAX_PART_DIGITS = 8


def _parse_number(text: str) -> int | None:
    # isascii() too: str.isdigit() accepts digits like "²" that int() rejects.
    if text.isascii() and text.isdigit() and len(text) <= _MAX_PART_DIGITS:
        return int(text)
    return None


def _parse_month(text: str) -> int | None:
    return _parse_number(text) or _MONTHS_BY_NAME.get(text.lower())


def _lower_first(text: str) -> str:
    # "Date of birth" -> "date of birth", but leave "EHCP review date" alone.
    if text[:2].isupper():
        return text
    return text[:1].lower() + text[1:]


def _upper_first(text: str) -> str:
    return text[:1].upper() + text[1:]


class NhsukDateField(forms.Field):
    """A date asked for as day, month and year; cleans to a ``datetime.date``.

    Messages name the field by its label: "Enter date of birth", "Date of birth
    must include a month", "Date of birth must be a real date", and "Year must
    include 4 numbers". When the label is a question ("What is your date of
    birth?") pass ``error_label="date of birth"`` so the messages still read well.
    Every message can also be replaced through ``error_messages``, using
    ``%(label)s`` (lower-case first letter), ``%(Label)s`` (capital first letter)
    and, for "incomplete", ``%(missing)s`` (for example "day and month").

    Each error remembers which boxes are wrong (``params["parts"]``) so the
    template pack can highlight just those boxes.
    """

    widget = NhsukDateWidget
    default_error_messages = {
        "required": _("Enter %(label)s"),
        "incomplete": _("%(Label)s must include a %(missing)s"),
        "invalid": _("%(Label)s must be a real date"),
        "year_length": _("Year must include 4 numbers"),
    }

    def __init__(
        self, *, error_label: str | None = None, autocomplete: str | None = None, **kwargs
    ):
        kwargs.setdefault("widget", NhsukDateWidget(autocomplete=autocomplete))
        super().__init__(**kwargs)
        self.error_label = error_label
        # Filled in from the form's bound field when the form does not give a label,
        # so messages can use the label Django makes from the field name.
        self._label_from_name = None

    def get_bound_field(self, form, field_name):
        bound_field = super().get_bound_field(form, field_name)
        self._label_from_name = str(bound_field.label)
        return bound_field

    def _error(self, code: str, parts, **params) -> ValidationError:
        label = str(self.error_label or self.label or self._label_from_name or _("date"))
        params.update(label=_lower_first(label), Label=_upper_first(label), parts=list(parts))
        return ValidationError(self.error_messages[code], code=code, params=params)

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if isinstance(value, datetime.datetime):
            return value.date()
        if isinstance(value, datetime.date):
            return value
        if isinstance(value, str):
            # Not from the widget (which always gives three parts) but handy for
            # initial data and tests: accept an ISO date.
            try:
                return datetime.date.fromisoformat(value.strip())
            except ValueError:
                raise self._error("invalid", DATE_PARTS) from None
        return self._date_from_parts(value)

    def _date_from_parts(self, values) -> datetime.date | None:
        texts = [("" if v is None else str(v)).strip() for v in values]
        texts = (texts + [""] * len(DATE_PARTS))[: len(DATE_PARTS)]
        day_text, month_text, year_text = texts

        missing = [part for part, text in zip(DATE_PARTS, texts, strict=True) if not text]
        if len(missing) == len(DATE_PARTS):
            return None  # nothing typed: validate() decides whether that is allowed
        if missing:
            raise self._error("incomplete", missing, missing=" and ".join(missing))

        day, month, year = (
            _parse_number(day_text),
            _parse_month(month_text),
            _parse_number(year_text),
        )
        numbers = zip(DATE_PARTS, (day, month, year), strict=True)
        not_numbers = [part for part, number in numbers if number is None]
        if not_numbers:
            raise self._error("invalid", not_numbers)
        if len(year_text) != 4:
            raise self._error("year_length", ["year"])
        if not 1 <= month <= 12:
            raise self._error("invalid", ["month"])
        if year < datetime.MINYEAR:
            raise self._error("invalid", ["year"])
        try:
            return datetime.date(year, month, day)
        except ValueError:
            # Year and month are fine by now, so the day does not exist in that
            # month (31 April, 29 February outside a leap year).
            raise self._error("invalid", ["day"]) from None

    def validate(self, value):
        # Django's own check has no label to put in the message, so do it here.
        if value is None and self.required:
            raise self._error("required", DATE_PARTS)

    def prepare_value(self, value):
        # Initial data may be an ISO string (for example from a query string).
        if isinstance(value, str):
            try:
                return datetime.date.fromisoformat(value)
            except ValueError:
                return value
        return value


def needed_when(field: forms.Field, condition: str) -> forms.Field:
    """``field``, which the form checks itself (``required=False``) because it is needed
    only with some answers to another question; its label ends with ``(condition)``
    instead of "(optional)", so the page does not call optional what the form can refuse:
    ``needed_when(forms.CharField(label="Reasons", required=False), "needed unless …")``.
    """
    if field.required:
        raise ValueError("needed_when is for a field the form checks itself: required=False")
    field.needed_when = condition
    return field
