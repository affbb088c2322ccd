"""Password reset: limited per address and per client, sent through the outbox, and the
same answer whether or not an account has the address."""

import re

import pytest
from django.core import mail
from django.urls import reverse

from outbox.models import OutboxMessage
from outbox.services import publish_waiting

pytestmark = pytest.mark.django_db

TASK = "security.tasks.send_password_reset"


def _ask(client, email: str, address: str = "198.51.100.7"):
    return client.post(reverse("password-reset"), {"email": email}, REMOTE_ADDR=address)


def test_twenty_requests_for_one_address_send_no_more_emails_than_the_limit(
    client, dmo, settings, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        # From a different client each time, and in either case: the address is counted.
        answers = [
            _ask(client, dmo.email.upper() if n % 2 else dmo.email, f"198.51.100.{n}").status_code
            for n in range(20)
        ]

    limit = settings.PASSWORD_RESET_LIMIT_PER_ADDRESS
    assert answers[:limit] == [302] * limit
    assert set(answers[limit:]) == {429}
    assert len(mail.outbox) == limit


def test_one_client_asking_for_many_addresses_is_limited(client, settings):
    limit = settings.PASSWORD_RESET_LIMIT_PER_CLIENT
    answers = [_ask(client, f"person{n}@nhs.test").status_code for n in range(limit + 2)]

    assert answers[:limit] == [302] * limit
    assert answers[limit:] == [429, 429]
    # Another client is not held up by it.
    assert _ask(client, "someone.else@nhs.test", address="203.0.113.9").status_code == 302


def test_a_limited_request_says_what_to_do_and_sends_nothing(client, dmo, settings):
    settings.PASSWORD_RESET_LIMIT_PER_ADDRESS = 1
    _ask(client, dmo.email)
    waiting = OutboxMessage.objects.count()

    response = _ask(client, dmo.email)

    page = response.content.decode()
    assert response.status_code == 429
    assert "Too many requests to reset a password" in page
    assert f"Wait {settings.PASSWORD_RESET_LIMIT_MINUTES} minutes" in page
    assert OutboxMessage.objects.count() == waiting


def test_the_answer_is_the_same_whether_or_not_the_address_has_an_account(client, dmo, settings):
    settings.PASSWORD_RESET_LIMIT_PER_ADDRESS = 1
    answers = {}
    for email in (dmo.email, "nobody@nhs.test"):
        first, second = _ask(client, email, "203.0.113.1"), _ask(client, email, "203.0.113.2")
        answers[email] = (
            first.status_code,
            first["Location"],
            second.status_code,
            # The page without the per-request parts (the CSRF token, the request id).
            re.sub(r'value="[^"]+"|nonce="[^"]+"', "", second.content.decode()),
        )
    assert answers[dmo.email] == answers["nobody@nhs.test"]
    assert answers[dmo.email][:3] == (302, reverse("password-reset-done"), 429)


def test_the_email_goes_through_the_outbox_with_no_token_in_it(
    client, dmo, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False):
        _ask(client, dmo.email)

    # Nothing was sent inside the request: one message waits, naming the person by id only.
    assert mail.outbox == []
    message = OutboxMessage.objects.get(task=TASK)
    assert message.args == [dmo.pk] and message.kwargs == {}

    assert publish_waiting() == 1

    assert len(mail.outbox) == 1 and mail.outbox[0].to == [dmo.email]
    assert re.search(r"/password-reset/[\w-]+/[\w-]+/", mail.outbox[0].body)
    assert OutboxMessage.objects.get(task=TASK).state == "done"


def test_an_address_without_an_active_account_does_the_same_work_and_gets_no_email(
    client, dmo, django_capture_on_commit_callbacks
):
    dmo.is_active = False
    dmo.save()

    with django_capture_on_commit_callbacks(execute=True):
        for email in (dmo.email, "nobody@nhs.test"):
            assert _ask(client, email).status_code == 302

    # One message each, as for an account, so the request takes as long; none names anyone.
    messages = OutboxMessage.objects.filter(task=TASK)
    assert [m.args for m in messages] == [[None], [None]]
    assert all(m.state == "done" for m in messages)
    assert mail.outbox == []


def test_a_second_delivery_of_a_sent_reset_sends_no_second_email(
    client, dmo, django_capture_on_commit_callbacks
):
    from security.tasks import send_password_reset

    with django_capture_on_commit_callbacks(execute=True):
        _ask(client, dmo.email)  # published and run at once (eager in tests)
    message = OutboxMessage.objects.get(task=TASK)
    assert len(mail.outbox) == 1

    send_password_reset.apply(args=[dmo.pk], task_id=str(message.pk))

    assert len(mail.outbox) == 1
