"""Forms for series, moving and cancelling meetings, and chairing them."""

from __future__ import annotations

import datetime

from django import forms
from django.db.models import Q
from django.utils import timezone

from meetings import recurrence
from meetings.models import AgendaItem, Attendance, Meeting, MeetingSeries
from nhsuk_forms.fields import NhsukDateField
from nhsuk_forms.helpers import NhsukFormHelper
from roles.models import Role, RoleAssignment, User
from send_portal.forms import PortalForm, PortalModelForm


class SeriesForm(PortalModelForm):
    starts_on = NhsukDateField(label="First date the rule counts from")
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
        queryset=User.objects.filter(is_active=True),
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

    class Meta:
        model = MeetingSeries
        fields = [
            "name",
            "kind",
            "chair_role",
            "rrule",
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
            "rrule": "How often (iCalendar rule)",
            "duration_minutes": "Length in minutes",
            "quorum_minimum": "Core members needed for a quorum",
            "agenda_lock_hours": "Agenda closes this many hours before",
        }
        widgets = {"required_roles": forms.CheckboxSelectMultiple}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["required_roles"].label = "Roles that must be present"
        self.helper = NhsukFormHelper(self, submit_label="Save the series")

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

    def clean(self):
        cleaned = super().clean()
        rule, starts_on, start_time = (
            cleaned.get("rrule"),
            cleaned.get("starts_on"),
            cleaned.get("start_time"),
        )
        if rule and starts_on and start_time:
            try:
                recurrence.check_rule(rule, starts_on, start_time)
            except recurrence.RecurrenceError as error:
                self.add_error("rrule", str(error))
        ends_on = cleaned.get("ends_on")
        if ends_on and starts_on and ends_on < starts_on:
            self.add_error("ends_on", "The series cannot end before it starts.")
        roles = list(cleaned.get("member_roles") or [])
        if cleaned.get("chair_role"):
            roles.append(cleaned["chair_role"])
        members = (
            User.objects.filter(is_active=True)
            .filter(
                Q(pk__in=[u.pk for u in cleaned.get("member_users") or []])
                | Q(role_assignments__in=RoleAssignment.objects.current().filter(role__in=roles))
            )
            .distinct()
            .count()
        )
        minimum = cleaned.get("quorum_minimum") or 0
        if minimum > members:
            self.add_error(
                "quorum_minimum",
                f"The quorum ({minimum}) is larger than the {members} core members today: the "
                "meetings could never be quorate.",
            )
        return cleaned


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


class ItemRecordForm(PortalForm):
    minutes = forms.CharField(
        label="Minutes", required=False, widget=forms.Textarea(attrs={"rows": 5})
    )
    decision = forms.CharField(
        label="Decision", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    panel_decision = forms.CharField(
        label="Panel's decision on this case",
        required=False,
        max_length=AgendaItem._meta.get_field("panel_decision").max_length,
    )
    edit_count = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, item: AgendaItem, **kwargs):
        kwargs.setdefault("prefix", f"item-{item.pk}")
        super().__init__(*args, **kwargs)
        if item.assessment_id is None:
            del self.fields["panel_decision"]


class ActionForm(PortalForm):
    description = forms.CharField(
        label="Action",
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": "Describe the action"},
    )
    owner = forms.ModelChoiceField(
        label="Owner",
        queryset=User.objects.filter(is_active=True).order_by("full_name"),
        empty_label="Choose who owns it",
        error_messages={"required": "Choose who owns the action"},
    )
    due_on = NhsukDateField(label="Due date")
    agenda_item = forms.ModelChoiceField(
        label="Agenda item", queryset=AgendaItem.objects.none(), required=False
    )

    def __init__(self, *args, meeting: Meeting, **kwargs):
        kwargs.setdefault("prefix", "action")
        super().__init__(*args, **kwargs)
        self.fields["agenda_item"].queryset = meeting.agenda_items.all()
        self.helper = NhsukFormHelper(self, submit_label="Add the action")


class GuestForm(PortalForm):
    name = forms.CharField(
        label="Guest's name",
        max_length=Attendance._meta.get_field("guest_name").max_length,
        error_messages={"required": "Enter the name"},
    )
    organisation = forms.CharField(
        label="Organisation",
        required=False,
        max_length=Attendance._meta.get_field("guest_organisation").max_length,
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("prefix", "guest")
        super().__init__(*args, **kwargs)
        self.helper = NhsukFormHelper(self, submit_label="Add guest")


def attendance_choices():
    return [(s.value, s.label) for s in Attendance.Status if s != Attendance.Status.EXPECTED]


def default_action_due(meeting: Meeting) -> datetime.date:
    return timezone.localtime(meeting.starts_at).date() + datetime.timedelta(weeks=4)
