"""Every signed-in page needs the second factor as well as the password (PORTAL_REQUIRE_MFA)."""

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.urls import reverse

from security import selectors


class SecondFactorRequiredMiddleware:
    """Sends a signed-in person whose session has not passed the second factor to check it
    (or to set one up, if they have none yet), then back to the page they asked for.

    Views marked ``@login_not_required`` (sign-in, password reset, health checks) and
    ``@second_factor_not_required`` (the set-up and check pages, sign-out) are let through.
    Must come after django_otp's OTPMiddleware and Django's LoginRequiredMiddleware.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if not settings.PORTAL_REQUIRE_MFA:
            return None
        if not getattr(view_func, "login_required", True):
            return None
        if not getattr(view_func, "second_factor_required", True):
            return None
        user = request.user
        if not user.is_authenticated or user.is_verified():
            return None
        return redirect_to_second_factor(request)


def redirect_to_second_factor(request):
    """To the check page if the person has an authenticator, otherwise to set one up."""
    if selectors.has_authenticator(request.user):
        target = reverse("security:check")
    else:
        target = reverse("security:set-up")
    return redirect_to_login(request.get_full_path(), target)
