"""Each signed-in session is recorded; the person sees their own and signs the others out."""

import datetime

import pytest
import time_machine
from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditEvent
from session_security.models import SignedInSession
from session_security.tests.conftest import SAFARI_ON_IPHONE, sign_in
from tests.factories import DEFAULT_TEST_PASSWORD

SESSIONS_URL = reverse("session_security:sessions")
SIGN_OUT_OTHERS_URL = reverse("session_security:sign-out-others")


def is_signed_in(client) -> bool:
    response = client.get(SESSIONS_URL)
    return response.status_code == 200


@pytest.mark.django_db
def test_signing_in_records_the_session_with_its_browser_and_address(client, dmo):
    sign_in(client, dmo, DEFAULT_TEST_PASSWORD)

    row = SignedInSession.objects.get(user=dmo)
    assert row.session_key == client.session.session_key
    assert row.browser == "Firefox on Windows"
    assert row.client_address == "192.0.2.10"
    assert row.ended_at is None


@pytest.mark.django_db
def test_signing_out_ends_the_session_record(client, dmo):
    sign_in(client, dmo, DEFAULT_TEST_PASSWORD)

    client.post(reverse("sign-out"))

    row = SignedInSession.objects.get(user=dmo)
    assert row.ended_at is not None
    assert not Session.objects.filter(session_key=row.session_key).exists()


@pytest.mark.django_db
def test_the_page_lists_the_persons_active_sessions_with_this_device_first(dmo):
    laptop, phone = Client(), Client()
    sign_in(phone, dmo, DEFAULT_TEST_PASSWORD, user_agent=SAFARI_ON_IPHONE, address="192.0.2.20")
    sign_in(laptop, dmo, DEFAULT_TEST_PASSWORD)

    page = laptop.get(SESSIONS_URL).content.decode()

    assert "Firefox on Windows" in page
    assert "Mobile Safari on iOS" in page
    assert "192.0.2.20" in page
    this_device = page.index("This device")
    assert page.index("Firefox on Windows") < this_device < page.index("Mobile Safari")
    assert page.count("This device") == 1
    assert "Sign out your other sessions" in page


@pytest.mark.django_db
def test_the_page_shows_only_the_persons_own_sessions(client, dmo, dco):
    other = Client()
    sign_in(other, dco, DEFAULT_TEST_PASSWORD, user_agent=SAFARI_ON_IPHONE, address="192.0.2.99")
    sign_in(client, dmo, DEFAULT_TEST_PASSWORD)

    page = client.get(SESSIONS_URL).content.decode()

    assert "Mobile Safari" not in page
    assert "192.0.2.99" not in page
    assert "You are not signed in anywhere else" in page


@pytest.mark.django_db
def test_expired_and_signed_out_sessions_are_not_listed(dmo):
    gone, expired, here = Client(), Client(), Client()
    sign_in(gone, dmo, DEFAULT_TEST_PASSWORD, address="192.0.2.31")
    gone.post(reverse("sign-out"))
    sign_in(expired, dmo, DEFAULT_TEST_PASSWORD, address="192.0.2.32")
    Session.objects.filter(session_key=expired.session.session_key).update(
        expire_date=timezone.now() - datetime.timedelta(seconds=1)
    )
    sign_in(here, dmo, DEFAULT_TEST_PASSWORD, address="192.0.2.33")

    page = here.get(SESSIONS_URL).content.decode()

    assert "192.0.2.33" in page
    assert "192.0.2.31" not in page
    assert "192.0.2.32" not in page


@pytest.mark.django_db
def test_the_list_takes_a_fixed_number_of_queries(dmo):
    here = Client()
    sign_in(here, dmo, DEFAULT_TEST_PASSWORD)
    here.get(SESSIONS_URL)  # warm: the first request writes "last seen"

    def count_queries():
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as queries:
            assert here.get(SESSIONS_URL).status_code == 200
        return len(queries)

    with_one = count_queries()
    for _ in range(4):
        sign_in(Client(), dmo, DEFAULT_TEST_PASSWORD)
    # The session and its user, the person's open sessions, the store's copies of them,
    # and the session saved at the end: the same however many sessions there are.
    assert count_queries() == with_one


@pytest.mark.django_db
def test_signing_out_the_other_sessions_ends_them_and_keeps_this_one(dmo):
    laptop, phone, tablet = Client(), Client(), Client()
    sign_in(phone, dmo, DEFAULT_TEST_PASSWORD, user_agent=SAFARI_ON_IPHONE)
    sign_in(tablet, dmo, DEFAULT_TEST_PASSWORD)
    sign_in(laptop, dmo, DEFAULT_TEST_PASSWORD)

    response = laptop.post(SIGN_OUT_OTHERS_URL, follow=True)

    assert "You signed out 2 other sessions." in response.content.decode()
    assert is_signed_in(laptop)
    assert not is_signed_in(phone)
    assert not is_signed_in(tablet)
    for client in (phone, tablet):
        assert not Session.objects.filter(session_key=client.cookies["sessionid"].value).exists()
    assert SignedInSession.objects.filter(user=dmo, ended_at__isnull=True).count() == 1
    event = AuditEvent.objects.get(kind=AuditEvent.Kind.SESSIONS_ENDED)
    assert event.actor == dmo
    assert event.summary == "Signed out 2 other session(s)"


@pytest.fixture
def sessions_read_through_the_cache(settings):
    """The sessions store production uses with Redis (send_portal/settings.py)."""
    settings.SHARED_CACHE = True
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"


@pytest.mark.django_db
def test_with_sessions_read_through_the_cache_the_others_still_end(
    sessions_read_through_the_cache, dmo
):
    from django.contrib.sessions.backends.cached_db import KEY_PREFIX
    from django.core.cache import cache

    laptop, phone = Client(), Client()
    sign_in(phone, dmo, DEFAULT_TEST_PASSWORD, user_agent=SAFARI_ON_IPHONE)
    sign_in(laptop, dmo, DEFAULT_TEST_PASSWORD)
    phone_key = phone.cookies["sessionid"].value
    assert is_signed_in(phone)
    assert cache.get(KEY_PREFIX + phone_key) is not None  # the phone's session is cached

    laptop.post(SIGN_OUT_OTHERS_URL)

    assert cache.get(KEY_PREFIX + phone_key) is None
    assert not Session.objects.filter(session_key=phone_key).exists()
    assert not is_signed_in(phone)
    assert is_signed_in(laptop)


@pytest.mark.django_db
def test_with_sessions_read_through_the_cache_a_page_reads_no_session_row(
    sessions_read_through_the_cache, client, dmo
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    sign_in(client, dmo, DEFAULT_TEST_PASSWORD)
    client.get(SESSIONS_URL)
    with CaptureQueriesContext(connection) as queries:
        client.get(reverse("home"))

    assert not [q for q in queries.captured_queries if "django_session" in q["sql"]]


@pytest.mark.django_db
def test_signing_out_the_others_needs_a_post(client, dmo):
    sign_in(client, dmo, DEFAULT_TEST_PASSWORD)
    assert client.get(SIGN_OUT_OTHERS_URL).status_code == 405


@pytest.mark.django_db
def test_nobody_can_sign_out_someone_elses_sessions(dmo, dco):
    """An IDOR attempt: the other person's session id in the form changes nothing."""
    victim, attacker = Client(), Client()
    sign_in(victim, dco, DEFAULT_TEST_PASSWORD)
    sign_in(attacker, dmo, DEFAULT_TEST_PASSWORD)
    victims_row = SignedInSession.objects.get(user=dco)

    attacker.post(
        SIGN_OUT_OTHERS_URL,
        {"session": victims_row.pk, "session_key": victims_row.session_key, "user": dco.pk},
    )
    attacker.post(SIGN_OUT_OTHERS_URL + f"?session={victims_row.pk}&user={dco.pk}")

    assert is_signed_in(victim)
    victims_row.refresh_from_db()
    assert victims_row.ended_at is None
    assert Session.objects.filter(session_key=victims_row.session_key).exists()


@pytest.mark.django_db
def test_the_pages_need_sign_in(client):
    for url in (SESSIONS_URL, SIGN_OUT_OTHERS_URL):
        response = client.post(url) if url == SIGN_OUT_OTHERS_URL else client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("sign-in"))


@pytest.mark.django_db
def test_last_seen_is_written_at_most_once_a_minute(client, dmo):
    start = timezone.now()
    with time_machine.travel(start, tick=False) as traveller:
        sign_in(client, dmo, DEFAULT_TEST_PASSWORD)
        row = SignedInSession.objects.get(user=dmo)

        traveller.shift(datetime.timedelta(seconds=30))
        client.get(SESSIONS_URL)
        row.refresh_from_db()
        assert row.last_seen_at == start

        traveller.shift(datetime.timedelta(seconds=31))
        client.get(SESSIONS_URL)
        row.refresh_from_db()
        assert row.last_seen_at == start + datetime.timedelta(seconds=61)


@pytest.mark.django_db
def test_a_request_within_the_minute_writes_nothing_but_the_session(client, dmo):
    sign_in(client, dmo, DEFAULT_TEST_PASSWORD)
    client.get(SESSIONS_URL)
    url = reverse("session_security:keep-alive")

    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        assert client.post(url).status_code == 204
    sqls = [q["sql"] for q in queries.captured_queries]
    # The session read, the user, the session saved (in a savepoint): nothing else.
    assert len(sqls) == 5, "\n".join(sqls)
    assert not [sql for sql in sqls if "session_security" in sql]


@pytest.mark.django_db
def test_a_session_ended_elsewhere_is_signed_out_even_if_the_store_still_has_it(client, dmo):
    sign_in(client, dmo, DEFAULT_TEST_PASSWORD)
    SignedInSession.objects.filter(user=dmo).update(ended_at=timezone.now())

    with time_machine.travel(timezone.now() + datetime.timedelta(minutes=2)):
        response = client.get(SESSIONS_URL)

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("sign-in"))


@pytest.mark.django_db
def test_a_session_signed_in_before_records_were_kept_gets_one(client, dmo):
    client.force_login(dmo)
    SignedInSession.objects.all().delete()
    session = client.session
    del session["session_security.row"]
    session.save()

    assert client.get(SESSIONS_URL).status_code == 200

    assert SignedInSession.objects.filter(user=dmo, session_key=client.session.session_key).exists()
