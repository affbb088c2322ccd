"""What the portal accepts from a person, in one place: text, whole numbers and dates.

Every form of the portal is a ``PortalForm`` or ``PortalModelForm`` (or mixes in
``BoundedInputMixin``); ``tests/test_forms_bad_input.py`` walks every form to prove it.
The mixin gives each field the portal's limits when the form is made:

- text: no control characters (BEL, ESC, C1 controls...). Line breaks and tabs only in
  text typed in a text area; a one-line box takes one line. NUL keeps Django's own
  message. Passwords are left alone: they are hashed, never stored or shown as text.
- whole numbers: within what the PostgreSQL column holds, so a huge number is an error on
  the form rather than "integer out of range" from the database (a 500).
- dates: within ``DATE_WINDOW`` of today, so the year 0001 or 9999 is refused with a message.
- model choices: read in one query, not through a server-side cursor (``ChoicesReadAtOnce``;
  the filters' ``ModelChoiceFilter``).

Imports and query strings use the same functions (``control_character_problem``,
``integer_problem``, ``date_problem``, ``whole_number``).
"""

from __future__ import annotations

import datetime
import functools
import unicodedata

import django_filters
from dateutil.relativedelta import relativedelta
from django import forms
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.backends.base.operations import BaseDatabaseOperations
from django.forms.models import ModelChoiceIterator
from django.utils import timezone

from nhsuk_forms.fields import NhsukDateField
from send_portal.london_time import long_date

# --- Text --------------------------------------------------------------------------------

#: Allowed in text typed in a text area: tab and the line ends a browser sends.
MULTI_LINE_ALLOWED = frozenset("\t\n\r")
# NUL is Cc too, but Django's ProhibitNullCharactersValidator already refuses it on every
# CharField with its own message; saying it twice would only repeat the error.
_LEFT_TO_DJANGO = frozenset("\x00")


def control_character_problem(text: str, *, multi_line: bool) -> str | None:
    """Why ``text`` cannot be stored as typed, or None.

    Control characters (Unicode category Cc: BEL, ESC, DEL, the C1 controls) are never
    text a person means to type: they ring terminals, rewrite logs and break exports.
    One-line text also refuses line and paragraph separators, which split email subjects
    and CSV cells.
    """
    allowed = MULTI_LINE_ALLOWED if multi_line else frozenset()
    for character in text:
        if character in allowed or character in _LEFT_TO_DJANGO:
            continue
        category = unicodedata.category(character)
        if category == "Cc" and character in MULTI_LINE_ALLOWED:
            return "must be one line"
        if category == "Cc":
            return "cannot contain control characters"
        if category in ("Zl", "Zp") and not multi_line:
            return "must be one line"
    return None


class ControlCharacterValidator:
    """Refuses control characters; ``multi_line`` allows tab and line ends."""

    def __init__(self, multi_line: bool):
        self.multi_line = multi_line

    def __call__(self, value):
        problem = control_character_problem(str(value), multi_line=self.multi_line)
        if problem:
            raise ValidationError(f"The text {problem}.", code="control_characters")

    def __eq__(self, other):
        return isinstance(other, ControlCharacterValidator) and other.multi_line == self.multi_line


# --- Whole numbers -------------------------------------------------------------------------

#: PostgreSQL's ``integer`` (Django's IntegerField and PositiveIntegerField). The portal's
#: production database; SQLite stores 64 bits and would not show the fault.
INTEGER_MIN, INTEGER_MAX = -(2**31), 2**31 - 1
#: PostgreSQL's ``smallint`` (Small and PositiveSmall IntegerField).
SMALL_INTEGER_MIN, SMALL_INTEGER_MAX = -(2**15), 2**15 - 1


def integer_problem(value: int, low: int = INTEGER_MIN, high: int = INTEGER_MAX) -> str | None:
    if value < low:
        return f"must be {low:,} or more"
    if value > high:
        return f"must be {high:,} or less"
    return None


def whole_number(text, *, default: int, low: int = 1, high: int = INTEGER_MAX) -> int:
    """A number from a query string (``?page=``): ``default`` unless it is plain ASCII
    digits within ``low``..``high``. Used for every number a URL gives."""
    text = str(text or "").strip()
    # isascii(): str.isdigit() accepts "²" and other digits int() refuses or reads oddly.
    if not (text.isascii() and text.isdigit()) or len(text) > len(str(high)):
        return default
    number = int(text)
    return number if low <= number <= high else default


def column_range(model_field) -> tuple[int, int]:
    """What the PostgreSQL column of a model's integer field holds, whichever database
    runs now (Django bounds a model form's field by the database in use: on SQLite 64 bits,
    which PostgreSQL's ``integer`` and ``smallint`` do not hold)."""
    return BaseDatabaseOperations.integer_field_ranges[model_field.get_internal_type()]


def _bound_integer_field(field: forms.IntegerField, column=(INTEGER_MIN, INTEGER_MAX)) -> None:
    low = column[0] if field.min_value is None else max(field.min_value, column[0])
    high = column[1] if field.max_value is None else min(field.max_value, column[1])
    if field.min_value != low:
        field.min_value = low
        field.validators.append(MinValueValidator(low))
        field.widget.attrs.setdefault("min", low)
    if field.max_value != high:
        field.max_value = high
        field.validators.append(MaxValueValidator(high))
        field.widget.attrs["max"] = high


# --- Dates -------------------------------------------------------------------------------

#: The window any date typed into the portal falls in. The portal serves children and
#: young people from birth to 25 (Children and Families Act 2014, s83; SEND Code of
#: Practice 2015, 0 to 25 years), so nothing it records is older than its oldest person's
#: birth (with a few years to spare, so that a form's own rule, such as "EHC plans are for
#: children and young people up to 25", says what is wrong); nothing it plans is more than
#: a few years ahead (a series, a review).
DATE_WINDOW_BACK = relativedelta(years=30)
DATE_WINDOW_AHEAD = relativedelta(years=5)


def date_window(today: datetime.date | None = None) -> tuple[datetime.date, datetime.date]:
    today = today or timezone.localdate()
    return today - DATE_WINDOW_BACK, today + DATE_WINDOW_AHEAD


def date_problem(day: datetime.date, today: datetime.date | None = None) -> str | None:
    earliest, latest = date_window(today)
    if day < earliest:
        return f"must be on or after {long_date(earliest)}"
    if day > latest:
        return f"must be on or before {long_date(latest)}"
    return None


class DateWindowValidator:
    def __call__(self, value):
        problem = date_problem(value)
        if problem:
            raise ValidationError(f"The date {problem}.", code="date_out_of_range")

    def __eq__(self, other):
        return isinstance(other, DateWindowValidator)


# --- Model choices, read in one query ------------------------------------------------------


class ChoicesReadAtOnce(ModelChoiceIterator):
    """A select's model choices read in one query. Django reads them with
    ``QuerySet.iterator()``, which on PostgreSQL is a server-side cursor: DECLARE, FETCH and
    CLOSE, three round trips for a list of a few dozen that the select draws whole anyway
    (the sign-off queue's "Advice from": 1.9 ms against 1.2 read at once). Server-side
    cursors stay where they keep memory constant: the CSV exports."""

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        offered = getattr(self.field, "offered", None)
        for obj in offered() if offered is not None else self.queryset.all():
            yield self.choice(obj)

    def __len__(self):
        offered = getattr(self.field, "offered", None)
        if offered is None:
            return super().__len__()
        return len(offered()) + (self.field.empty_label is not None)

    def __bool__(self):
        offered = getattr(self.field, "offered", None)
        if offered is None:
            return super().__bool__()
        return self.field.empty_label is not None or bool(offered())


_READ_AT_ONCE: dict[type, type] = {ModelChoiceIterator: ChoicesReadAtOnce}


def choices_read_at_once(iterator: type) -> type:
    """``iterator`` (a model choice iterator class) reading its rows at once: what it adds
    (django-filter's "null" choice) is kept, as it takes its rows from its parent's."""
    if issubclass(iterator, ChoicesReadAtOnce):
        return iterator
    if iterator not in _READ_AT_ONCE:
        _READ_AT_ONCE[iterator] = type(
            f"{iterator.__name__}ReadAtOnce", (iterator, ChoicesReadAtOnce), {}
        )
    return _READ_AT_ONCE[iterator]


def read_choices_at_once(field: forms.ModelChoiceField) -> None:
    """Make ``field`` (a model choice field of a form made already) read its choices at once;
    its widget took its choices when its queryset was set, so it is given them again."""
    wanted = choices_read_at_once(field.iterator)
    if field.iterator is not wanted:
        field.iterator = wanted
        field.widget.choices = field.choices


class ModelChoiceFilter(django_filters.ModelChoiceFilter):
    """django-filter's model choice filter, with its choices read at once.

    With ``offered`` (a function of the request returning the records to offer, in order:
    a read prepared once per process, say) the choices are those records, read at most once
    a request, and a value given must be one of them; ``queryset`` then only names the
    model. Without it, the choices are ``queryset``'s, as in django-filter."""

    class field_class(django_filters.fields.ModelChoiceField):  # noqa: N801 (Django's name)
        iterator = choices_read_at_once(django_filters.fields.ModelChoiceIterator)
        #: Set by the filter: the records offered (a function, read once when first asked).
        offered = None

        def to_python(self, value):
            if self.offered is None:
                return super().to_python(value)
            if value in self.empty_values:
                return None
            self.validate_no_null_characters(value)
            try:
                # As the database would take it for the record's id ("12", " 12").
                pk = self.queryset.model._meta.pk.to_python(value)
            except ValidationError:
                pk = None
            for record in self.offered():
                if pk is not None and record.pk == pk:
                    return record
            raise ValidationError(
                self.error_messages["invalid_choice"],
                code="invalid_choice",
                params={"value": value},
            )

    def __init__(self, *args, offered=None, **kwargs):
        self.offered = offered
        super().__init__(*args, **kwargs)

    @property
    def field(self):
        field = super().field
        if self.offered is not None and field.offered is None:
            request = self.get_request()
            field.offered = functools.cache(lambda: self.offered(request))
        return field


# --- The forms -----------------------------------------------------------------------------


def bound_fields(fields, model=None) -> None:
    """Give every field of a form the portal's limits (see the module's docstring);
    ``model``: a model form's model, whose integer columns bound its number fields."""
    for name, field in fields.items():
        if isinstance(field, forms.CharField):
            if isinstance(field.widget, forms.PasswordInput):
                continue
            # A hidden field carries what the portal wrote (a CSV file between its check
            # and its import), which may run over lines.
            multi_line = isinstance(field.widget, forms.Textarea | forms.HiddenInput)
            validator = ControlCharacterValidator(multi_line)
            if validator not in field.validators:
                field.validators.append(validator)
        elif isinstance(field, forms.IntegerField):
            column = (INTEGER_MIN, INTEGER_MAX)
            if model is not None:
                try:
                    model_field = model._meta.get_field(name)
                except FieldDoesNotExist:
                    model_field = None
                if isinstance(model_field, models.IntegerField):
                    column = column_range(model_field)
            _bound_integer_field(field, column)
        elif (
            isinstance(field, NhsukDateField | forms.DateField)
            and DateWindowValidator() not in field.validators
        ):
            field.validators.append(DateWindowValidator())
        elif isinstance(field, forms.ModelChoiceField):
            read_choices_at_once(field)


class BoundedInputMixin:
    """Mix into a form (before Django's class) to give its fields the portal's limits."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._bound_fields()

    def _bound_fields(self):
        meta = getattr(self, "_meta", None)
        bound_fields(self.fields, getattr(meta, "model", None))

    def full_clean(self):
        # Again, for fields a form adds after this __init__ (one per quality criterion...).
        self._bound_fields()
        super().full_clean()


class PortalForm(BoundedInputMixin, forms.Form):
    """The base of the portal's forms."""


class PortalModelForm(BoundedInputMixin, forms.ModelForm):
    """The base of the portal's model forms."""


class AreaChoiceMixin:
    """Mix into a form whose record belongs to one local area: the person's only area is
    used without asking; with several, they choose among theirs (a choice outside them is
    refused: Django's choice check against the queryset); working in none, the form
    refuses with a clear message.

    Call ``fit_area(areas)`` from ``__init__`` with the areas the person works in (a
    queryset of local areas: this module sits below the roles app). A model form lists
    ``area`` in its fields and gets its instance's area set; a plain form gets the field
    added, and reads the area with ``chosen_area()``."""

    area_label = "Local area"

    def fit_area(self, areas) -> None:
        listed = list(areas.order_by("name"))
        self.works_in_no_area = not listed
        self.only_area = listed[0] if len(listed) == 1 else None
        instance = getattr(self, "instance", None)
        if len(listed) > 1:
            field = self.fields.get("area")
            if field is None:
                field = self.fields["area"] = forms.ModelChoiceField(queryset=areas)
            field.queryset = areas.order_by("name")
            field.empty_label = None
            field.label = self.area_label
            field.error_messages.update(
                required="Choose the local area",
                invalid_choice="Choose one of the local areas you work in",
            )
            if instance is not None and instance.pk:
                field.initial = instance.area_id
        else:
            self.fields.pop("area", None)
            if self.only_area is not None and instance is not None and not instance.pk:
                instance.area = self.only_area

    def chosen_area(self):
        """The area chosen, or the person's only one (after validation)."""
        return self.cleaned_data.get("area") or self.only_area

    def clean(self):
        cleaned = super().clean()
        instance = getattr(self, "instance", None)
        if getattr(self, "works_in_no_area", False) and not (instance and instance.pk):
            raise ValidationError(
                "You do not work in a local area, so this cannot be added: ask an "
                "administrator to name your area on your role."
            )
        return cleaned
