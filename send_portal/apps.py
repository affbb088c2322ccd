from django.contrib.admin.apps import AdminConfig


class PortalAdminConfig(AdminConfig):
    """Replaces Django's default admin site with the portal's, which only administrators may use."""

    default_site = "security.admin_site.PortalAdminSite"
