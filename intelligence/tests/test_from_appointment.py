"""Passing a concern from a clinic appointment to the intelligence log, in one step."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from clinics import services as clinic_services
from clinics.tests.conftest import book, make_referral, tomorrow_at
from intelligence.models import Concern, ConcernSource, Theme

pytestmark = pytest.mark.django_db


@pytest.fixture
def appointment(dmo, clinical_lead):
    referral = make_referral(clinical_lead, accept=True)
    appointment = book(referral, [dmo], clinical_lead, tomorrow_at(10))
    # Booked earlier for a time that has now passed (test setup only).
    appointment.starts_at -= datetime.timedelta(days=3)
    appointment.ends_at -= datetime.timedelta(days=3)
    appointment.save()
    clinic_services.save_clinical_notes(appointment, "Private clinical observation.", dmo)
    return appointment


@pytest.fixture
def theme(db):
    return Theme.objects.filter(is_active=True).first() or Theme.objects.create(name="Waiting")


def _url(appointment):
    return reverse("intelligence:concern-from-appointment", args=[appointment.pk])


def test_the_form_pre_fills_nothing_identifying(client, dmo, appointment):
    client.force_login(dmo)
    response = client.get(_url(appointment))
    assert response.status_code == 200
    html = response.content.decode()
    assert appointment.child.first_name not in html
    assert appointment.child.last_name not in html
    assert "Private clinical observation." not in html


def test_a_summary_with_the_childs_name_is_refused_and_what_was_typed_is_kept(
    client, dmo, appointment, theme
):
    client.force_login(dmo)
    child = appointment.child
    summary = f"Mum of {child.first_name} {child.last_name} says the wait is too long."
    response = client.post(
        _url(appointment), {"summary": summary, "themes": [theme.pk], "families": 1}
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "name of a child on record" in html
    assert "the wait is too long" in html  # kept for correcting
    assert not Concern.objects.exists()


def test_an_nhs_number_is_refused(client, dmo, appointment, theme):
    client.force_login(dmo)
    response = client.post(
        _url(appointment),
        {"summary": "Child 943 476 5919 waited long.", "themes": [theme.pk], "families": 1},
    )
    assert response.status_code == 200
    assert "NHS number" in response.content.decode()
    assert not Concern.objects.exists()


def test_an_anonymous_concern_is_logged_and_linked_to_the_appointment(
    client, dmo, appointment, theme
):
    client.force_login(dmo)
    response = client.post(
        _url(appointment),
        {
            "summary": "A parent of a pre-school child found the wait for assessment too long.",
            "themes": [theme.pk],
            "service": "community-paediatrics",
            "families": 1,
        },
    )
    assert response.status_code == 302
    concern = Concern.objects.get()
    assert concern.source == ConcernSource.APPOINTMENT
    assert concern.source_appointment == appointment
    assert concern.raised_on == timezone.localtime(appointment.starts_at).date()
    assert concern.logged_by == dmo
    assert list(concern.themes.all()) == [theme]
    assert "Private clinical observation." not in concern.summary


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("dmo", 200),
        ("clinical_lead", 200),
        ("dco", 403),  # may log concerns but not open the clinic's appointments
        ("sendiass_officer", 403),
        ("health_professional_a", 404),  # works in no area: not theirs to know of
        ("commissioner", 403),
        ("no_role_user", 404),
    ],
)
def test_who_may_pass_a_concern_from_an_appointment(client, request, appointment, persona, status):
    client.force_login(request.getfixturevalue(persona))
    assert client.get(_url(appointment)).status_code == status


def test_an_appointment_that_does_not_exist_is_not_found(client, dmo):
    client.force_login(dmo)
    url = reverse("intelligence:concern-from-appointment", args=[424242])
    assert client.get(url).status_code == 404
