from django.conf import settings
from django.contrib import admin
from django.urls import include, path

# Imported for registering <id:pk>, before the apps' URLs are included.
from send_portal import converters  # noqa: F401  # isort: skip
from send_portal import views
from service_status import views as status_views

urlpatterns = [
    path("", views.home, name="home"),
    path("about/", views.about, name="about"),
    path("pages/", views.all_pages, name="pages"),
    path("healthz", status_views.healthz, name="healthz"),
    path("account/", include("roles.account_urls")),
    path("account/", include("security.urls")),
    path("account/", include("session_security.urls")),
    path("", include("roles.urls")),
    path("", include("ehcp.urls")),
    path("", include("meetings.urls")),
    path("", include("clinics.urls")),
    path("intelligence/", include("intelligence.urls")),
    path("notifications/", include("notifications.urls")),
    path("status/", include("service_status.urls")),
    path("audit/", include("audit.urls")),
    path("admin/", admin.site.urls),
]

if settings.PORTAL_BENCHMARK_FLOOR:
    # The benchmark's floor and comparison pages (load_data/views.py, bench/run.py).
    urlpatterns.append(path("bench/", include("load_data.urls")))

handler403 = "send_portal.views.permission_denied"
handler500 = "send_portal.views.server_error"
