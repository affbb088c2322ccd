"""The forms of the second factor, rendered through the NHS.UK form pack."""

from django import forms

from roles.forms import SignInForm
from security import rules
from send_portal.forms import PortalForm


class AuthenticatorCodeForm(PortalForm):
    code = forms.CharField(
        label="Code from your authenticator app",
        help_text="The 6-digit code the app shows now.",
        max_length=20,
        widget=forms.TextInput(
            attrs={
                "autocomplete": "one-time-code",
                "inputmode": "numeric",
                "spellcheck": "false",
                "class": "nhsuk-input--width-10",
            }
        ),
        error_messages={"required": "Enter the 6-digit code from your authenticator app"},
    )

    def refuse(self, message: str) -> None:
        self.add_error("code", message)


class CheckCodeForm(AuthenticatorCodeForm):
    code = forms.CharField(
        label="Code from your authenticator app, or a backup code",
        help_text="The 6-digit code the app shows now. If you do not have your phone, enter "
        "one of the backup codes you saved when you set up the app: each works once.",
        max_length=20,
        widget=forms.TextInput(
            attrs={
                "autocomplete": "one-time-code",
                "spellcheck": "false",
                "autocapitalize": "none",
                "class": "nhsuk-input--width-10",
            }
        ),
        error_messages={
            "required": "Enter the 6-digit code from your authenticator app, or a backup code"
        },
    )


class PortalPasswordSignInForm(SignInForm):
    """The sign-in form, refusing a password to someone whose organisation signs in through
    NHS CIS2 or Entra ID (security.rules.may_use_password). Asked only once the password is
    right, so the answer says nothing about an account to someone who does not know it."""

    def confirm_login_allowed(self, user):
        super().confirm_login_allowed(user)
        if not rules.may_use_password(user):
            raise forms.ValidationError(
                "Your organisation signs in to the portal through NHS Care Identity Service 2 "
                "or its Microsoft account, not with a password. Use the button for it above.",
                code="federated_only",
            )
