"""Step-up: a sensitive action asks for the password again unless it was entered recently.

"Recently" is ``settings.STEP_UP_MINUTES``. The time of the last password entry is kept in
the session: set at sign-in, at the confirm-password page, at a password change and at a
medical sign-off (which asks for the password itself). A session taken over by someone
else therefore cannot export a child's record or change a role without the password.
"""

from __future__ import annotations

import secrets
from functools import wraps
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from django.conf import settings
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme

#: Seconds since the epoch (UTC) at which the password was last entered in this session.
PASSWORD_ENTERED_AT = "session_security.password_entered_at"
#: Downloads waiting to start on the page the person goes back to: token -> the file's path.
PENDING_DOWNLOADS = "session_security.pending_downloads"
#: The query parameter carrying that token: random, used once, naming neither file nor child.
DOWNLOAD_PARAMETER = "download"
#: Downloads asked for in one session and not yet started, kept at most (oldest dropped).
MOST_PENDING_DOWNLOADS = 5
#: For a session signed in through an identity provider (which has no portal password):
#: the path of the page that sends the person back to the provider to authenticate again.
#: Set by the accounts app at sign-in; the confirm-password page sends them there instead.
CONFIRM_ELSEWHERE = "session_security.confirm_elsewhere"


def note_password_entered(request) -> None:
    request.session[PASSWORD_ENTERED_AT] = timezone.now().timestamp()


def confirms_elsewhere(request) -> bool:
    """Whether this session's person confirms it is them at their identity provider (a
    federated sign-in) rather than with a portal password."""
    return isinstance(request.session.get(CONFIRM_ELSEWHERE), str)


def forget_password_entered(request) -> None:
    """The recent confirmation is spent: the next sensitive action asks again."""
    request.session.pop(PASSWORD_ENTERED_AT, None)


def password_recently_confirmed(request) -> bool:
    entered_at = request.session.get(PASSWORD_ENTERED_AT)
    if not isinstance(entered_at, int | float):
        return False
    age = timezone.now().timestamp() - entered_at
    return 0 <= age <= settings.STEP_UP_MINUTES * 60


def confirm_password_url(next_path: str, download: str | None = None) -> str:
    query = {"next": next_path}
    if download:
        query[DOWNLOAD_PARAMETER] = download
    return reverse("session_security:confirm-password") + "?" + urlencode(query)


def safe_local_path(request, value: str | None) -> str | None:
    """``value`` as a path and query of this site, or ``None`` if it points anywhere else."""
    if not value or not url_has_allowed_host_and_scheme(
        value, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return None
    parts = urlsplit(value)
    if not parts.path.startswith("/"):
        return None
    return urlunsplit(("", "", parts.path, parts.query, ""))


def _page_came_from(request) -> str | None:
    """The page of this site the person was on (the Referer, sent for same-origin links
    under SECURE_REFERRER_POLICY), without a download token of its own."""
    page = safe_local_path(request, request.META.get("HTTP_REFERER"))
    if page is None:
        return None
    parts = urlsplit(page)
    query = [(k, v) for k, v in parse_qsl(parts.query) if k != DOWNLOAD_PARAMETER]
    if parts.path in (request.path, reverse("session_security:confirm-password")):
        return None
    return urlunsplit(("", "", parts.path, urlencode(query), ""))


def back_with_download(request, next_path: str, download: str) -> str:
    """After the password: ``next_path`` with a one-time token that starts ``download``
    there (see ``pop_pending_download``). The token is random; the file's path stays in
    the session, so the address says nothing about the file or the child."""
    token = secrets.token_urlsafe(16)
    pending = dict(request.session.get(PENDING_DOWNLOADS) or {})
    pending[token] = download
    request.session[PENDING_DOWNLOADS] = dict(list(pending.items())[-MOST_PENDING_DOWNLOADS:])
    parts = urlsplit(next_path)
    query = [*parse_qsl(parts.query), (DOWNLOAD_PARAMETER, token)]
    return urlunsplit(("", "", parts.path, urlencode(query), ""))


def pop_pending_download(request) -> str | None:
    """The path of the file to start downloading on this page, once: the token is spent."""
    token = request.GET.get(DOWNLOAD_PARAMETER)
    pending = request.session.get(PENDING_DOWNLOADS) if token else None
    if not pending or token not in pending:
        return None
    pending = dict(pending)
    path = pending.pop(token)
    request.session[PENDING_DOWNLOADS] = pending
    return path


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


def recent_password_required_for_download(view_func):
    """``recent_password_required`` for a view that answers with a file.

    A file cannot be a page to come back to: after the password the browser would save the
    file and stay on "Confirm your password". So the person goes back to the page they
    started the download from, and the download starts there (``back_with_download``).
    Without such a page (no same-site Referer) the file comes straight after the password.
    """

    @wraps(view_func)
    def wrapped(request, *args, **kwargs):
        if not password_recently_confirmed(request):
            came_from = _page_came_from(request)
            if came_from is None:
                return redirect_to_confirm_password(request)
            return redirect(confirm_password_url(came_from, download=request.get_full_path()))
        return view_func(request, *args, **kwargs)

    wrapped.starts_after_step_up = True
    return wrapped


def is_download_after_step_up(path: str) -> bool:
    """Whether ``path`` (of this site) is a download view decorated above: the only kind of
    address the confirm-password page will start on the page it returns to."""
    from django.urls import Resolver404, resolve

    try:
        match = resolve(urlsplit(path).path)
    except Resolver404:
        return False
    return getattr(match.func, "starts_after_step_up", False)


class RecentPasswordRequiredAdminMixin:
    """For a ModelAdmin whose add and change pages are sensitive (who holds which role):
    the form is neither shown nor saved without a recent password."""

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        if not password_recently_confirmed(request):
            return redirect_to_confirm_password(request)
        return super().changeform_view(request, object_id, form_url, extra_context)
