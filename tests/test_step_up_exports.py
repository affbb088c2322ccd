"""Exports of identifiable data ask for the password again when it is stale, and every
download of a file is an audit event (the anonymous reports too, without the step-up)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from urllib.parse import parse_qsl, urlsplit

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from audit.models import AuditEvent
from clinics.tests.conftest import book, make_referral
from ehcp.tests.factories import make_plan_waiting_for_sign_off
from intelligence import services
from intelligence.report import Period
from meetings.tests.factories import make_series, next_meeting
from session_security.step_up import confirm_password_url
from session_security.tests.conftest import make_password_stale
from tests.factories import DEFAULT_TEST_PASSWORD


@dataclass
class Export:
    user: object
    url: str
    target_type: str
    summary_starts: str


def version_print(request) -> Export:
    version = make_plan_waiting_for_sign_off(
        author=request.getfixturevalue("clinical_lead")
    ).versions.get()
    return Export(
        request.getfixturevalue("dco"),
        reverse("ehcp:version-print", args=[version.pk]),
        "ehcp.sectionsversion",
        "Health sections printout",
    )


def version_pdf(request) -> Export:
    version = make_plan_waiting_for_sign_off(
        author=request.getfixturevalue("clinical_lead")
    ).versions.get()
    return Export(
        request.getfixturevalue("dco"),
        reverse("ehcp:version-pdf", args=[version.pk]),
        "ehcp.sectionsversion",
        "Health sections PDF",
    )


def _meeting(request):
    request.getfixturevalue("dmo")
    request.getfixturevalue("clinical_lead")
    dco = request.getfixturevalue("dco")
    series = make_series(starts_on=timezone.localdate() + datetime.timedelta(days=21))
    return dco, next_meeting(series)


def agenda_csv(request) -> Export:
    dco, meeting = _meeting(request)
    return Export(
        dco, reverse("meetings:agenda-csv", args=[meeting.pk]), "meetings.meeting", "Meeting agenda"
    )


def minutes_pdf(request) -> Export:
    dco, meeting = _meeting(request)
    return Export(
        dco,
        reverse("meetings:minutes-pdf", args=[meeting.pk]),
        "meetings.meeting",
        "Meeting minutes",
    )


def actions_csv(request) -> Export:
    return Export(
        request.getfixturevalue("dco"), reverse("meetings:actions-csv"), "", "Meeting actions CSV"
    )


def appointment_letter(request) -> Export:
    dmo = request.getfixturevalue("dmo")
    clinical_lead = request.getfixturevalue("clinical_lead")
    appointment = book(make_referral(clinical_lead, accept=True), [dmo], clinical_lead)
    return Export(
        dmo,
        reverse("clinics:appointment-letter", args=[appointment.pk]),
        "clinics.appointment",
        "Appointment letter PDF",
    )


def tribunal_response_letter(request) -> Export:
    from tribunal import services
    from tribunal.tests.conftest import make_appeal

    dco, dmo = request.getfixturevalue("dco"), request.getfixturevalue("dmo")
    recommendation = services.record_recommendation(
        make_appeal(dco), made_on=timezone.localdate(), recommendation="Therapy.", user=dco
    )
    services.draft_response(
        recommendation, response="follow", response_text="We will.", reasons="", user=dco
    )
    services.approve_response(recommendation, dmo)
    return Export(
        dmo,
        reverse("tribunal:response-letter", args=[recommendation.pk]),
        "tribunal.recommendation",
        "Tribunal response letter",
    )


IDENTIFIABLE = [
    version_print,
    version_pdf,
    agenda_csv,
    minutes_pdf,
    actions_csv,
    appointment_letter,
    tribunal_response_letter,
]


def concerns_csv(request) -> Export:
    return Export(
        request.getfixturevalue("commissioner"),
        reverse("intelligence:concerns-csv") + "?start=2025-04-01&end=2025-06-30",
        "",
        "Concerns CSV 2025-04-01 to 2025-06-30",
    )


def governance_pack(request) -> Export:
    settings = request.getfixturevalue("settings")
    settings.MEDIA_ROOT = request.getfixturevalue("tmp_path")
    commissioner = request.getfixturevalue("commissioner")
    pack = services.request_report_pack(
        commissioner, Period(datetime.date(2025, 4, 1), datetime.date(2025, 6, 30))
    )
    assert services.build_report_pack(pack.pk) == services.Pack.READY
    return Export(
        commissioner,
        reverse("intelligence:pack-download", args=[pack.pk]),
        "",
        "Governance pack PDF 2025-04-01 to 2025-06-30",
    )


ANONYMOUS = [concerns_csv, governance_pack]


def download(client, url):
    response = client.get(url)
    if getattr(response, "streaming", False):
        b"".join(response.streaming_content)  # the whole file, as a browser reads it
    return response


def exported(user):
    return AuditEvent.objects.filter(kind=AuditEvent.Kind.EXPORTED, actor=user)


@pytest.mark.django_db
@pytest.mark.parametrize("make", IDENTIFIABLE, ids=lambda make: make.__name__)
def test_a_stale_password_is_asked_for_before_the_export(request, make):
    export = make(request)
    client = Client()
    client.force_login(export.user)
    make_password_stale(client)

    response = download(client, export.url)

    assert response.status_code == 302
    assert response["Location"] == confirm_password_url(export.url)
    assert not exported(export.user).exists()


@pytest.mark.django_db
@pytest.mark.parametrize("make", IDENTIFIABLE, ids=lambda make: make.__name__)
def test_after_confirming_the_password_the_file_comes_and_is_recorded_once(request, make):
    export = make(request)
    client = Client()
    client.force_login(export.user)
    make_password_stale(client)

    confirmed = client.post(
        reverse("session_security:confirm-password"),
        {"password": DEFAULT_TEST_PASSWORD, "next": export.url},
    )
    assert confirmed["Location"] == export.url
    response = download(client, export.url)

    assert response.status_code == 200
    event = exported(export.user).get()
    assert event.target_type == export.target_type
    assert event.summary.startswith(export.summary_starts)
    assert event.url_name


@pytest.mark.django_db
@pytest.mark.parametrize("make", IDENTIFIABLE + ANONYMOUS, ids=lambda make: make.__name__)
def test_each_download_is_one_audit_event(request, make):
    export = make(request)
    client = Client()
    client.force_login(export.user)  # signing in entered the password just now

    for _ in range(2):
        assert download(client, export.url).status_code == 200

    assert exported(export.user).count() == 2


@pytest.mark.django_db
@pytest.mark.parametrize("make", ANONYMOUS, ids=lambda make: make.__name__)
def test_anonymous_reports_need_no_step_up_but_are_recorded(request, make):
    export = make(request)
    client = Client()
    client.force_login(export.user)
    make_password_stale(client)

    response = download(client, export.url)

    assert response.status_code == 200
    assert exported(export.user).get().summary.startswith(export.summary_starts)


@pytest.mark.django_db
@pytest.mark.parametrize("make", IDENTIFIABLE, ids=lambda make: make.__name__)
def test_someone_without_the_permission_is_refused_before_being_asked(request, make):
    export = make(request)
    client = Client()
    client.force_login(request.getfixturevalue("no_role_user"))
    make_password_stale(client)

    # Refused (403), or for a meeting's or the clinic's record, which the person working in no
    # area cannot reach at all, not found (404): either way before any step-up is asked.
    assert client.get(export.url).status_code in (403, 404)
    assert not AuditEvent.objects.filter(kind=AuditEvent.Kind.EXPORTED).exists()


# --- Back to the page the download was started from ----------------------------------

DOWNLOADS = [version_pdf, agenda_csv, minutes_pdf, actions_csv, appointment_letter]


@pytest.mark.django_db
@pytest.mark.parametrize("make", DOWNLOADS, ids=lambda make: make.__name__)
def test_after_the_password_the_person_is_back_on_their_page_and_the_download_starts(request, make):
    export = make(request)
    client = Client()
    client.force_login(export.user)
    make_password_stale(client)
    came_from = "/?tab=mine"  # any page of the portal: home, with a query of its own

    asked = client.get(export.url, HTTP_REFERER=f"http://testserver{came_from}")
    confirmed = client.post(
        asked["Location"].split("?")[0],
        {"password": DEFAULT_TEST_PASSWORD, **dict(parse_qsl(asked["Location"].split("?")[1]))},
    )

    assert confirmed.status_code == 302
    back = urlsplit(confirmed["Location"])
    assert back.path == "/"
    query = dict(parse_qsl(back.query))
    assert query["tab"] == "mine"
    token = query["download"]
    # The token is random, one-time and says nothing about the file or the child.
    assert len(token) >= 16 and token not in export.url
    page = client.get(confirmed["Location"]).content.decode()
    assert f'href="{escape(export.url)}"' in page and "data-portal-download" in page
    again = client.get(confirmed["Location"]).content.decode()
    assert "data-portal-download" not in again  # used once
    assert download(client, export.url).status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize(
    "referer",
    [
        "https://elsewhere.example/phish",  # another site
        "",  # none sent
    ],
)
def test_without_a_page_of_this_site_to_go_back_to_the_file_comes_as_before(request, referer):
    export = version_pdf(request)
    client = Client()
    client.force_login(export.user)
    make_password_stale(client)

    asked = client.get(export.url, HTTP_REFERER=referer)

    assert asked["Location"] == confirm_password_url(export.url)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "address",
    [
        "https://evil.example/x",  # another site
        "//evil.example/x",  # another site, without a scheme
        "/account/sessions/",  # a page of this site, but not a download
    ],
)
def test_a_download_address_from_elsewhere_is_never_followed(client, dco, address):
    client.force_login(dco)
    make_password_stale(client)

    confirmed = client.post(
        reverse("session_security:confirm-password"),
        {"password": DEFAULT_TEST_PASSWORD, "next": "/", "download": address},
    )

    assert confirmed["Location"] == "/"
