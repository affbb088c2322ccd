"""Forms for referrals, triage, appointments, notes, outcomes and support offers.

Forms check what a person can get wrong; whether a change is allowed is decided in
clinics/services.py.
"""

from __future__ import annotations

import datetime

from django import forms
from django.db.models import Q
from django.utils import timezone

from clinics.models import Appointment, Outcome, Referral, ReferralSource, SupportOffer
from ehcp.selectors import children_visible_to
from nhsuk_forms.fields import NhsukDateField
from nhsuk_forms.helpers import NhsukFormHelper
from roles.models import RoleAssignment, RoleCode, User
from roles.selectors import areas_of
from send_portal.forms import PortalForm


def _children(user):
    # A referral or appointment takes its child's area (Referral.save): the children offered
    # are those of the areas the person works in.
    return (
        children_visible_to(user)
        .filter(area_id__in=areas_of(user))
        .order_by("last_name", "first_name", "pk")
    )


class ChildChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return f"{obj.full_name} (born {obj.date_of_birth:%d %b %Y})"


class ReferralForm(PortalForm):
    child = ChildChoiceField(queryset=None, label="Child", empty_label="Choose a child")
    received_on = NhsukDateField(label="Date the referral was received")
    source = forms.ChoiceField(
        label="Who referred the child", choices=ReferralSource.choices, widget=forms.RadioSelect
    )
    referrer_name = forms.CharField(label="Name of the referrer", max_length=200)
    reason = forms.CharField(label="Reason for referral", widget=forms.Textarea(attrs={"rows": 4}))
    consent_recorded = forms.BooleanField(
        label="The family consented to the referral", required=False
    )
    family_email = forms.EmailField(
        label="Family contact email",
        required=False,
        max_length=Referral._meta.get_field("family_email").max_length,
        help_text="Only for appointment letters and reminders.",
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["child"].queryset = _children(user)
        self.helper = NhsukFormHelper(self, submit_label="Add the referral")


class TriageForm(PortalForm):
    decision = forms.ChoiceField(
        label="Triage decision",
        choices=[
            ("accept", "Accept onto the waiting list"),
            ("signpost", "Signpost elsewhere"),
            ("more-information", "Ask for more information"),
        ],
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label="Note",
        required=False,
        help_text="Where the family was signposted, or what information is needed.",
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = NhsukFormHelper(self, submit_label="Save the triage decision")


def _clinicians(user):
    """The DMOs and Clinical Leads working in the person's areas (the clinic of one area
    books its own clinicians; the DMO of two areas is offered in both)."""
    areas = sorted(areas_of(user))
    held_here = (
        RoleAssignment.objects.current()
        .filter(role__code__in=[RoleCode.DMO, RoleCode.CLINICAL_LEAD])
        .filter(
            Q(areas__in=areas)
            | Q(every_area_of_icb__areas__in=areas, every_area_of_icb__areas__is_active=True)
        )
    )
    return (
        User.objects.filter(is_active=True, role_assignments__in=held_here.values("pk"))
        .distinct()
        .order_by("full_name", "pk")
    )


class ClinicianChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj) -> str:
        return obj.display_name


class AppointmentForm(PortalForm):
    child = ChildChoiceField(queryset=None, label="Child", empty_label="Choose a child")
    day = NhsukDateField(label="Date of the appointment")
    time = forms.TimeField(
        label="Start time",
        help_text="24-hour clock, for example 14:30",
        widget=forms.TimeInput(attrs={"class": "nhsuk-input--width-5"}, format="%H:%M"),
    )
    minutes = forms.IntegerField(
        label="Length in minutes",
        min_value=5,
        max_value=480,
        initial=60,
        widget=forms.NumberInput(attrs={"class": "nhsuk-input--width-3"}),
    )
    clinicians = ClinicianChoiceField(
        queryset=None, label="Clinicians", widget=forms.CheckboxSelectMultiple
    )
    location = forms.CharField(label="Where", max_length=200, required=False)
    family_email = forms.EmailField(
        label="Family contact email",
        required=False,
        max_length=Appointment._meta.get_field("family_email").max_length,
        help_text="For the reminder email.",
    )

    def __init__(self, *args, user, referral=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["clinicians"].queryset = _clinicians(user)
        if referral is not None:
            del self.fields["child"]
            del self.fields["family_email"]
        else:
            self.fields["child"].queryset = _children(user)
        self.helper = NhsukFormHelper(self, submit_label="Book the appointment")

    def starts_at(self) -> datetime.datetime:
        naive = datetime.datetime.combine(self.cleaned_data["day"], self.cleaned_data["time"])
        return timezone.make_aware(naive)


class AttendanceForm(PortalForm):
    status = forms.ChoiceField(
        label="What happened",
        choices=[
            (Appointment.Status.ATTENDED, "Attended"),
            (Appointment.Status.DID_NOT_ATTEND, "Did not attend"),
            (Appointment.Status.CANCELLED, "Cancelled"),
        ],
        widget=forms.RadioSelect,
    )
    on = NhsukDateField(
        label="Date", required=False, help_text="The date the family attended or did not attend."
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = NhsukFormHelper(self, submit_label="Save")


class NotesForm(PortalForm):
    clinical_notes = forms.CharField(
        label="Clinical notes", required=False, widget=forms.Textarea(attrs={"rows": 10})
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = NhsukFormHelper(self, submit_label="Save the notes")


class OutcomeForm(PortalForm):
    outcome = forms.ChoiceField(label="Outcome", choices=Outcome.choices, widget=forms.RadioSelect)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = NhsukFormHelper(self, submit_label="Record the outcome")


class SupportOfferForm(PortalForm):
    kind = forms.ChoiceField(
        label="What was offered", choices=SupportOffer.Kind.choices, widget=forms.RadioSelect
    )
    offered_on = NhsukDateField(label="Date offered")
    due_on = NhsukDateField(label="Date of the session or review", required=False)
    taken_up = forms.ChoiceField(
        label="Taken up", choices=SupportOffer.TakenUp.choices, required=False
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = NhsukFormHelper(self, submit_label="Add to the support plan")


class TakeUpForm(PortalForm):
    taken_up = forms.ChoiceField(
        label="Taken up", choices=SupportOffer.TakenUp.choices, required=False
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = NhsukFormHelper(self, submit_label="Save")
