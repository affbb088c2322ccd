"""Sign-in, sign-out and password pages (Django's auth views, NHS.UK templates)."""

from django.contrib.auth import views as auth_views
from django.urls import path, reverse_lazy

from roles.forms import SignInForm
from security.decorators import second_factor_not_required
from security.views import PasswordResetView
from session_security.views import PasswordChangeEndsOtherSessionsView

urlpatterns = [
    path(
        "sign-in/",
        auth_views.LoginView.as_view(
            template_name="roles/sign_in.html",
            authentication_form=SignInForm,
            redirect_authenticated_user=True,
        ),
        name="sign-in",
    ),
    # Reachable before the second factor: someone stopped at the code page can still leave.
    path(
        "sign-out/",
        second_factor_not_required(auth_views.LogoutView.as_view()),
        name="sign-out",
    ),
    path(
        "password-reset/",
        # Limited per address and per client; the email goes through the outbox.
        PasswordResetView.as_view(success_url=reverse_lazy("password-reset-done")),
        name="password-reset",
    ),
    path(
        "password-reset/sent/",
        auth_views.PasswordResetDoneView.as_view(template_name="roles/password_reset_done.html"),
        name="password-reset-done",
    ),
    path(
        "password-reset/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(
            template_name="roles/password_reset_confirm.html",
            success_url=reverse_lazy("password-reset-complete"),
        ),
        name="password-reset-confirm",
    ),
    path(
        "password-reset/complete/",
        auth_views.PasswordResetCompleteView.as_view(
            template_name="roles/password_reset_complete.html"
        ),
        name="password-reset-complete",
    ),
    path(
        "password/",
        # Django's password change, which also signs out the person's other sessions.
        PasswordChangeEndsOtherSessionsView.as_view(
            template_name="roles/password_change_form.html",
            success_url=reverse_lazy("password-change-done"),
        ),
        name="password-change",
    ),
    path(
        "password/changed/",
        auth_views.PasswordChangeDoneView.as_view(template_name="roles/password_change_done.html"),
        name="password-change-done",
    ),
]
