from django.urls import path

from service_status import views

app_name = "service_status"

urlpatterns = [path("", views.status, name="status")]
