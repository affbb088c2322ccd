"""Forms of chairing a meeting: each item's minutes and decision, actions and guests."""

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
