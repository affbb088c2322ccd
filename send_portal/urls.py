from django.conf import settings
from django.contrib import admin
from django.urls import include, path

# Imported for registering <id:pk>, before the apps' URLs are included.
from send_portal import converters  # noqa: F401  # isort: skip

# The ground floor names each app's URLs by their module, never importing an app: the
# layers (docs/ARCHITECTURE.md) keep configuration below everything it wires together.
urlpatterns = [
    path("", include("home.urls")),
    path("", include("service_status.health_urls")),
    path("account/", include("security.account_urls")),
    path("account/", include("security.urls")),
    path("account/", include("session_security.urls")),
    path("", include("roles.urls")),
    path("", include("ehcp.urls")),
    path("", include("meetings.urls")),
    path("", include("clinics.urls")),
    path("", include("tribunal.urls")),
    path("intelligence/", include("intelligence.urls")),
    path("notifications/", include("notifications.urls")),
    path("status/", include("service_status.urls")),
    path("audit/", include("audit.urls")),
    path("admin/", admin.site.urls),
    # The API for councils' case systems; its catch-all 404 last, after any app's API.
    path("api/v1/", include("case_systems.urls")),
    path("api/v1/", include("case_systems.not_found_urls")),
]

if settings.PORTAL_BENCHMARK_FLOOR:
    # The benchmark's floor and comparison pages (load_data/views.py, bench/run.py).
    urlpatterns.append(path("bench/", include("load_data.urls")))

handler403 = "home.views.permission_denied"
handler500 = "home.views.server_error"
