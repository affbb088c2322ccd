"""Pages of the second factor: set it up, pass it at sign-in, see it, make new backup codes."""

from __future__ import annotations

import math

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.contrib.auth import views as auth_views
from django.shortcuts import redirect, render, resolve_url
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.views.decorators.http import require_POST

from security import federation, selectors, services
from security.decorators import second_factor_not_required
from security.forms import AuthenticatorCodeForm, CheckCodeForm, PortalPasswordSignInForm
from security.qr import qr_code_data_uri, secret_for_typing

# Backup codes wait here between the page that makes them and the one that shows them, so a
# reload of the showing page cannot show them again.
NEW_BACKUP_CODES_KEY = "security_new_backup_codes"


def _asked_for(request) -> str:
    """The page the person was going to when the second factor stopped them."""
    return request.POST.get(REDIRECT_FIELD_NAME) or request.GET.get(REDIRECT_FIELD_NAME, "")


def _next_url(request) -> str:
    target = _asked_for(request)
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return resolve_url(settings.LOGIN_REDIRECT_URL)


def _with_next(url_name: str, request) -> str:
    target = _asked_for(request)
    url = reverse(url_name)
    if target:
        url += "?" + urlencode({REDIRECT_FIELD_NAME: target})
    return url


def _refusal_message(refused: services.CodeRefused, wrong: str) -> str:
    if refused.wait_until is None:
        return wrong
    seconds = max(1, math.ceil((refused.wait_until - timezone.now()).total_seconds()))
    if seconds < 120:
        wait = "1 second" if seconds == 1 else f"{seconds} seconds"
    else:
        wait = f"{math.ceil(seconds / 60)} minutes"
    return (
        f"There have been too many wrong codes. Wait {wait}, then enter the code your app "
        "shows at that time."
    )


@second_factor_not_required
def set_up(request):
    if selectors.has_authenticator(request.user):
        return redirect(_with_next("security:check", request))
    device = services.authenticator_being_set_up(request.user)
    form = AuthenticatorCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            codes = services.finish_set_up(request, device, form.cleaned_data["code"])
        except services.CodeRefused as refused:
            form.refuse(
                _refusal_message(
                    refused,
                    "The code is not right. Enter the 6-digit code your authenticator app "
                    "shows now for the SEND Health Portal.",
                )
            )
        else:
            request.session[NEW_BACKUP_CODES_KEY] = codes
            request.session["security_after_backup_codes"] = _next_url(request)
            return redirect("security:backup-codes")
    return render(
        request,
        "security/set_up.html",
        {
            "form": form,
            "qr_code": qr_code_data_uri(device.config_url),
            "secret": secret_for_typing(device),
            "next": _asked_for(request),
        },
    )


@second_factor_not_required
def check(request):
    if not selectors.has_authenticator(request.user):
        return redirect(_with_next("security:set-up", request))
    if request.user.is_verified():
        return redirect(_next_url(request))
    form = CheckCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            outcome = services.check_code(request, form.cleaned_data["code"])
        except services.CodeRefused as refused:
            form.refuse(
                _refusal_message(
                    refused,
                    "The code is not right. Enter the 6-digit code your authenticator app "
                    "shows now, or one of your backup codes.",
                )
            )
        else:
            if outcome.used_backup_code:
                left = selectors.backup_codes_left(request.user)
                messages.warning(
                    request,
                    f"You used a backup code. You have {left} left: make new ones from "
                    "your account's two-step verification page if you are running out.",
                )
            return redirect(_next_url(request))
    return render(
        request,
        "security/check.html",
        {
            "form": form,
            "next": _asked_for(request),
        },
    )


def backup_codes(request):
    codes = request.session.pop(NEW_BACKUP_CODES_KEY, None)
    if not codes:
        return redirect("security:two-step")
    continue_to = request.session.pop("security_after_backup_codes", None) or reverse(
        "security:two-step"
    )
    return render(
        request, "security/backup_codes.html", {"codes": codes, "continue_to": continue_to}
    )


def two_step(request):
    return render(
        request,
        "security/two_step.html",
        {
            **selectors.second_factor_status(request.user),
            "breadcrumbs": [("Home", reverse("home"))],
        },
    )


@require_POST
def new_backup_codes(request):
    if not selectors.has_authenticator(request.user):
        return redirect("security:set-up")
    if not request.user.is_verified():
        # Only a session that has passed the second factor may replace the backup codes.
        return redirect("security:check")
    request.session[NEW_BACKUP_CODES_KEY] = services.issue_backup_codes(request.user)
    request.session["security_after_backup_codes"] = reverse("security:two-step")
    return redirect("security:backup-codes")


class PasswordResetView(auth_views.PasswordResetView):
    """Django's password reset page, with its email sent through the outbox and limited per
    address and per client (``services.request_password_reset``)."""

    template_name = "roles/password_reset_form.html"

    def form_valid(self, form):
        if not services.request_password_reset(self.request, form.cleaned_data["email"]):
            return render(
                self.request,
                "security/password_reset_limited.html",
                {"minutes": settings.PASSWORD_RESET_LIMIT_MINUTES},
                status=429,
            )
        return redirect(self.get_success_url())


class SignInView(auth_views.LoginView):
    """The sign-in page: a button for each provider the portal is set up with, and the
    portal's own email and password for everyone else."""

    template_name = "roles/sign_in.html"
    authentication_form = PortalPasswordSignInForm
    redirect_authenticated_user = True

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["cis2"] = federation.cis2()
        context["entra_organisations"] = (
            list(selectors.organisations_signing_in_with_entra()) if settings.ENTRA_ENABLED else []
        )
        return context
