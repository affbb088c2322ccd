from django.urls import path

from roles import views

app_name = "roles"

urlpatterns = [
    path("roles/", views.directory, name="directory"),
    path("roles/<slug:code>/", views.role_detail, name="role"),
    path("people/me/", views.my_roles, name="my-roles"),
    path("people/<id:pk>/", views.person, name="person"),
]
