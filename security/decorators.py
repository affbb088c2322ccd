"""Marking the few views a signed-in person may reach before the second factor."""

from functools import wraps


def second_factor_not_required(view_func):
    """Let a signed-in but not yet verified person reach this view (set-up, check, sign-out).

    Read by ``SecondFactorRequiredMiddleware``, as ``@login_not_required`` is read by
    Django's ``LoginRequiredMiddleware``.
    """

    @wraps(view_func)
    def wrapped(*args, **kwargs):
        return view_func(*args, **kwargs)

    wrapped.second_factor_required = False
    return wrapped
