"""The nightly task that clears expired sessions and ends their rows."""

import datetime

import pytest
import time_machine
from django.contrib.sessions.models import Session
from django.utils import timezone

from session_security.models import SignedInSession
from session_security.tasks import clear_expired_sessions
from tests.factories import DEFAULT_TEST_PASSWORD

pytestmark = pytest.mark.django_db


def _sign_in(client, user):
    assert (
        client.post(
            "/account/sign-in/", {"username": user.email, "password": DEFAULT_TEST_PASSWORD}
        ).status_code
        == 302
    )
    return SignedInSession.objects.get(session_key=client.session.session_key)


def test_a_session_left_to_time_out_is_cleared_and_its_row_ended_when_last_used(
    client, dmo, settings
):
    row = _sign_in(client, dmo)
    later = timezone.now() + datetime.timedelta(minutes=settings.SESSION_IDLE_MINUTES + 5)

    with time_machine.travel(later):
        result = clear_expired_sessions()

    row.refresh_from_db()
    assert result["ended"] == 1
    assert row.ended_at == row.last_seen_at
    assert not Session.objects.filter(session_key=row.session_key).exists()


def test_a_session_in_use_is_left_alone_and_a_second_run_changes_nothing(client, dmo):
    row = _sign_in(client, dmo)

    assert clear_expired_sessions()["ended"] == 0
    assert clear_expired_sessions()["ended"] == 0

    row.refresh_from_db()
    assert row.ended_at is None
    assert Session.objects.filter(session_key=row.session_key).exists()
