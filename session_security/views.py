"""Your sessions, keeping a session alive, signing in again after inactivity, confirming the
password before a sensitive action, and changing the password."""

from __future__ import annotations

from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import authenticate, logout
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.views import PasswordChangeView
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render, resolve_url
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_GET, require_POST

from audit.services import Kind, record_event
from session_security import selectors, services, step_up
from session_security.forms import ConfirmPasswordForm


def _safe_next(request, value: str | None) -> str | None:
    if value and url_has_allowed_host_and_scheme(
        value, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return value
    return None


# --- Your sessions ------------------------------------------------------------------------


@require_GET
def sessions(request):
    active = selectors.active_sessions(request.user, services.current_row_id(request))
    return render(
        request,
        "session_security/sessions.html",
        {
            "sessions": active,
            "has_others": any(not session.is_this_device for session in active),
            "idle_minutes": settings.SESSION_IDLE_MINUTES,
            "breadcrumbs": [("Home", reverse("home"))],
        },
    )


@require_POST
def sign_out_others(request):
    # Takes nothing from the form but the CSRF token: only the person's own sessions end.
    ended = services.sign_out_other_sessions(request)
    if ended == 1:
        messages.success(request, "You signed out 1 other session.")
    elif ended:
        messages.success(request, f"You signed out {ended} other sessions.")
    else:
        messages.success(request, "You were not signed in anywhere else.")
    return redirect("session_security:sessions")


# --- Inactivity ---------------------------------------------------------------------------


@require_POST
def keep_alive(request):
    """For "Stay signed in": the request itself renews the session (every POST saves it:
    session_security.middleware)."""
    return HttpResponse(status=204)


@login_not_required
def timed_out(request):
    """Where the page sends the browser when the inactivity time has run out.

    Open without sign-in (the session has just ended) and harmless whatever the method: it
    changes nothing, and only ever sends the browser to a page of this site.
    """
    next_path = _safe_next(request, request.GET.get("next"))
    if request.user.is_authenticated:
        # Still signed in: another tab kept the session alive.
        return redirect(next_path or "home")
    messages.info(
        request,
        f"You were signed out because you had not used the portal for "
        f"{settings.SESSION_IDLE_MINUTES} minutes. Sign in again to carry on.",
    )
    target = resolve_url(settings.LOGIN_URL)
    if next_path:
        target += "?" + urlencode({"next": next_path})
    return HttpResponseRedirect(target)


# --- Step-up ------------------------------------------------------------------------------


@never_cache
@sensitive_post_parameters("password")
def confirm_password(request):
    next_path = _safe_next(request, request.POST.get("next") or request.GET.get("next"))
    # A file to start downloading on the page the person goes back to (a path of this site).
    download = step_up.safe_local_path(
        request,
        request.POST.get(step_up.DOWNLOAD_PARAMETER) or request.GET.get(step_up.DOWNLOAD_PARAMETER),
    )
    if download and not step_up.is_download_after_step_up(download):
        download = None  # only a download the portal itself sent here
    elsewhere = request.session.get(step_up.CONFIRM_ELSEWHERE)
    if isinstance(elsewhere, str) and elsewhere.startswith("/"):
        # Signed in through NHS CIS2 or Entra ID: the person confirms it is them there.
        query = {"next": next_path or ""}
        if download and next_path:
            query[step_up.DOWNLOAD_PARAMETER] = download
        return HttpResponseRedirect(elsewhere + "?" + urlencode(query))
    form = ConfirmPasswordForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        # authenticate() rather than check_password(): django-axes counts a wrong password
        # here towards the lockout, as at sign-in, so a taken-over session cannot guess it.
        user = authenticate(
            request, username=request.user.get_username(), password=form.cleaned_data["password"]
        )
        if user is not None and user.pk == request.user.pk:
            step_up.note_password_entered(request)
            record_event(Kind.PASSWORD_CONFIRMED, request=request, target=request.user)
            if download and next_path:
                return redirect(step_up.back_with_download(request, next_path, download))
            return redirect(next_path or "home")
        # The failure is in the audit log already: authenticate() sent user_login_failed,
        # which security/receivers.py records as a failed sign-in (with this page's name).
        if getattr(request, "axes_locked_out", False):
            # Too many wrong passwords: end the session; AxesMiddleware shows the lockout page.
            logout(request)
            return redirect(settings.LOGIN_URL)
        form.add_error("password", "The password is not correct. Enter your password again.")
    return render(
        request,
        "session_security/confirm_password.html",
        {
            "form": form,
            "next": next_path or "",
            "download": download if next_path else "",
            "step_up_minutes": settings.STEP_UP_MINUTES,
        },
    )


class PasswordChangeEndsOtherSessionsView(PasswordChangeView):
    """Django's password change, which also signs out every other session of the person."""

    def form_valid(self, form):
        form.save()
        ended = services.password_changed(self.request, form.user)
        if ended:
            messages.info(
                self.request,
                f"Your other sessions ({ended}) have been signed out. Sign in there again "
                "with your new password.",
            )
        return HttpResponseRedirect(self.get_success_url())
