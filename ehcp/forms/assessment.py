"""Forms for children, their EHC needs assessments (dates and clock exceptions), and the
health advice asked for them.

Each form checks what a person can get wrong and says how to put it right;
the rules about *whether* a change is allowed live in ehcp/services.py.
"""

from __future__ import annotations

import datetime

from dateutil.relativedelta import relativedelta
from django import forms
from django.utils import timezone

from ehcp import statutory
from ehcp.models import (
    Assessment,
    Child,
    ClockException,
    Need,
    ProviderService,
)
from nhsuk_forms.fields import NhsukDateField
from nhsuk_forms.helpers import NhsukFormHelper
from roles.models import LocalArea, Organisation
from roles.selectors import areas_of
from send_portal.forms import PortalForm, PortalModelForm

OLDEST_AGE = 25  # EHC plans cover children and young people from 0 to 25


def _not_in_future(value: datetime.date, what: str) -> datetime.date:
    if value > timezone.localdate():
        raise forms.ValidationError(f"{what} must be today or in the past.")
    return value


class ChildForm(PortalModelForm):
    date_of_birth = NhsukDateField(label="Date of birth", help_text="For example, 27 3 2017")
    nhs_number = forms.CharField(
        label="NHS number",
        required=False,
        help_text="10 digits, for example 485 777 3456. Leave empty if you do not know it.",
        widget=forms.TextInput(attrs={"class": "nhsuk-input--width-10", "inputmode": "numeric"}),
    )

    class Meta:
        model = Child
        fields = [
            "area",
            "first_name",
            "last_name",
            "date_of_birth",
            "nhs_number",
            "school_or_setting",
            "primary_need",
            "secondary_need",
        ]
        labels = {
            "area": "Local area",
            "primary_need": "Primary need",
            "secondary_need": "Secondary need",
        }
        help_texts = {"primary_need": "The SEN2 category of the main need."}
        error_messages = {
            "first_name": {"required": "Enter the first name"},
            "last_name": {"required": "Enter the last name"},
            "primary_need": {"required": "Choose the primary need"},
            "area": {
                "required": "Choose the local area the child belongs to",
                "invalid_choice": "Choose one of the local areas you work in",
            },
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["secondary_need"].choices = [("", "None")] + list(Need.choices)
        # The child belongs to one of the areas the person works in: the only one, without
        # asking, or the one they choose (a choice outside their areas is refused).
        areas = list(LocalArea.objects.filter(pk__in=areas_of(user)).order_by("name"))
        self.works_in_no_area = not areas
        if len(areas) > 1:
            self.fields["area"].queryset = LocalArea.objects.filter(pk__in=[a.pk for a in areas])
            self.fields["area"].empty_label = None
            self.fields["area"].initial = self.instance.area_id if self.instance.pk else None
        else:
            del self.fields["area"]
            if areas and not self.instance.pk:
                self.instance.area = areas[0]
        self.helper = NhsukFormHelper(self, submit_label="Save child's details")

    def clean_date_of_birth(self):
        born = _not_in_future(self.cleaned_data["date_of_birth"], "The date of birth")
        if born <= timezone.localdate() - relativedelta(years=OLDEST_AGE + 1):
            raise forms.ValidationError(
                "EHC plans are for children and young people up to 25: check the date of birth."
            )
        return born

    def clean_nhs_number(self):
        try:
            digits = statutory.nhs_number_digits(self.cleaned_data["nhs_number"])
        except statutory.InvalidNhsNumber as problem:
            raise forms.ValidationError(str(problem)) from None
        if not digits:
            return None
        if Child.objects.filter(nhs_number=digits).exclude(pk=self.instance.pk).exists():
            # Coded, so the API answers it as a conflict (409) rather than a bad request.
            raise forms.ValidationError(
                "Another child already has this NHS number.", code="duplicate"
            )
        return digits

    def clean(self):
        cleaned = super().clean()
        if self.works_in_no_area:
            raise forms.ValidationError(
                "You do not work in a local area, so a child cannot be added: ask an "
                "administrator to name your area on your role."
            )
        if cleaned.get("secondary_need") and cleaned.get("secondary_need") == cleaned.get(
            "primary_need"
        ):
            self.add_error("secondary_need", "The secondary need must differ from the primary.")
        return cleaned


class AssessmentForm(PortalForm):
    requested_on = NhsukDateField(
        label="Date the council received the request for assessment",
        help_text="The statutory clock starts on this date.",
    )
    council_reference = forms.CharField(
        label="Council case reference",
        required=False,
        max_length=Assessment._meta.get_field("council_reference").max_length,
        widget=forms.TextInput(attrs={"class": "nhsuk-input--width-10"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = NhsukFormHelper(self, submit_label="Start the assessment")

    def clean_requested_on(self):
        return _not_in_future(self.cleaned_data["requested_on"], "The date of the request")


class AssessmentDatesForm(PortalModelForm):
    """The council's milestones, as they happen."""

    decided_on = NhsukDateField(label="Date of the decision", required=False)
    draft_issued_on = NhsukDateField(label="Date the draft plan was sent", required=False)
    final_issued_on = NhsukDateField(label="Date the final plan was issued", required=False)

    class Meta:
        model = Assessment
        fields = ["decision", "decided_on", "draft_issued_on", "final_issued_on"]
        labels = {"decision": "Decision whether to assess"}
        widgets = {"decision": forms.RadioSelect}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["decision"].choices = list(Assessment.Decision.choices)
        self.helper = NhsukFormHelper(self, submit_label="Save dates")

    def clean(self):
        cleaned = super().clean()
        requested_on = self.instance.requested_on
        for name in ("decided_on", "draft_issued_on", "final_issued_on"):
            value = cleaned.get(name)
            if value and value > timezone.localdate():
                self.add_error(name, "This date must be today or in the past.")
            elif value and value < requested_on:
                self.add_error(name, "This date cannot be before the request for assessment.")
        if cleaned.get("decision") and not cleaned.get("decided_on"):
            self.add_error("decided_on", "Enter the date of the decision")
        if cleaned.get("decided_on") and not cleaned.get("decision"):
            self.add_error("decision", "Choose the decision")
        draft, final = cleaned.get("draft_issued_on"), cleaned.get("final_issued_on")
        if draft and final and final < draft:
            self.add_error("final_issued_on", "The final plan cannot be issued before the draft.")
        return cleaned


def _exception_choices():
    groups = [
        (ClockException.AppliesTo.HEALTH_ADVICE, statutory.HealthAdviceException),
        (ClockException.AppliesTo.TWENTY_WEEKS, statutory.TwentyWeekException),
    ]
    return [
        (f"{applies}|{value}", label) for applies, enum in groups for value, label in enum.choices
    ]


class ClockExceptionForm(PortalForm):
    reason = forms.ChoiceField(
        label="Which exception applies?",
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the exception that applies"},
    )
    applies_from = NhsukDateField(label="Date it began to apply")
    note = forms.CharField(
        label="What happened",
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Do not write the child's name: say what happened and for how long.",
        error_messages={"required": "Say what happened"},
    )

    def __init__(self, *args, advice_requests=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reason"].choices = _exception_choices()
        self.fields["advice_request"] = forms.ModelChoiceField(
            label="Health advice it affects",
            queryset=advice_requests,
            required=False,
            help_text="For a health advice exception: the request it delays.",
        )
        self.helper = NhsukFormHelper(self, submit_label="Record the exception")

    def clean(self):
        cleaned = super().clean()
        reason = cleaned.get("reason")
        if reason:
            applies_to, value = reason.split("|", 1)
            cleaned["applies_to"], cleaned["reason_code"] = applies_to, value
        if cleaned.get("applies_from"):
            _not_in_future(cleaned["applies_from"], "The date")
        return cleaned


def provider_organisations():
    return Organisation.objects.filter(
        is_active=True,
        kind__in=[
            Organisation.Kind.NHS_TRUST,
            Organisation.Kind.ZERO_TO_NINETEEN,
            Organisation.Kind.OTHER_PROVIDER,
        ],
    )


class AdviceRequestForm(PortalForm):
    service = forms.ChoiceField(
        label="Health service", choices=[("", "Choose a service")] + list(ProviderService.choices)
    )
    provider = forms.ModelChoiceField(
        label="Provider organisation", queryset=Organisation.objects.none(), empty_label="Choose"
    )
    requested_on = NhsukDateField(label="Date the advice was requested")
    question = forms.CharField(
        label="What the council needs to know",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("initial", {}).setdefault("requested_on", timezone.localdate())
        super().__init__(*args, **kwargs)
        self.fields["provider"].queryset = provider_organisations()
        self.helper = NhsukFormHelper(self, submit_label="Request health advice")

    def clean_requested_on(self):
        return _not_in_future(self.cleaned_data["requested_on"], "The date of the request")


class AdviceForm(PortalForm):
    advice = forms.CharField(
        label="Health advice",
        widget=forms.Textarea(attrs={"rows": 14}),
        help_text=(
            "Describe the child's or young person's health needs that relate to their special "
            "educational needs, their strengths, the outcomes you recommend and the provision "
            "needed: who, what, how often and for how long. Use plain language."
        ),
        error_messages={"required": "Write the health advice"},
    )
    no_health_needs = forms.BooleanField(
        label="The child or young person has no health needs related to their SEN",
        required=False,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = NhsukFormHelper(self, submit_label="Submit advice")
