"""The header's unread count, kept in the shared cache until one of the person's
notifications changes (notifications.selectors.unread_count): never stale, one query fewer
on every page while nothing changes."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from notifications import selectors
from notifications.models import Notification
from notifications.services import mark_all_read, notify


@pytest.fixture
def shared_cache(settings):
    """The shared cache's behaviour, in this test process's own memory."""
    settings.SHARED_CACHE = True
    from django.core.cache import cache

    cache.clear()


def counts_queried(user) -> tuple[int, int]:
    with CaptureQueriesContext(connection) as queries:
        count = selectors.unread_count(user)
    return count, sum("notifications_notification" in q["sql"] for q in queries)


@pytest.mark.django_db
def test_once_counted_the_count_is_kept_and_read_without_a_query(shared_cache, dco):
    notify(dco, "One")
    notify(dco, "Two")

    assert counts_queried(dco)[0] == 2
    assert counts_queried(dco)[0] == 2
    assert counts_queried(dco) == (2, 0)


@pytest.mark.django_db
def test_a_new_notification_is_counted_on_the_next_page(shared_cache, dco):
    notify(dco, "One")
    for _ in range(3):
        selectors.unread_count(dco)

    notify(dco, "Two")

    assert counts_queried(dco) == (2, 1)


@pytest.mark.django_db
def test_one_read_or_all_read_elsewhere_is_seen_on_the_next_page(shared_cache, dco):
    first = notify(dco, "One")
    notify(dco, "Two")
    notify(dco, "Three")
    for _ in range(3):
        selectors.unread_count(dco)

    first.read_at = timezone.now()
    first.save()
    assert selectors.unread_count(dco) == 2

    mark_all_read(dco)  # a bulk update: no signal
    assert selectors.unread_count(dco) == 0


@pytest.mark.django_db
def test_a_deleted_notification_is_no_longer_counted(shared_cache, dco):
    notify(dco, "One")
    gone = notify(dco, "Two")
    for _ in range(3):
        selectors.unread_count(dco)

    gone.delete()

    assert selectors.unread_count(dco) == 1


@pytest.mark.django_db
def test_a_count_taken_while_a_change_commits_is_not_kept(shared_cache, dco, monkeypatch):
    notify(dco, "One")
    for _ in range(3):
        selectors.unread_count(dco)
    selectors.notifications_changed(dco.pk)  # the count must be taken again
    counted_before_the_change = selectors.count_unread

    def counting_while_another_change_lands(user):
        found = counted_before_the_change(user)  # sees 1
        Notification.objects.create(recipient=user, title="Two")  # lands meanwhile
        return found

    monkeypatch.setattr(selectors, "count_unread", counting_while_another_change_lands)
    assert selectors.unread_count(dco) == 1
    monkeypatch.setattr(selectors, "count_unread", counted_before_the_change)

    assert selectors.unread_count(dco) == 2


@pytest.mark.django_db
def test_each_person_has_their_own_count(shared_cache, dco, dmo):
    notify(dco, "One")
    for _ in range(3):
        selectors.unread_count(dco)

    notify(dmo, "Theirs")
    notify(dmo, "Theirs too")

    assert selectors.unread_count(dco) == 1
    assert selectors.unread_count(dmo) == 2


@pytest.mark.django_db
def test_with_the_cache_out_of_reach_the_count_is_taken_each_time(shared_cache, dco, settings):
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",  # nothing listens on port 1
        }
    }
    notify(dco, "One")

    assert counts_queried(dco) == (1, 1)
    assert counts_queried(dco) == (1, 1)


@pytest.mark.django_db
def test_without_a_shared_cache_every_page_counts(dco, settings):
    settings.SHARED_CACHE = False
    notify(dco, "One")
    for _ in range(3):
        assert counts_queried(dco) == (1, 1)


@pytest.mark.django_db
def test_the_header_shows_the_kept_count_and_the_change(shared_cache, client, dco):
    notify(dco, "One")
    client.force_login(dco)
    for _ in range(3):
        client.get(reverse("home"))

    notify(dco, "Two")

    assert "Notifications (2" in client.get(reverse("home")).content.decode()
