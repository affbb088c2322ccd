"""Forms for logging, importing, escalating and answering concerns."""

from __future__ import annotations

import datetime

from django import forms
from django.urls import reverse_lazy
from django.utils import timezone

from ehcp.forms import provider_organisations
from intelligence import importing, periods
from intelligence.anonymity import MAX_TEXT_LENGTH
from intelligence.models import SERVICE_CHOICES, ConcernSource, Theme
from intelligence.selectors import active_themes
from nhsuk_forms.fields import NhsukDateField
from nhsuk_forms.helpers import NhsukFormHelper, NhsukSubmit
from roles.models import LocalArea
from roles.selectors import areas_of
from send_portal.forms import AreaChoiceMixin, PortalForm, PortalModelForm

NO_NAMES = "Do not write names, NHS numbers or dates of birth: these records are shared widely."


def my_areas(user):
    return LocalArea.objects.filter(pk__in=areas_of(user))


class ConcernForm(AreaChoiceMixin, PortalForm):
    """A concern, in the area it was raised in: the person's only one, or one of theirs."""

    raised_on = NhsukDateField(label="Date it was raised")
    source = forms.ChoiceField(label="Where it was raised", choices=ConcernSource.choices)
    service = forms.ChoiceField(
        label="Service concerned",
        choices=[("", "Not about one service"), *SERVICE_CHOICES],
        required=False,
    )
    provider = forms.ModelChoiceField(
        label="Provider organisation", queryset=None, required=False, empty_label="None"
    )
    themes = forms.ModelMultipleChoiceField(
        label="Themes",
        queryset=Theme.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Choose at least one theme"},
    )
    summary = forms.CharField(
        label="What was raised",
        help_text=NO_NAMES,
        max_length=MAX_TEXT_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": "Write what was raised"},
    )
    families = forms.IntegerField(
        label="How many families does it represent?",
        min_value=1,
        initial=1,
        widget=forms.NumberInput(attrs={"class": "nhsuk-input--width-4"}),
    )

    def __init__(self, *args, user, **kwargs):
        kwargs.setdefault("initial", {}).setdefault("raised_on", timezone.localdate())
        super().__init__(*args, **kwargs)
        self.fit_area(my_areas(user))
        self.fields["themes"].queryset = active_themes()
        self.fields["provider"].queryset = provider_organisations()
        self.helper = NhsukFormHelper(
            self, submit_label="Save and add another", secondary_label="Save", secondary_name="save"
        )


class ImportForm(AreaChoiceMixin, PortalForm):
    """A CSV file of concerns, all raised in one area (the person's only one, or a choice)."""

    file = forms.FileField(
        label="CSV file of concerns",
        help_text="Columns: raised_on, source, service, themes, summary, families. Themes by "
        "name, separated by semicolons.",
        error_messages={"required": "Choose a CSV file"},
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fit_area(my_areas(user))
        self.helper = NhsukFormHelper(self, submit_label="Check the file")
        self.helper.form_enctype = "multipart/form-data"
        self.helper.attrs = {"enctype": "multipart/form-data"}

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > 2 * 1024 * 1024:
            raise forms.ValidationError("The file must be smaller than 2 MB.")
        if not (upload.name or "").lower().endswith((".csv", ".txt")):
            raise forms.ValidationError("The selected file must be a CSV file (.csv).")
        try:
            text = upload.read().decode("utf-8-sig")
        except UnicodeDecodeError:
            raise forms.ValidationError("Save the file as CSV (UTF-8) and try again.") from None
        if importing.NOT_TEXT.search(text):
            raise forms.ValidationError(importing.NOT_TEXT_MESSAGE)
        return text


class ImportAreaForm(AreaChoiceMixin, PortalForm):
    """The area of the concerns being imported, as chosen with the file (confirming)."""

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fit_area(my_areas(user))


class EscalateForm(AreaChoiceMixin, PortalForm):
    """A question to the commissioners. About a concern, it is the concern's area's; about
    a theme (shared across the ICB), the person's area: their only one, or a choice."""

    question = forms.CharField(
        label="Question for the commissioners",
        help_text=NO_NAMES,
        max_length=MAX_TEXT_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": "Write the question"},
    )

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        if user is not None:
            self.fit_area(my_areas(user))
        self.helper = NhsukFormHelper(self, submit_label="Escalate to commissioners")


class AnswerForm(PortalForm):
    response = forms.CharField(
        label="The commissioners' response",
        max_length=MAX_TEXT_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": "Write the response"},
    )
    action = forms.CharField(
        label="What will be done",
        required=False,
        max_length=MAX_TEXT_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = NhsukFormHelper(self, submit_label="Send the response")


class OutcomeForm(PortalForm):
    meeting = forms.ModelChoiceField(label="Meeting", queryset=None, empty_label="Choose")
    outcome = forms.CharField(
        label="What the meeting decided",
        max_length=MAX_TEXT_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=NO_NAMES,
    )

    def __init__(self, *args, meetings=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["meeting"].queryset = meetings
        self.helper = NhsukFormHelper(self, submit_label="Record the outcome")


class ConcernMeetingForm(PortalForm):
    """Puts a concern on an intelligence-sharing meeting's list, from the concern's page.

    ``meetings``: every meeting the concern may go on, which a post is checked against;
    ``offered``: the meetings the page lists (the next two dozen), read once already.
    """

    meeting = forms.ModelChoiceField(
        label="Put on an intelligence-sharing meeting's list",
        queryset=None,
        empty_label=None,
        error_messages={"invalid_choice": "Choose a meeting from the list"},
    )

    def __init__(self, *args, meetings, concern, offered=None, **kwargs):
        kwargs.setdefault("auto_id", "attach-%s")
        kwargs.setdefault("initial", {"meeting": concern.meeting_id})
        super().__init__(*args, **kwargs)
        self.fields["meeting"].queryset = meetings
        if offered is not None:
            # Drawn from the list the view has read, not by querying the meetings again.
            self.fields["meeting"].widget.choices = [(m.pk, str(m)) for m in offered]
        self.helper = NhsukFormHelper(
            self,
            submit_label=None,
            form_action=reverse_lazy("intelligence:concern-attach", args=[concern.pk]),
        )
        self.helper.form_class = "nhsuk-u-margin-bottom-5"
        self.helper.add_input(NhsukSubmit("submit", "Add to the meeting's list", secondary=True))


class MergeForm(PortalForm):
    into = forms.ModelChoiceField(label="Merge into", queryset=None, empty_label="Choose a theme")

    def __init__(self, *args, theme: Theme, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["into"].queryset = active_themes().exclude(pk=theme.pk)
        self.helper = NhsukFormHelper(self, submit_label="Merge the themes")


class ThemeForm(PortalModelForm):
    class Meta:
        model = Theme
        fields = ["name", "description"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = NhsukFormHelper(self, submit_label="Add the theme")


class ReportPeriodForm(PortalForm):
    """The report's period, as NHS.UK date inputs, and what it is compared with.

    The period's own rules (the earliest and latest day, at most 5 years) are
    ``intelligence.periods.checked_period``; this form says which box is wrong. The
    report's links carry the period as ISO dates (``start=2026-07-01``): those fill the
    boxes as if typed.
    """

    start = NhsukDateField(label="From", error_label="the start of the period")
    end = NhsukDateField(label="To", error_label="the end of the period")
    compare = forms.ChoiceField(
        label="Compare with",
        choices=list(periods.COMPARISONS.items()),
        widget=forms.RadioSelect,
        error_messages={
            "required": "Choose what to compare the period with",
            "invalid_choice": "Choose what to compare the period with",
        },
    )

    PERIOD_FIELDS = ("start", "end")

    def __init__(self, data=None, files=None, *, today=None, **kwargs):
        if data is not None:
            data = data.copy()
            # Links that do not say what to compare with compare with the period before.
            data.setdefault("compare", periods.COMPARE_BEFORE)
            for name in self.PERIOD_FIELDS:
                iso = (data.get(name) or "").strip()
                if iso and not any(data.get(f"{name}_{part}") for part in ("day", "month", "year")):
                    try:
                        day = datetime.date.fromisoformat(iso)
                    except ValueError:
                        continue  # left empty: "Enter the start of the period"
                    data[f"{name}_day"], data[f"{name}_month"] = str(day.day), str(day.month)
                    data[f"{name}_year"] = str(day.year)
        super().__init__(data, files, **kwargs)
        self.today = today or timezone.localdate()
        self.helper = NhsukFormHelper(self, submit_label="Show the report", form_method="get")

    @classmethod
    def asks_for_a_period(cls, params) -> bool:
        return any(
            (params.get(key) or "").strip()
            for name in cls.PERIOD_FIELDS
            for key in (name, f"{name}_day", f"{name}_month", f"{name}_year")
        )

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start"), cleaned.get("end")
        if start and end:
            try:
                cleaned["period"] = periods.checked_period(start, end, self.today)
            except periods.BadPeriod as refusal:
                self.add_error(
                    "start" if start < periods.EARLIEST_REPORT_DAY else "end", str(refusal)
                )
        return cleaned


def _iso_date_field(which: str, example: str) -> forms.DateField:
    return forms.DateField(
        widget=forms.HiddenInput,
        required=False,
        input_formats=["%Y-%m-%d"],
        error_messages={"invalid": f"The {which} date must be a real date, for example {example}."},
    )


class GovernancePackForm(PortalForm):
    """Asks for the PDF governance pack of the period the report shows.

    The period is the report's own, carried as ISO dates in hidden fields (no one types
    them, but anyone can post anything): without them, the last full quarter, as the
    report itself; the period's rules are ``intelligence.periods.checked_period``.
    """

    start = _iso_date_field("start", "2026-07-01")
    end = _iso_date_field("end", "2026-09-30")
    area = forms.TypedChoiceField(
        label="Which areas",
        coerce=int,
        empty_value=None,
        required=False,
        error_messages={"invalid_choice": "Choose one of the local areas you work in."},
    )

    def __init__(self, data=None, files=None, *, today=None, areas=(), **kwargs):
        """``areas``: (id, name) of the local areas the asker works in; with more than one,
        they choose one area's pack or all of theirs."""
        super().__init__(data, files, **kwargs)
        self.today = today or timezone.localdate()
        self.fields["area"].choices = [("", "All your local areas"), *areas]
        if len(areas) < 2:
            self.fields["area"].widget = forms.HiddenInput()
        self.helper = NhsukFormHelper(
            self,
            submit_label="Make the governance pack (PDF)",
            form_action=reverse_lazy("intelligence:pack-start"),
        )

    def clean(self):
        cleaned = super().clean()
        if self.errors:
            return cleaned
        quarter = periods.last_full_quarter(self.today)
        start, end = cleaned.get("start") or quarter.start, cleaned.get("end") or quarter.end
        if not cleaned.get("start") and not cleaned.get("end"):
            cleaned["period"] = quarter
            return cleaned
        try:
            cleaned["period"] = periods.checked_period(start, end, self.today)
        except periods.BadPeriod as refusal:
            raise forms.ValidationError(str(refusal)) from None
        return cleaned

    def problem(self) -> str:
        """The first thing wrong, for the report's error summary."""
        return next(error for errors in self.errors.values() for error in errors)
