"""A service's refusal of a change the rules forbid, its message shown to the person.

Every app's services raise :class:`RefusedChange` when asked for a change their rules do
not allow (a closed meeting edited, a plan signed by someone who may not sign it, a
concern that names a child); the view catches it and shows the message on the page, so
the message says why in plain English. Each services module imports it under its own
name (``ehcp.services.RefusedChange``, ``meetings.services.RefusedChange``…): one class,
so a refusal means the same thing wherever it is raised. ``change_from_form`` is that
catch for a form page: the change, the refusal on the form, or the message and the next page.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect

T = TypeVar("T")


class RefusedChange(Exception):
    """A change the rules do not allow; the message says why, in plain English.

    ``problems`` lists every reason when there are several to put right at once (the
    anonymity check of a concern finds each identifying detail); otherwise it is the
    message alone.
    """

    def __init__(self, message: str, problems: list[str] | None = None):
        super().__init__(message)
        self.problems = problems or [message]


def change_from_form(
    request,
    form,
    change: Callable[[dict], T],
    *,
    message: str | Callable[[T], str],
    then: str | Callable[[T], str],
) -> HttpResponse | None:
    """What a form page does with a post: for a valid form, ``change(cleaned_data)`` (a
    service); if the service refuses, its message goes on the form, by the error summary;
    if it is made, ``message`` is shown and the person is sent to ``then`` (a URL).

    ``message`` and ``then`` may be functions of what ``change`` returned (the new
    record's reference, its page). None means: draw the form page again, as it stands
    (a first visit, a form with errors, or a refusal).
    """
    if request.method != "POST" or not form.is_valid():
        return None
    try:
        made = change(form.cleaned_data)
    except RefusedChange as refusal:
        form.add_error(None, str(refusal))
        return None
    messages.success(request, message(made) if callable(message) else message)
    return redirect(then(made) if callable(then) else then)
