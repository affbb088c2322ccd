"""The Django admin, restricted to people who currently hold the administrator role.

Access is the named rule ``roles.use_admin_site`` (roles/rules.py), not Django's
``is_staff`` flag, so it ends the day the administrator assignment ends. The
admin's own login page is not used: it redirects to the portal's sign-in, so
there is one way in (and one place for the second factor when it comes).
"""

from django.conf import settings
from django.contrib import admin
from django.contrib.auth.views import redirect_to_login


class PortalAdminSite(admin.AdminSite):
    site_header = "SEND Health Portal administration"
    site_title = "SEND Health Portal administration"
    index_title = "Organisations, people, roles and schedules"

    def has_permission(self, request) -> bool:
        return request.user.is_active and request.user.has_perm("roles.use_admin_site")

    def login(self, request, extra_context=None):
        return redirect_to_login(
            request.GET.get("next", request.get_full_path()), settings.LOGIN_URL
        )
