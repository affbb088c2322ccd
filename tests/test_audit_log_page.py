"""The audit log page: administrators only, newest first, filters, pages of 25, fixed queries."""

import datetime
import re

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditEvent
from audit.services import record_event
from ehcp.tests.factories import ChildFactory
from tests.factories import UserFactory

Kind = AuditEvent.Kind
URL = "/audit/"
QUERIES = 4

pytestmark = pytest.mark.django_db


def event(kind=Kind.SIGNED_IN, *, at=None, **fields):
    """An event recorded at the moment ``at`` (by moving the clock: rows never change)."""
    if at is None:
        return record_event(kind, **fields)
    with time_machine.travel(at, tick=False):
        return record_event(kind, **fields)


def rows(response):
    return list(response.context["page"].object_list)


def test_the_page_is_at_audit_and_named_audit_log():
    assert reverse("audit:log") == URL


def test_an_administrator_sees_the_log_newest_first(client, administrator):
    client.force_login(administrator)
    older = event(Kind.SIGN_IN_FAILED, at=timezone.now() + datetime.timedelta(hours=1))
    newer = event(Kind.LOCKED_OUT, at=timezone.now() + datetime.timedelta(hours=2))

    response = client.get(URL)

    assert response.status_code == 200
    shown = rows(response)
    assert shown[:2] == [newer, older]  # later than the fixtures' own events
    moments = [shown_event.occurred_at for shown_event in shown]
    assert moments == sorted(moments, reverse=True)
    html = response.content.decode()
    assert "Locked out after failed sign-ins" in html
    assert "Sign-in failed" in html


@pytest.mark.parametrize(
    "persona",
    [
        "dmo",
        "dco",
        "clinical_lead",
        "health_professional_a",
        "commissioner",
        "sendiass_officer",
        "send_officer",
        "no_role_user",
    ],
)
def test_nobody_else_may_read_the_log_or_sees_it_in_the_menu(client, request, persona):
    client.force_login(request.getfixturevalue(persona))

    assert client.get(URL).status_code == 403
    home = client.get(reverse("home")).content.decode()
    assert 'href="/audit/"' not in home


def test_the_administrator_has_the_log_in_the_menu(client, administrator):
    client.force_login(administrator)

    home = client.get(reverse("home")).content.decode()

    assert 'href="/audit/"' in home


def test_the_page_offers_no_way_to_change_an_event(client, administrator):
    client.force_login(administrator)
    event(Kind.SIGNED_IN)

    response = client.post(URL, {"kind": "signed-in"})
    html = client.get(URL).content.decode()

    # The page only reads: a POST is treated as a GET of the page, and nothing changes.
    assert response.status_code == 200
    posting_forms = re.findall(r"<form[^>]*method=\"post\"[^>]*>", html)
    assert all('action="/account/' in form for form in posting_forms), posting_forms
    assert AuditEvent.objects.filter(kind=Kind.SIGNED_IN).count() >= 1


def test_each_row_says_who_what_when_in_uk_time_and_utc_and_from_where(client, administrator, rf):
    client.force_login(administrator)
    actor = UserFactory(full_name="Wendy Watcher", email="wendy@example.nhs.uk")
    child = ChildFactory()
    request = rf.get("/", REMOTE_ADDR="192.0.2.44")
    request.user = actor
    made = event(
        Kind.CHILD_RECORD_VIEWED,
        request=request,
        target=child,
        summary="child record",
        at=datetime.datetime(2026, 7, 1, 8, 30, 5, tzinfo=datetime.UTC),
    )

    html = client.get(URL, {"kind": Kind.CHILD_RECORD_VIEWED}).content.decode()

    assert "1 Jul 2026 09:30:05" in html  # British Summer Time
    assert "1 Jul 2026 08:30:05 UTC" in html
    assert f'href="{reverse("roles:person", args=[actor.pk])}">Wendy Watcher</a>' in html
    assert "wendy@example.nhs.uk" in html
    assert f"ehcp.child {child.pk}" in html
    assert "192.0.2.44" in html
    assert "child record" in html
    assert child.last_name not in html  # the log names the record, never the child
    assert made.occurred_at.tzinfo is not None


def test_a_failed_sign_in_shows_the_name_typed(client, administrator, rf):
    client.force_login(administrator)
    event(Kind.SIGN_IN_FAILED, request=rf.get("/"), identifier="someone@example.org")

    html = client.get(URL, {"kind": Kind.SIGN_IN_FAILED}).content.decode()

    assert "Not signed in" in html
    assert "typed someone@example.org" in html


def test_filter_by_kind(client, administrator):
    client.force_login(administrator)
    failed = event(Kind.SIGN_IN_FAILED)
    event(Kind.SIGNED_IN)

    assert rows(client.get(URL, {"kind": Kind.SIGN_IN_FAILED})) == [failed]


def test_filter_by_who_matches_part_of_the_email_or_the_name_typed(client, administrator):
    client.force_login(administrator)
    ann = UserFactory(email="ann.other@example.nhs.uk")
    by_ann = event(Kind.SIGNED_IN, actor=ann)
    typed = event(Kind.SIGN_IN_FAILED, identifier="ANN.OTHER@example.nhs.uk")
    event(Kind.SIGNED_IN, actor=UserFactory(email="bob@example.nhs.uk"))

    assert set(rows(client.get(URL, {"who": "ann.other"}))) == {by_ann, typed}


def test_filter_by_target_type_and_id(client, administrator):
    client.force_login(administrator)
    first, second = ChildFactory(), ChildFactory()
    viewed = event(Kind.CHILD_RECORD_VIEWED, actor=administrator, target=first)
    event(Kind.CHILD_RECORD_VIEWED, actor=administrator, target=second)

    response = client.get(URL, {"target_type": "ehcp.child", "target_id": str(first.pk)})

    assert rows(response) == [viewed]
    assert len(rows(client.get(URL, {"target_type": "ehcp.child"}))) == 2


def test_filter_by_client_address_and_a_clear_error_for_a_bad_one(client, administrator, rf):
    client.force_login(administrator)
    here = event(Kind.SIGNED_IN, request=rf.get("/", REMOTE_ADDR="198.51.100.7"))
    event(Kind.SIGNED_IN, request=rf.get("/", REMOTE_ADDR="198.51.100.8"))

    assert rows(client.get(URL, {"client_address": "198.51.100.7"})) == [here]
    response = client.get(URL, {"client_address": "not an address"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Enter a valid IPv4 or IPv6 address" in html
    assert "<title>Error: " in html


def test_filter_by_dates_takes_whole_days_in_uk_time(client, administrator):
    client.force_login(administrator)
    # 30 June 2026 23:30 UTC is already 1 July in London (BST, UTC+1).
    first_of_july_in_london = event(
        Kind.MFA_RESET, at=datetime.datetime(2026, 6, 30, 23, 30, tzinfo=datetime.UTC)
    )
    last_moment_of_june_in_london = event(
        Kind.MFA_RESET, at=datetime.datetime(2026, 6, 30, 22, 59, 59, tzinfo=datetime.UTC)
    )
    end_of_first_of_july = event(
        Kind.MFA_RESET, at=datetime.datetime(2026, 7, 1, 22, 59, 59, tzinfo=datetime.UTC)
    )
    second_of_july = event(
        Kind.MFA_RESET, at=datetime.datetime(2026, 7, 1, 23, 0, tzinfo=datetime.UTC)
    )

    def between(since, until):
        query = {"kind": Kind.MFA_RESET}
        if since:
            query.update({"date_from_day": since.day, "date_from_month": since.month})
            query["date_from_year"] = since.year
        if until:
            query.update({"date_to_day": until.day, "date_to_month": until.month})
            query["date_to_year"] = until.year
        return set(rows(client.get(URL, query)))

    first_of_july = datetime.date(2026, 7, 1)
    assert between(first_of_july, first_of_july) == {
        first_of_july_in_london,
        end_of_first_of_july,
    }
    assert between(first_of_july, None) == {
        first_of_july_in_london,
        end_of_first_of_july,
        second_of_july,
    }
    assert between(None, datetime.date(2026, 6, 30)) == {last_moment_of_june_in_london}


def test_dates_the_wrong_way_round_or_not_real_say_so(client, administrator):
    client.force_login(administrator)

    backwards = client.get(
        URL,
        {
            "date_from_day": "2",
            "date_from_month": "7",
            "date_from_year": "2026",
            "date_to_day": "1",
            "date_to_month": "7",
            "date_to_year": "2026",
        },
    ).content.decode()
    not_real = client.get(
        URL, {"date_from_day": "31", "date_from_month": "2", "date_from_year": "2026"}
    ).content.decode()

    assert "The date to must be the same as or after the date from" in backwards
    assert "Date from must be a real date" in not_real
    assert "nhsuk-error-summary" in not_real


def test_an_empty_log_or_no_match_says_so(client, administrator):
    client.force_login(administrator)

    html = client.get(URL, {"kind": Kind.MFA_RESET}).content.decode()

    assert "No events to show. Try fewer filters." in html
    assert "<table" not in html


def test_pages_of_25_keep_the_filters(client, administrator):
    client.force_login(administrator)
    for _ in range(30):
        event(Kind.EXPORTED, actor=administrator)

    first = client.get(URL, {"kind": Kind.EXPORTED})
    second = client.get(URL, {"kind": Kind.EXPORTED, "page": 2})

    assert len(rows(first)) == 25
    assert len(rows(second)) == 5
    assert "kind=exported&amp;page=2" in first.content.decode()
    assert set(rows(first)).isdisjoint(rows(second))


def test_the_query_count_does_not_grow_with_the_log(
    client, administrator, django_assert_num_queries
):
    client.force_login(administrator)

    def add_events(how_many):
        for number in range(how_many):
            target = ChildFactory() if number % 2 else None
            event(Kind.CHILD_RECORD_VIEWED, actor=UserFactory(), target=target)

    add_events(3)
    client.get(URL)  # warm the session and the role cache
    # Session (1); the user, with the roles held today and the header's unread count (1);
    # the count and the page of events with their actors (2) (the session is saved at most
    # once a minute: not here).
    with django_assert_num_queries(QUERIES):
        assert len(rows(client.get(URL))) < 25
    add_events(60)
    with django_assert_num_queries(QUERIES):
        assert len(rows(client.get(URL))) == 25


def test_the_page_says_how_long_events_are_kept(client, administrator, settings):
    settings.AUDIT_RETENTION_DAYS = 400
    client.force_login(administrator)

    assert "events older than 400 days are removed" in client.get(URL).content.decode()


@pytest.mark.django_db
def test_the_last_day_there_is_as_date_to_keeps_every_event(client, administrator):
    # Taken as "before the next day", which does not exist after 31 December 9999.
    client.force_login(administrator)

    response = client.get(
        reverse("audit:log"),
        {"date_to_day": "31", "date_to_month": "12", "date_to_year": "9999"},
    )

    assert response.status_code == 200


@pytest.mark.django_db
def test_a_who_longer_than_any_email_is_an_error_not_a_server_error(client, administrator):
    # SQLite refuses a LIKE pattern of 50,000 bytes; no email is longer than 254 characters.
    client.force_login(administrator)

    response = client.get(reverse("audit:log"), {"who": "<b>" * 40000})

    assert response.status_code == 200
    assert "There is a problem" in response.content.decode()
