"""The confirm-password form (NHS.UK form pack)."""

from django import forms

from send_portal.forms import PortalForm


class ConfirmPasswordForm(PortalForm):
    password = forms.CharField(
        label="Your password",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        error_messages={"required": "Enter your password"},
    )
