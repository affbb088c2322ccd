"""Forms of chairing a meeting: attendance, each item's minutes and decision, actions and
guests."""

from __future__ import annotations

import datetime

from django import forms
from django.utils import timezone

from meetings.models import AgendaItem, Attendance, Meeting
from nhsuk_forms.fields import NhsukDateField
from nhsuk_forms.helpers import NhsukFormHelper
from roles.models import User
from send_portal.forms import PortalForm


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
        queryset=User.objects.people().order_by("full_name"),
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


class _AttendanceRadios(forms.RadioSelect):
    """Radios whose ids name the answer ("attendance-12-present"), as the grid's labels
    and the browser journeys expect, rather than its position ("attendance-12_0")."""

    def create_option(self, name, value, label, selected, index, subindex=None, attrs=None):
        option = super().create_option(name, value, label, selected, index, subindex, attrs)
        if option["attrs"].get("id"):
            option["attrs"]["id"] = f"{name}-{value}"
        return option


class AttendanceForm(PortalForm):
    """Who is here: one question per row of the meeting's attendance ("attendance-12"),
    present, apologies or absent. A row left unanswered keeps what it had.

    The chair's page draws it as a grid, a row per person and a column per answer
    (``meetings/chair/attendance.html``): the NHS.UK radios template would draw a
    fieldset per person, a page's length for a panel of twenty.
    """

    def __init__(self, data=None, *, attendance: list[Attendance], **kwargs):
        super().__init__(data, auto_id="%s", **kwargs)
        self.attendance = attendance
        for row in attendance:
            self.fields[self.field_name(row)] = forms.ChoiceField(
                label=row.name,
                choices=attendance_choices(),
                required=False,
                initial=row.status,
                widget=_AttendanceRadios(attrs={"class": "nhsuk-radios__input"}),
                error_messages={
                    "invalid_choice": f"Choose present, apologies or absent for {row.name}"
                },
            )

    @property
    def answers(self) -> list[tuple[str, str]]:
        """The grid's columns."""
        return attendance_choices()

    @staticmethod
    def field_name(row: Attendance) -> str:
        return f"attendance-{row.pk}"

    def rows(self):
        """Each attendance row with its question, in the meeting's order."""
        return [(row, self[self.field_name(row)]) for row in self.attendance]

    def statuses(self) -> dict[int, str]:
        """The answers given, by attendance row: what ``services.record_attendance`` takes."""
        return {
            row.pk: self.cleaned_data[self.field_name(row)]
            for row in self.attendance
            if self.cleaned_data.get(self.field_name(row))
        }


def default_action_due(meeting: Meeting) -> datetime.date:
    return timezone.localtime(meeting.starts_at).date() + datetime.timedelta(weeks=4)
