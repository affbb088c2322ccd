"""Forms of the health sections: section C, the rows of section G, and the DMO's sign-off
or return of them.

Each form checks what a person can get wrong and says how to put it right;
the rules about *whether* a change is allowed live in ehcp/services.py.
"""

from __future__ import annotations

from django import forms

from ehcp.models import SignOff, SignOffAcknowledgement
from nhsuk_forms.helpers import NhsukFormHelper, NhsukSubmit
from send_portal.forms import PortalForm


class ProvisionRowForm(PortalForm):
    provision = forms.CharField(
        label="Provision", widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    provided_by = forms.CharField(label="Who provides it", required=False)
    frequency = forms.CharField(label="How often", required=False)
    duration = forms.CharField(label="For how long", required=False)
    outcome = forms.CharField(label="Outcome it supports", required=False)

    def clean(self):
        cleaned = super().clean()
        filled = [name for name in self.fields if cleaned.get(name)]
        if filled and not cleaned.get("provision"):
            self.add_error("provision", "Describe the provision, or clear this row")
        return cleaned


ProvisionFormSet = forms.formset_factory(ProvisionRowForm, extra=1, can_delete=True)


class SectionCForm(PortalForm):
    section_c = forms.CharField(
        label="Section C: health needs related to special educational needs",
        required=False,
        widget=forms.Textarea(attrs={"rows": 12}),
        help_text=(
            "Each health need that affects education, linked to the need in section B, or a "
            "clear statement that there are none."
        ),
    )
    edit_count = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = NhsukFormHelper(self, submit_label=None, show_error_summary=False)
        self.helper.form_tag = False


class SignOffForm(PortalForm):
    attest = forms.BooleanField(
        label="I confirm the statement above",
        error_messages={"required": "Confirm the statement to sign off"},
    )
    registration_number = forms.CharField(
        label="Your professional registration number",
        help_text="For example, GMC 7012345",
        max_length=SignOff._meta.get_field("registration_number").max_length,
        error_messages={"required": "Enter your professional registration number"},
        widget=forms.TextInput(attrs={"class": "nhsuk-input--width-10"}),
    )
    password = forms.CharField(
        label="Your password",
        help_text="Enter your password again to sign.",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        error_messages={"required": "Enter your password to sign off"},
    )

    def __init__(self, *args, findings=(), with_password=True, **kwargs):
        """``findings``: the open quality findings (``quality.sign_off_findings``); each gets
        a box for the reason the DMO signs off despite it, asked before the password.
        ``with_password`` is false for a DMO signed in through NHS CIS2 or Entra ID, who
        confirms it is them at the provider instead (ehcp/views/sign_off.py)."""
        super().__init__(*args, **kwargs)
        if not with_password:
            del self.fields["password"]
        reason_fields = {}
        for number, finding in enumerate(findings, start=1):
            reason_fields[self.reason_field_name(finding)] = forms.CharField(
                label=f"Finding {number}: {finding.message}",
                help_text="Why you are signing off despite this finding.",
                max_length=SignOffAcknowledgement.REASON_MAX_LENGTH,
                widget=forms.Textarea(attrs={"rows": 2}),
                error_messages={
                    "required": f"Give a reason for finding {number}, or return the sections",
                    "max_length": f"The reason for finding {number} must be "
                    f"{SignOffAcknowledgement.REASON_MAX_LENGTH} characters or fewer",
                },
            )
        # The reasons come first: they are part of what the DMO attests.
        self.fields = {**reason_fields, **self.fields}
        self.findings = list(findings)
        self.helper = NhsukFormHelper(self, submit_label="Sign off medical sections")

    @staticmethod
    def reason_field_name(finding) -> str:
        return f"reason_{finding.key}"

    def reasons(self) -> dict[str, str]:
        """The reasons given, by finding key, for ``services.sign_off``."""
        return {
            finding.key: self.cleaned_data.get(self.reason_field_name(finding), "")
            for finding in self.findings
        }


class ReturnForm(PortalForm):
    comments = forms.CharField(
        label="What needs to change",
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"required": "Say what needs to change"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = NhsukFormHelper(self, submit_label=None)
        self.helper.add_input(NhsukSubmit("return", "Return for amendment", secondary=True))
