"""The health check at the site's root (``/healthz``), outside the status page's namespace:
load balancers and ``make run`` ask for it by that address."""

from django.urls import path

from service_status import views

urlpatterns = [path("healthz", views.healthz, name="healthz")]
