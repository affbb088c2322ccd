"""Notifications: made by notify() (with an email when there is a template), listed for their
own recipient only, marked read, and counted in the header."""

import datetime

import pytest
import time_machine
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from notifications.models import Notification
from notifications.services import notify
from tests.factories import UserFactory

TEMPLATE = "notifications/email/notification.txt"
ICS = b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nMETHOD:REQUEST\r\nEND:VCALENDAR\r\n"


def calendar_parts(email):
    return [part for part in email.message().walk() if part.get_content_type() == "text/calendar"]


# --- notify() ---------------------------------------------------------------------------------


@pytest.mark.django_db
def test_notify_without_a_template_makes_the_notification_and_sends_no_email(dco):
    notification = notify(dco, "Agenda closed", "Check the papers.", "/meetings/1/")

    assert Notification.objects.get() == notification
    assert (notification.recipient, notification.title, notification.body, notification.link) == (
        dco,
        "Agenda closed",
        "Check the papers.",
        "/meetings/1/",
    )
    assert notification.read_at is None
    assert mail.outbox == []


@pytest.mark.django_db
def test_notify_with_a_template_also_emails_the_recipient_with_the_attachments(dco):
    notify(
        dco,
        "Reminder: SEND Health Café",
        "Jarrow Focus.",
        "/meetings/1/",
        email_subject="Reminder: SEND Health Café on Tuesday",
        email_template=TEMPLATE,
        email_context={"title": "Reminder", "link": "http://127.0.0.1:8000/meetings/1/"},
        attachments=[
            ("meeting.ics", ICS, "text/calendar; method=REQUEST"),
            ("notes.txt", "plain notes", "text/plain"),
        ],
    )

    assert Notification.objects.filter(recipient=dco).count() == 1
    (email,) = mail.outbox
    assert email.to == [dco.email]
    assert email.subject == "Reminder: SEND Health Café on Tuesday"
    assert "Dear Dee Ceeo" in email.body
    assert "http://127.0.0.1:8000/meetings/1/" in email.body
    (ics,) = calendar_parts(email)
    assert ics.get_param("method") == "REQUEST"
    assert ics.get_filename() == "meeting.ics"
    assert ics.get_payload(decode=True) == ICS
    assert "notes.txt" in [part.get_filename() for part in email.message().walk()]


@pytest.mark.django_db
def test_the_email_subject_defaults_to_the_title(dco):
    notify(dco, "Minutes published", email_template=TEMPLATE, email_context={"title": "x"})

    assert mail.outbox[0].subject == "Minutes published"


@pytest.mark.django_db
def test_a_failed_email_keeps_the_notification_and_raises_for_the_caller(dco, settings):
    settings.EMAIL_BACKEND = "notifications.tests.failing_email.Backend"

    with pytest.raises(OSError):
        notify(dco, "Agenda closed", email_template=TEMPLATE, email_context={"title": "x"})

    assert Notification.objects.filter(recipient=dco).count() == 1


@pytest.mark.django_db
@pytest.mark.parametrize(
    "link", ["https://example.com/meetings/1/", "//example.com/", "meetings/1/"]
)
def test_a_notification_links_only_inside_the_portal(dco, link):
    with pytest.raises(ValueError):
        notify(dco, "Agenda closed", link=link)

    assert not Notification.objects.exists()


@pytest.mark.django_db
def test_a_long_title_is_shortened_to_fit(dco):
    notification = notify(dco, "x" * 300)

    assert len(notification.title) == 200
    assert notification.title.endswith("…")


# --- The list page ------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_list_shows_my_notifications_newest_first_with_unread_ones_tagged(client, dco, dmo):
    with time_machine.travel(datetime.datetime(2026, 3, 2, 9, tzinfo=datetime.UTC), tick=False):
        older = notify(dco, "Older news", "Read me", "/meetings/1/")
    with time_machine.travel(datetime.datetime(2026, 3, 3, 9, tzinfo=datetime.UTC), tick=False):
        notify(dco, "Newer news")
    older.read_at = timezone.now()
    older.save()
    notify(dmo, "Somebody else's news")
    client.force_login(dco)

    response = client.get(reverse("notifications:list"))

    assert response.status_code == 200
    page = response.content.decode()
    assert page.index("Newer news") < page.index("Older news")
    assert "Somebody else&#x27;s news" not in page and "Somebody else's news" not in page
    assert page.count("Unread</strong>") == 1
    assert page.count(">Read</strong>") == 1
    assert '<a href="/meetings/1/">Older news</a>' in page
    assert "Mark all as read" in page


@pytest.mark.django_db
def test_the_list_says_so_when_there_are_no_notifications(client, no_role_user):
    client.force_login(no_role_user)

    page = client.get(reverse("notifications:list")).content.decode()

    assert "You have no notifications" in page
    assert "Mark all as read" not in page


@pytest.mark.django_db
def test_the_list_is_paginated(client, dco):
    Notification.objects.bulk_create(
        [Notification(recipient=dco, title=f"News {n}") for n in range(30)]
    )
    client.force_login(dco)

    first = client.get(reverse("notifications:list"))
    second = client.get(reverse("notifications:list"), {"page": 2})

    assert len(first.context["page"].object_list) == 25
    assert len(second.context["page"].object_list) == 5
    assert "Page 2 of 2" in first.content.decode()


@pytest.mark.django_db
def test_the_list_page_runs_a_fixed_number_of_queries(client, dco, django_assert_num_queries):
    Notification.objects.bulk_create(
        [Notification(recipient=dco, title=f"News {n}") for n in range(30)]
    )
    client.force_login(dco)
    client.get(reverse("notifications:list"))  # warm the session

    # session, user (with the roles held today, for the navigation, and the header's unread
    # count), the paginator's count, the page's rows (the session is saved at most once a
    # minute: not here).
    with django_assert_num_queries(4):
        client.get(reverse("notifications:list"))


# --- Marking read ----------------------------------------------------------------------------


@pytest.mark.django_db
def test_mark_all_read_marks_only_my_notifications(client, dco, dmo):
    mine = [notify(dco, "One"), notify(dco, "Two")]
    theirs = notify(dmo, "Theirs")
    client.force_login(dco)

    response = client.post(reverse("notifications:mark-all-read"), follow=True)

    assert response.redirect_chain == [(reverse("notifications:list"), 302)]
    assert "2 notifications marked as read." in response.content.decode()
    for notification in mine:
        notification.refresh_from_db()
        assert notification.read_at is not None
    theirs.refresh_from_db()
    assert theirs.read_at is None


@pytest.mark.django_db
def test_mark_all_read_needs_a_post(client, dco):
    notify(dco, "One")
    client.force_login(dco)

    response = client.get(reverse("notifications:mark-all-read"))

    assert response.status_code == 405
    assert Notification.objects.get().read_at is None


@pytest.mark.django_db
def test_notification_pages_need_signing_in(client):
    for name in ("notifications:list", "notifications:mark-all-read"):
        response = client.post(reverse(name))
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("sign-in"))


# --- The header count ------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_header_links_to_my_notifications_with_my_unread_count(client, dco, dmo):
    notify(dco, "One")
    notify(dco, "Two")
    read = notify(dco, "Three")
    read.read_at = timezone.now()
    read.save()
    notify(dmo, "Theirs")
    client.force_login(dco)

    response = client.get(reverse("home"))

    page = response.content.decode()
    assert f'href="{reverse("notifications:list")}">Notifications (2' in page
    assert response.context["unread_notification_count"] == 2


@pytest.mark.django_db
def test_the_header_count_is_zero_after_marking_all_read(client, dco):
    notify(dco, "One")
    client.force_login(dco)

    client.post(reverse("notifications:mark-all-read"))
    page = client.get(reverse("home")).content.decode()

    assert "Notifications (0" in page


@pytest.mark.django_db
def test_signed_out_pages_have_no_notification_count(client):
    response = client.get(reverse("sign-in"))

    assert "unread_notification_count" not in response.context
    assert "Notifications (" not in response.content.decode()


@pytest.mark.django_db
def test_a_user_with_no_role_still_has_notifications(client):
    person = UserFactory(full_name="New Starter")
    notify(person, "Welcome")
    client.force_login(person)

    page = client.get(reverse("notifications:list")).content.decode()

    assert "Welcome" in page


@pytest.mark.django_db
def test_an_email_names_the_places_its_recipient_works_in(settings):
    from roles.models import RoleCode
    from tests.factories import LocalAreaFactory, person_holding

    sunderland = LocalAreaFactory(name="Sunderland")
    assert settings.LOCAL_AREA_NAME != "Sunderland"  # the deployment's own name differs
    dco = person_holding(RoleCode.DCO, areas=[sunderland])
    notify(
        dco,
        "Meeting cancelled",
        email_template="meetings/email/meeting_cancelled.txt",
        email_context={"meeting_name": "SEND Health Café", "when": "Tuesday", "link": "/"},
    )
    (email,) = mail.outbox
    assert f"{settings.SERVICE_TITLE} — Sunderland" in email.body
    assert settings.LOCAL_AREA_NAME not in email.body
