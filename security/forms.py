"""The forms of the second factor, rendered through the NHS.UK form pack."""

from django import forms

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
