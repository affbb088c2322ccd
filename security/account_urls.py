"""Sign-in, sign-out and password pages (Django's auth views, NHS.UK templates)."""

from django.contrib.auth import views as auth_views
from django.urls import path, reverse_lazy

from security import federated_views
from security.decorators import second_factor_not_required
from security.views import PasswordResetView, SignInView
from session_security.views import PasswordChangeEndsOtherSessionsView

urlpatterns = [
    path("sign-in/", SignInView.as_view(), name="sign-in"),
    # Signing in through NHS CIS2 or an organisation's Entra ID (security/federation.py).
    path("sign-in/cis2/", federated_views.start_cis2, name="federated-start-cis2"),
    path("sign-in/cis2/callback/", federated_views.callback_cis2, name="federated-callback-cis2"),
    path("sign-in/cis2/jwks/", federated_views.cis2_jwks, name="federated-cis2-jwks"),
    path(
        "sign-in/cis2/back-channel-logout/",
        federated_views.cis2_back_channel_logout,
        name="federated-cis2-back-channel-logout",
    ),
    path("sign-in/entra/<id:pk>/", federated_views.start_entra, name="federated-start-entra"),
    path(
        "sign-in/entra/callback/",
        federated_views.callback_entra,
        name="federated-callback-entra",
    ),
    path("confirm-at-provider/", federated_views.step_up, name="federated-step-up"),
    path(
        "sign-in/invitation/<str:token>/",
        federated_views.invitation,
        name="federated-invitation",
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
