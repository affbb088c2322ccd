"""Step-up: a sensitive action asks for the password again unless it was entered recently.

"Recently" is ``settings.STEP_UP_MINUTES``. The time of the last password entry is kept in
the session: set at sign-in, at the confirm-password page, at a password change and at a
medical sign-off (which asks for the password itself). A session taken over by someone
else therefore cannot export a child's record or change a role without the password.
"""

from __future__ import annotations

from functools import wraps
from urllib.parse import urlencode

from django.conf import settings
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone

#: Seconds since the epoch (UTC) at which the password was last entered in this session.
PASSWORD_ENTERED_AT = "session_security.password_entered_at"


def note_password_entered(request) -> None:
    request.session[PASSWORD_ENTERED_AT] = timezone.now().timestamp()


def password_recently_confirmed(request) -> bool:
    entered_at = request.session.get(PASSWORD_ENTERED_AT)
    if not isinstance(entered_at, int | float):
        return False
    age = timezone.now().timestamp() - entered_at
    return 0 <= age <= settings.STEP_UP_MINUTES * 60


def confirm_password_url(next_path: str) -> str:
    return reverse("session_security:confirm-password") + "?" + urlencode({"next": next_path})


def redirect_to_confirm_password(request):
    """To the confirm-password page, and back to this address afterwards.

    After a POST the person comes back to the same address with a GET, which shows the form
    again: what they typed is not kept, so the action is never done without the password.
    """
    return redirect(confirm_password_url(request.get_full_path()))


def recent_password_required(view_func):
    """Decorate a view of a sensitive action: without a recent password, ask for it first.

    Put it below the permission decorator, so someone without the permission is refused
    before being asked for their password.
    """

    @wraps(view_func)
    def wrapped(request, *args, **kwargs):
        if not password_recently_confirmed(request):
            return redirect_to_confirm_password(request)
        return view_func(request, *args, **kwargs)

    return wrapped


class RecentPasswordRequiredAdminMixin:
    """For a ModelAdmin whose add and change pages are sensitive (who holds which role):
    the form is neither shown nor saved without a recent password."""

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        if not password_recently_confirmed(request):
            return redirect_to_confirm_password(request)
        return super().changeform_view(request, object_id, form_url, extra_context)
