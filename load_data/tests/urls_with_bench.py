"""The portal's URLs with the benchmark's pages, as PORTAL_BENCHMARK_FLOOR=true gives them."""

from django.urls import include, path

from send_portal.urls import urlpatterns as portal_urlpatterns

urlpatterns = [*portal_urlpatterns, path("bench/", include("load_data.urls"))]
