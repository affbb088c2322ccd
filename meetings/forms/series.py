"""Forms of a meeting series (its pattern chosen in words), and of moving or cancelling one
of its meetings."""

from __future__ import annotations

import datetime

from django import forms
from django.db.models import Q
from django.utils import timezone

from meetings import recurrence
from meetings.models import Meeting, MeetingSeries
from nhsuk_forms.fields import NhsukDateField
from nhsuk_forms.helpers import NhsukFormHelper
from roles.models import LocalArea, Role, RoleAssignment, User
from roles.selectors import areas_of
from send_portal.forms import AreaChoiceMixin, PortalForm, PortalModelForm


class SeriesForm(AreaChoiceMixin, PortalModelForm):
    """A series, its meetings' pattern chosen in words (kept as an RRULE underneath)."""

    frequency = forms.ChoiceField(
        label="How often does the series meet?",
        choices=[("WEEKLY", "Every so many weeks"), ("MONTHLY", "Every so many months")],
        widget=forms.RadioSelect,
        error_messages={
            "required": "Choose whether the series meets every so many weeks or months",
            "invalid_choice": "Choose weeks or months: meetings cannot repeat more often",
        },
    )
    interval = forms.IntegerField(
        label="How many weeks or months apart",
        help_text="1 for every week or month, 2 for every other, 3 for every third",
        min_value=1,
        max_value=max(recurrence.MAX_INTERVAL.values()),
        initial=1,
        widget=forms.NumberInput(attrs={"class": "nhsuk-input--width-2"}),
        error_messages={
            "required": "Enter how many weeks or months apart the meetings are",
            "invalid": "Enter a whole number of weeks or months, like 2",
            "min_value": "The meetings must be at least 1 week or month apart",
            "max_value": "The meetings can be at most "
            f"{recurrence.MAX_INTERVAL['WEEKLY']} weeks or "
            f"{recurrence.MAX_INTERVAL['MONTHLY']} months apart",
        },
    )
    monthly_on = forms.ChoiceField(
        label="For monthly meetings, which day of the month?",
        choices=[
            ("weekday", "A weekday of the month, for example the second Tuesday"),
            ("date", "A date, for example the 15th"),
        ],
        widget=forms.RadioSelect,
        required=False,
        initial="weekday",
    )
    ordinal = forms.TypedChoiceField(
        label="Which week of the month",
        choices=[(n, words.capitalize()) for n, words in recurrence.ORDINALS.items()],
        coerce=int,
        required=False,
        help_text="For monthly meetings on a weekday",
    )
    weekday = forms.TypedChoiceField(
        label="Day of the week",
        choices=list(enumerate(recurrence.WEEKDAY_NAMES)),
        coerce=int,
        required=False,
        help_text="For weekly meetings, and monthly ones on a weekday",
    )
    month_day = forms.IntegerField(
        label="Date of the month",
        help_text=f"For monthly meetings on a date: from 1 to {recurrence.LAST_SAFE_MONTH_DAY} "
        "(later dates are missing from some months; choose the last weekday instead)",
        min_value=1,
        max_value=recurrence.LAST_SAFE_MONTH_DAY,
        required=False,
        widget=forms.NumberInput(attrs={"class": "nhsuk-input--width-2"}),
        error_messages={
            "invalid": "Enter the date of the month as a number, like 15",
            "min_value": "Enter a date of the month from 1 to 28",
            "max_value": "Enter a date of the month from 1 to 28, or choose the last weekday",
        },
    )
    starts_on = NhsukDateField(label="First date the series counts from")
    ends_on = NhsukDateField(label="Last date of the series", required=False)
    start_time = forms.TimeField(
        label="Start time",
        help_text="24-hour clock, London time, for example 10:00",
        widget=forms.TimeInput(format="%H:%M", attrs={"class": "nhsuk-input--width-5"}),
    )
    member_roles = forms.ModelMultipleChoiceField(
        label="Core members by role",
        help_text="Whoever holds the role on the day is a member.",
        queryset=Role.objects.all(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    member_users = forms.ModelMultipleChoiceField(
        label="Core members by name",
        queryset=User.objects.people(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    online_link = forms.URLField(
        label="Online link", required=False, assume_scheme="https", max_length=200
    )
    reminder_days = forms.CharField(
        label="Remind members this many days before",
        help_text="Numbers separated by commas, for example 7, 1",
        initial="7, 1",
    )

    #: The answers the next dates depend on: the page's live preview reads only these, so
    #: a problem elsewhere (a name not typed yet) does not hide the dates.
    PATTERN_FIELDS = (
        "frequency",
        "interval",
        "monthly_on",
        "ordinal",
        "weekday",
        "month_day",
        "starts_on",
        "ends_on",
        "start_time",
    )
    field_order = ["area", "name", "kind", "chair_role", *PATTERN_FIELDS]

    class Meta:
        model = MeetingSeries
        fields = [
            "area",
            "name",
            "kind",
            "chair_role",
            "starts_on",
            "ends_on",
            "start_time",
            "duration_minutes",
            "place",
            "online_link",
            "quorum_minimum",
            "required_roles",
            "agenda_lock_hours",
        ]
        labels = {
            "duration_minutes": "Length in minutes",
            "quorum_minimum": "Core members needed for a quorum",
            "agenda_lock_hours": "Agenda closes this many hours before",
        }
        widgets = {"required_roles": forms.CheckboxSelectMultiple}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        # The series belongs to one of the areas the DCO works in.
        self.fit_area(LocalArea.objects.filter(pk__in=areas_of(user)))
        self.fields["required_roles"].label = "Roles that must be present"
        self.unreadable_rule = ""
        if self.instance.pk and not self.is_bound:
            # An existing series is shown in words: its rule read back into the pattern.
            pattern = recurrence.Pattern.from_rrule(self.instance.rrule)
            if pattern is not None:
                self.initial.update(
                    frequency=pattern.frequency,
                    interval=pattern.interval,
                    monthly_on="date" if pattern.month_day else "weekday",
                    ordinal=pattern.ordinal,
                    weekday=pattern.weekday,
                    month_day=pattern.month_day,
                )
            else:
                self.unreadable_rule = self.instance.rrule
        self.helper = NhsukFormHelper(
            self,
            submit_label="Save the series",
            secondary_label="Show the next dates",
            secondary_name="preview",
        )

    def clean_reminder_days(self):
        raw = self.cleaned_data["reminder_days"]
        try:
            days = sorted(
                {int(part) for part in raw.replace(" ", "").split(",") if part}, reverse=True
            )
        except ValueError:
            raise forms.ValidationError("Enter whole numbers of days, like 7, 1") from None
        if not days or any(d < 0 or d > 60 for d in days):
            raise forms.ValidationError("Enter days between 0 and 60, like 7, 1")
        return days

    def _pattern(self, cleaned) -> recurrence.Pattern | None:
        """The pattern chosen, with an error beside each missing part of it."""
        frequency, interval = cleaned.get("frequency"), cleaned.get("interval")
        if not frequency or not interval:
            return None
        unit = "weeks" if frequency == "WEEKLY" else "months"
        if interval > recurrence.MAX_INTERVAL[frequency]:
            self.add_error(
                "interval",
                f"Meetings can be at most {recurrence.MAX_INTERVAL[frequency]} {unit} apart",
            )
            return None
        if frequency == "MONTHLY" and cleaned.get("monthly_on") == "date":
            if cleaned.get("month_day") is None:
                if "month_day" not in self.errors:
                    self.add_error("month_day", "Enter the date of the month the series meets")
                return None
            return recurrence.Pattern(frequency, interval, month_day=cleaned["month_day"])
        weekday, ordinal = cleaned.get("weekday"), cleaned.get("ordinal")
        missing = False
        if frequency == "MONTHLY" and ordinal in (None, ""):
            self.add_error("ordinal", "Choose which week of the month the series meets")
            missing = True
        if weekday in (None, ""):
            self.add_error("weekday", "Choose the day of the week the series meets")
            missing = True
        if missing:
            return None
        if frequency == "WEEKLY":
            return recurrence.Pattern(frequency, interval, weekday=weekday)
        return recurrence.Pattern(frequency, interval, weekday=weekday, ordinal=ordinal)

    def member_count(self, cleaned) -> int:
        roles = list(cleaned.get("member_roles") or [])
        if cleaned.get("chair_role"):
            roles.append(cleaned["chair_role"])
        # Members by a role are those holding it in the series' area (meetings.selectors).
        area = cleaned.get("area")
        area_id = area.pk if area is not None else self.instance.area_id
        held = RoleAssignment.objects.current().filter(role__in=roles)
        if area_id is not None:
            held = held.filter(
                Q(areas=area_id)
                | Q(every_area_of_icb__areas=area_id, every_area_of_icb__areas__is_active=True)
            )
        return (
            User.objects.people()
            .filter(
                Q(pk__in=[u.pk for u in cleaned.get("member_users") or []])
                | Q(role_assignments__in=held.values("pk"))
            )
            .distinct()
            .count()
        )

    def clean(self):
        from meetings import services

        cleaned = super().clean()
        # The area chosen, or the series' own (a new one's is the person's only area).
        area = cleaned.get("area") or (self.instance.area if self.instance.area_id else None)
        if cleaned.get("name") and area is not None:
            named = MeetingSeries(pk=self.instance.pk, area=area, name=cleaned["name"])
            try:
                services.check_series_name(named)
            except services.SeriesRefused as refusal:
                self.add_error(refusal.field, str(refusal))
        # An answer to a question that does not apply to the pattern chosen (hidden on the
        # page) is ignored, its error too: the person cannot see it to put it right.
        monthly = cleaned.get("frequency") == "MONTHLY"
        on_date = monthly and cleaned.get("monthly_on") == "date"
        for name, applies in (
            ("monthly_on", monthly),
            ("ordinal", monthly and not on_date),
            ("weekday", not on_date),
            ("month_day", on_date),
        ):
            if not applies:
                self.errors.pop(name, None)
                cleaned[name] = None
        pattern = self._pattern(cleaned)
        if pattern is not None:
            cleaned["rrule"] = self.instance.rrule = pattern.to_rrule()
            cleaned["pattern"] = pattern
        starts_on, start_time = cleaned.get("starts_on"), cleaned.get("start_time")
        if not starts_on or not start_time:
            return cleaned
        # The service holds the rules of a series (its rule's bounds, its dates, its quorum):
        # the form only says which answer each refusal belongs beside.
        try:
            services.check_series(
                MeetingSeries(
                    rrule=cleaned.get("rrule", ""),
                    starts_on=starts_on,
                    ends_on=cleaned.get("ends_on"),
                    start_time=start_time,
                    quorum_minimum=cleaned.get("quorum_minimum") or 0,
                ),
                member_count=self.member_count(cleaned),
            )
        except services.SeriesRefused as refusal:
            self.add_error(refusal.field, str(refusal))
        return cleaned

    def next_dates(self) -> list[datetime.datetime]:
        """The first meetings the chosen pattern makes, to show before saving."""
        data = self.cleaned_data
        return [
            recurrence.local_start(day, data["start_time"])
            for day in recurrence.next_dates(
                data["rrule"], data["starts_on"], data["start_time"], ends_on=data.get("ends_on")
            )
        ]


class MoveForm(PortalForm):
    day = NhsukDateField(label="New date")
    time = forms.TimeField(
        label="New start time",
        help_text="24-hour clock, London time, for example 14:00",
        widget=forms.TimeInput(format="%H:%M", attrs={"class": "nhsuk-input--width-5"}),
    )
    place = forms.CharField(
        label="Place", required=False, max_length=Meeting._meta.get_field("place").max_length
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = NhsukFormHelper(self, submit_label="Move the meeting")

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("day") and cleaned.get("time"):
            starts_at = recurrence.local_start(cleaned["day"], cleaned["time"])
            if starts_at <= timezone.now():
                self.add_error("day", "The new date and time must be in the future.")
            cleaned["starts_at"] = starts_at
        return cleaned


class CancelForm(PortalForm):
    reason = forms.CharField(
        label="Why is the meeting cancelled?",
        help_text="Members are told this reason.",
        max_length=Meeting._meta.get_field("cancelled_reason").max_length,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Say why the meeting is cancelled"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = NhsukFormHelper(self, submit_label="Cancel the meeting")
