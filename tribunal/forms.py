"""Forms for appeals, evidence, witnesses, recommendations and health's response.

Forms check what a person can get wrong; whether a change is allowed is decided in
tribunal/services.py (the response form shows the services' rule on reasons).
"""

from __future__ import annotations

from django import forms

from ehcp.forms import provider_organisations
from ehcp.selectors import children_visible_to
from nhsuk_forms.fields import NhsukDateField, needed_when
from nhsuk_forms.helpers import NhsukFormHelper
from roles.models import Organisation
from send_portal.forms import PortalForm
from tribunal import services
from tribunal.models import Appeal, DecisionAppealed, Recommendation, Witness

TEXT_LIMIT = 10_000  # a long report's worth; anything longer is pasted by mistake


class ChildChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return f"{obj.full_name} (born {obj.date_of_birth:%d %b %Y})"


def _long_text(label: str, rows: int = 5, **kwargs) -> forms.CharField:
    return forms.CharField(
        label=label,
        max_length=TEXT_LIMIT,
        widget=forms.Textarea(attrs={"rows": rows}),
        **kwargs,
    )


class AppealForm(PortalForm):
    child = ChildChoiceField(queryset=None, label="Child", empty_label="Choose a child")
    decision_appealed = forms.ChoiceField(
        label="Decision appealed", choices=DecisionAppealed.choices, widget=forms.RadioSelect
    )
    registered_on = NhsukDateField(label="Date the Tribunal registered the appeal")
    tribunal_reference = forms.CharField(
        label="The Tribunal's reference",
        max_length=Appeal._meta.get_field("tribunal_reference").max_length,
        help_text="As on the Tribunal's letters, for example EH123/26/00001.",
    )
    hearing_on = NhsukDateField(label="Hearing date", required=False)
    health_issues = _long_text("Health issues the appeal raises")

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["child"].queryset = children_visible_to(user).order_by(
            "last_name", "first_name", "pk"
        )
        self.helper = NhsukFormHelper(self, submit_label="Record the appeal")


class EvidenceRequestForm(PortalForm):
    provider = forms.ModelChoiceField(
        queryset=Organisation.objects.none(),
        label="Provider asked",
        empty_label="Choose a provider",
    )
    asked = _long_text("What the Tribunal asks for")
    due_on = NhsukDateField(label="Due by", help_text="The date the Tribunal set.")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["provider"].queryset = provider_organisations().order_by("name")
        self.helper = NhsukFormHelper(self, submit_label="Ask for the evidence")


class EvidenceForm(PortalForm):
    evidence = _long_text("Your evidence for the Tribunal", rows=12)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = NhsukFormHelper(self, submit_label="Save the evidence")


class DateDoneForm(PortalForm):
    """One date: when evidence or a response was sent, a witness confirmed, a decision made."""

    on = NhsukDateField(label="Date")

    def __init__(self, *args, label: str = "Date", submit_label: str = "Save", **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["on"].label = label
        self.helper = NhsukFormHelper(self, submit_label=submit_label)


class WitnessForm(PortalForm):
    name = forms.CharField(label="Name", max_length=Witness._meta.get_field("name").max_length)
    role = forms.CharField(
        label="Role and organisation",
        max_length=Witness._meta.get_field("role").max_length,
        help_text="For example, Speech and language therapist, Provider A NHS Trust.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = NhsukFormHelper(self, submit_label="Add the witness")


class RecommendationForm(PortalForm):
    made_on = NhsukDateField(label="Date of the recommendation")
    recommendation = _long_text("The Tribunal's recommendation about health care provision")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = NhsukFormHelper(self, submit_label="Record the recommendation")


class ResponseForm(PortalForm):
    response = forms.ChoiceField(
        label="Will health follow the recommendation?",
        choices=Recommendation.Response.choices,
        widget=forms.RadioSelect,
    )
    response_text = _long_text("What health will do")
    # Not required by Django: reasons are needed only with "in part" or "not follow" (the
    # services' reasons_problem, shown by clean()); the label says so, not "(optional)".
    reasons = needed_when(
        _long_text(
            "Reasons for not following it in full",
            required=False,
            help_text="The response letter gives these reasons to the family and the council.",
        ),
        "needed unless health follows it in full",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = NhsukFormHelper(self, submit_label="Save the draft response")

    def clean(self):
        cleaned = super().clean()
        # The rule is the services' (reasons_problem); the form only shows it by the field.
        problem = services.reasons_problem(cleaned.get("response", ""), cleaned.get("reasons", ""))
        if problem:
            self.add_error("reasons", problem)
        return cleaned


class ApproveForm(PortalForm):
    confirm = forms.BooleanField(
        label="I have read the response and approve it for the ICB",
        error_messages={"required": "Confirm that you approve the response."},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = NhsukFormHelper(self, submit_label="Approve the response")
