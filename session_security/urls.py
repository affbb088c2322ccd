from django.urls import path

from session_security import views

app_name = "session_security"

urlpatterns = [
    path("sessions/", views.sessions, name="sessions"),
    path("sessions/sign-out-others/", views.sign_out_others, name="sign-out-others"),
    path("sessions/keep-alive/", views.keep_alive, name="keep-alive"),
    path("sessions/timed-out/", views.timed_out, name="timed-out"),
    path("confirm-password/", views.confirm_password, name="confirm-password"),
]
