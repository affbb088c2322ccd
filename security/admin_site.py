"""The Django admin, restricted to people who currently hold the administrator role.

Access is the named rule ``roles.use_admin_site`` (roles/rules.py), not Django's
``is_staff`` flag, so it ends the day the administrator assignment ends. The
admin's own login page is not used: it redirects to the portal's sign-in, so
there is one way in, and that way asks for the second factor. When the second factor is
required (PORTAL_REQUIRE_MFA) a session that has not passed it has no admin access at all,
whatever middleware stands in front. Signed-in people without the role get the portal's 403
page.
"""

from functools import update_wrapper

from django.conf import settings
from django.contrib import admin
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied

from security.middleware import redirect_to_second_factor


class PortalAdminSite(admin.AdminSite):
    site_header = "SEND Health Portal administration"
    site_title = "SEND Health Portal administration"
    index_title = "Organisations, people, roles and schedules"

    def has_permission(self, request) -> bool:
        user = request.user
        if settings.PORTAL_REQUIRE_MFA and not user.is_verified():
            return False
        return user.is_active and user.has_perm("roles.use_admin_site")

    def admin_view(self, view, cacheable=False):
        inner = super().admin_view(view, cacheable)

        def guarded(request, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path(), settings.LOGIN_URL)
            if settings.PORTAL_REQUIRE_MFA and not request.user.is_verified():
                return redirect_to_second_factor(request)
            if not self.has_permission(request):
                raise PermissionDenied
            return inner(request, *args, **kwargs)

        return update_wrapper(guarded, inner)

    def get_urls(self):
        urls = super().get_urls()
        # Django points LoginRequiredMiddleware at the admin's login page; point it at
        # the portal's sign-in instead, for every admin page including the models'.
        self._send_to_portal_sign_in(urls)
        return urls

    def _send_to_portal_sign_in(self, patterns) -> None:
        for pattern in patterns:
            if hasattr(pattern, "url_patterns"):
                self._send_to_portal_sign_in(pattern.url_patterns)
            elif getattr(pattern.callback, "login_url", None) is not None:
                pattern.callback.login_url = settings.LOGIN_URL

    def login(self, request, extra_context=None):
        return redirect_to_login(request.GET.get("next", self.index_url()), settings.LOGIN_URL)

    def index_url(self) -> str:
        from django.urls import reverse

        return reverse("admin:index", current_app=self.name)
