"""Email for the sign-in pages, sent by a worker through the outbox."""

from __future__ import annotations

from celery import shared_task
from django.contrib.auth import get_user_model
from django.contrib.auth.tokens import default_token_generator
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from roles.selectors import service_name_for
from send_portal.notifications import EMAIL_TASK_RETRY, portal_url, send_email


@shared_task(bind=True, **EMAIL_TASK_RETRY)
def send_password_reset(self, user_id: int | None) -> bool:
    """Send the person a link to choose a new password (nobody: the address typed has no
    account, and the request was made to take as long as one that has).

    The link's token is made here, in the worker, so it is never stored in the outbox; it
    is valid for PASSWORD_RESET_TIMEOUT from now, and only until the password changes.
    """
    from outbox.services import already_done

    if user_id is None or already_done(self.request.id):  # delivered twice: done already
        return False
    # Deactivated since it was asked for, or its password made unusable: no link.
    user = get_user_model().objects.filter(pk=user_id, is_active=True).first()
    if user is None or not user.has_usable_password():
        return False
    path = reverse(
        "password-reset-confirm",
        kwargs={
            "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
            "token": default_token_generator.make_token(user),
        },
    )
    send_email(
        to=user.email,
        subject="Reset your password for the SEND Health Portal",
        template="roles/email/password_reset.txt",
        # Signed with the places the person works in, as the pages they sign in to.
        context={"link": portal_url(path), "service_name": service_name_for(user)},
    )
    return True
