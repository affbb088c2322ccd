"""Sign-in and account forms, rendered through the NHS.UK form pack."""

from django import forms
from django.contrib.auth.forms import AuthenticationForm

from send_portal.forms import BoundedInputMixin


class SignInForm(BoundedInputMixin, AuthenticationForm):
    username = forms.EmailField(
        label="Email address",
        widget=forms.EmailInput(attrs={"autocomplete": "email", "spellcheck": "false"}),
    )
    password = forms.CharField(
        label="Password",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    error_messages = {
        "invalid_login": "Enter a correct email address and password. Both are case-sensitive "
        "except the email address.",
        "inactive": "This account has been closed. Ask your administrator if you need access.",
    }
