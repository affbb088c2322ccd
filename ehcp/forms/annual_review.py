"""Forms and the list filter for annual reviews.

The forms check what a person can type wrong; whether a change is allowed (a meeting
before the plan was issued, a decision without a meeting) is decided by the services,
whose refusals the views put back on the form.
"""

from __future__ import annotations

import django_filters
from django import forms
from django.db.models import Q
from django.utils import timezone

from ehcp.forms.assessment import provider_organisations
from ehcp.models import AnnualReview, Need, ProviderService
from ehcp.selectors import REVIEWS_DUE_WITHIN
from nhsuk_forms.fields import NhsukDateField
from nhsuk_forms.helpers import NhsukFormHelper
from send_portal.forms import PortalForm

# Each form on the review page is told apart by the name of its button.
MEETING_BUTTON = "save-meeting"
DECISION_BUTTON = "save-decision"
AMENDED_PLAN_BUTTON = "save-amended-plan"


class ReviewMeetingForm(PortalForm):
    meeting_on = NhsukDateField(
        label="Date of the review meeting",
        help_text="For example, 14 3 2027. You can change it until the decision is recorded.",
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("prefix", "meeting")
        super().__init__(*args, **kwargs)
        self.helper = NhsukFormHelper(
            self, submit_label="Save meeting date", submit_name=MEETING_BUTTON
        )


class ReviewDecisionForm(PortalForm):
    decision = forms.ChoiceField(
        label="What did the council decide?",
        choices=AnnualReview.Decision.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose whether the plan is kept, amended or ceased"},
    )
    decided_on = NhsukDateField(
        label="Date of the decision", help_text="Due within 4 weeks of the meeting."
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("prefix", "decision")
        super().__init__(*args, **kwargs)
        self.helper = NhsukFormHelper(
            self, submit_label="Save decision", submit_name=DECISION_BUTTON
        )


class AmendedPlanFinalForm(PortalForm):
    final_on = NhsukDateField(
        label="Date the amended plan was made final",
        help_text="Due within 12 weeks of the meeting.",
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("prefix", "amended")
        super().__init__(*args, **kwargs)
        self.helper = NhsukFormHelper(
            self, submit_label="Save date", submit_name=AMENDED_PLAN_BUTTON
        )


class ReviewInputRequestForm(PortalForm):
    service = forms.ChoiceField(
        label="Health service",
        choices=[("", "Choose a service")] + list(ProviderService.choices),
        error_messages={"required": "Choose the health service"},
    )
    provider = forms.ModelChoiceField(
        label="Provider organisation",
        queryset=None,
        empty_label="Choose",
        error_messages={"required": "Choose the provider organisation"},
    )
    question = forms.CharField(
        label="What the review needs to know",
        required=False,
        help_text="For example, progress against the health outcomes in section G.",
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["provider"].queryset = provider_organisations()
        self.helper = NhsukFormHelper(self, submit_label="Request health input")


class AnnualReviewFilter(django_filters.FilterSet):
    """Filters for the annual reviews list: codes only, never personal data."""

    OVERDUE = "overdue"
    DUE_SOON = "due"
    AWAITING = "awaiting"
    STATUS_CHOICES = (
        (OVERDUE, "Review overdue"),
        (DUE_SOON, "Review due in the next 8 weeks"),
        (AWAITING, "Held: decision or amended plan outstanding"),
    )

    status = django_filters.ChoiceFilter(
        label="Status", choices=STATUS_CHOICES, method="filter_status", empty_label="Any"
    )
    need = django_filters.ChoiceFilter(
        label="Need",
        help_text="Primary or secondary need.",
        choices=Need.choices,
        method="filter_need",
        empty_label="Any need",
    )

    class Meta:
        model = AnnualReview
        fields = ["status", "need"]

    def filter_status(self, queryset, name, value):
        # Works on selectors.annual_reviews_outstanding(): a review is held once the day of
        # its meeting has come.
        today = timezone.localdate()
        not_held = Q(meeting_on__isnull=True) | Q(meeting_on__gt=today)
        if value == self.OVERDUE:
            return queryset.filter(not_held, due_on__lt=today)
        if value == self.DUE_SOON:
            return queryset.filter(
                not_held, due_on__gte=today, due_on__lte=today + REVIEWS_DUE_WITHIN
            )
        if value == self.AWAITING:
            return queryset.filter(meeting_on__lte=today)
        return queryset

    def filter_need(self, queryset, name, value):
        return queryset.filter(
            Q(plan__assessment__child__primary_need=value)
            | Q(plan__assessment__child__secondary_need=value)
        )
