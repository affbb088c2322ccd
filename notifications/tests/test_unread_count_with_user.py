"""The header's unread count, read in the signed-in user's own query
(notifications.selectors.unread_count_of_user_row, registered through
roles.backends.read_with_user): no query or cache round trip of its own, and never stale."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from notifications import selectors
from notifications.models import Notification
from notifications.services import mark_all_read, notify
from roles.backends import EmailPasswordBackend


def signed_in_user(user):
    """The user as a request loads them: through the sign-in backend's one query."""
    return EmailPasswordBackend().get_user(user.pk)


def counts_queried(user) -> tuple[int, int]:
    with CaptureQueriesContext(connection) as queries:
        count = selectors.unread_count(user)
    return count, len(queries)


@pytest.mark.django_db
def test_the_count_comes_with_the_signed_in_user_and_costs_no_query(dco, dmo):
    notify(dco, "One")
    notify(dco, "Two")
    read = notify(dco, "Three")
    read.read_at = timezone.now()
    read.save()
    notify(dmo, "Theirs")

    with CaptureQueriesContext(connection) as queries:
        loaded = signed_in_user(dco)
    selectors.forget_changes()  # as a new request starts

    assert len(queries) == 1
    assert loaded.unread_notification_count == 2
    assert counts_queried(loaded) == (2, 0)
    assert signed_in_user(dmo).unread_notification_count == 1


@pytest.mark.django_db
def test_someone_with_no_notification_has_a_count_of_nought(dco):
    assert signed_in_user(dco).unread_notification_count == 0


@pytest.mark.django_db
def test_a_user_loaded_another_way_is_counted(dco):
    notify(dco, "One")

    assert counts_queried(dco) == (1, 1)


@pytest.mark.django_db
def test_a_change_in_the_request_is_counted_again_before_the_page_is_drawn(dco):
    first = notify(dco, "One")
    notify(dco, "Two")
    loaded = signed_in_user(dco)
    selectors.forget_changes()
    assert counts_queried(loaded) == (2, 0)

    first.read_at = timezone.now()
    first.save()
    assert counts_queried(loaded) == (1, 1)

    notify(dco, "Three")
    assert selectors.unread_count(loaded) == 2

    mark_all_read(dco)  # a bulk update: no signal, it says so itself
    assert selectors.unread_count(loaded) == 0


@pytest.mark.django_db
def test_a_deleted_notification_is_no_longer_counted(dco):
    notify(dco, "One")
    gone = notify(dco, "Two")
    loaded = signed_in_user(dco)
    selectors.forget_changes()

    gone.delete()

    assert selectors.unread_count(loaded) == 1


@pytest.mark.django_db
def test_another_persons_change_does_not_make_mine_counted_again(dco, dmo):
    notify(dco, "One")
    loaded = signed_in_user(dco)
    selectors.forget_changes()

    notify(dmo, "Theirs")

    assert counts_queried(loaded) == (1, 0)


@pytest.mark.django_db
def test_each_request_starts_with_the_count_read_with_its_user(client, dco):
    notify(dco, "One")
    client.force_login(dco)
    client.get(reverse("about"))

    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("about"))

    assert response.context["unread_notification_count"] == 1
    assert "Notifications (1" in response.content.decode()
    # No COUNT of its own: the count came in the user's query.
    assert not [q for q in queries if q["sql"].startswith('SELECT COUNT(*) AS "__count" FROM')]
    assert [q for q in queries if "notifications_notification" in q["sql"]] == [
        q for q in queries if '"roles_user"."password"' in q["sql"]
    ]


@pytest.mark.django_db
def test_a_notification_made_on_another_device_is_shown_on_the_next_page(client, dco):
    client.force_login(dco)
    assert "Notifications (0" in client.get(reverse("about")).content.decode()

    notify(dco, "Made by a task or by someone else")

    assert "Notifications (1" in client.get(reverse("about")).content.decode()


@pytest.mark.django_db
def test_the_header_shows_nought_after_marking_all_read(client, dco):
    notify(dco, "One")
    notify(dco, "Two")
    client.force_login(dco)
    assert "Notifications (2" in client.get(reverse("about")).content.decode()

    response = client.post(reverse("notifications:mark-all-read"), follow=True)

    assert "Notifications (0" in response.content.decode()


@pytest.mark.django_db
def test_the_request_user_carries_the_count(dco):
    """What the pages use: django.contrib.auth's get_user through the session."""
    from django.contrib.sessions.backends.db import SessionStore

    notify(dco, "One")
    request = RequestFactory().get("/")
    request.session = SessionStore()
    from django.contrib.auth import login

    login(request, dco, backend="roles.backends.EmailPasswordBackend")

    assert get_user(request).unread_notification_count == 1


@pytest.mark.django_db
def test_the_header_counts_up_to_a_hundred_and_shows_more_as_99_plus(client, dco, dmo):
    Notification.objects.bulk_create(
        [Notification(recipient=dco, title=f"Reminder {n}") for n in range(150)]
        + [Notification(recipient=dmo, title=f"Reminder {n}") for n in range(99)]
    )

    assert signed_in_user(dco).unread_notification_count == selectors.UNREAD_COUNTED_UP_TO
    assert selectors.count_unread(dco) == selectors.UNREAD_COUNTED_UP_TO
    client.force_login(dco)
    assert "Notifications (99+)" in client.get(reverse("about")).content.decode()
    client.force_login(dmo)
    assert "Notifications (99)" in client.get(reverse("about")).content.decode()
