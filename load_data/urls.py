"""Benchmark-only URLs, included by send_portal/urls.py when PORTAL_BENCHMARK_FLOOR is on."""

from django.urls import path

from load_data import views

urlpatterns = [
    path("floor", views.floor, name="bench-floor"),
    path("admin/", views.plan_admin_site.urls),
]
