"""Booking (no double booking), attendance, DNA, outcomes, notes and who may read them."""

import datetime
import threading

import pytest
from django.db import close_old_connections, connection
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditEvent
from clinics import services
from clinics.models import Appointment, Outcome, Referral
from clinics.tests.conftest import book, make_child, make_referral, tomorrow_at

pytestmark = pytest.mark.django_db


def test_a_clinician_cannot_be_double_booked(waiting_referral, dmo, clinical_lead):
    book(waiting_referral, [dmo], clinical_lead, tomorrow_at(10), 60)
    other = make_referral(clinical_lead, accept=True)
    with pytest.raises(services.RefusedChange, match="Dr Dee Emmo is already booked"):
        book(other, [clinical_lead, dmo], clinical_lead, tomorrow_at(10, 30), 60)
    assert Appointment.objects.count() == 1
    # Back to back is fine, and so is another clinician at the same time.
    book(other, [dmo], clinical_lead, tomorrow_at(11), 30)
    book(other, [clinical_lead], clinical_lead, tomorrow_at(10, 30), 30)


def test_a_cancelled_appointment_frees_the_slot(appointment, dmo, clinical_lead):
    services.record_attendance(appointment, Appointment.Status.CANCELLED, None)
    other = make_referral(clinical_lead, accept=True)
    assert book(other, [dmo], clinical_lead, tomorrow_at(10)).pk


def test_an_appointment_in_the_past_cannot_be_booked(waiting_referral, dmo, clinical_lead):
    with pytest.raises(services.RefusedChange, match="in the past"):
        book(waiting_referral, [dmo], clinical_lead, timezone.now() - datetime.timedelta(hours=1))
    assert not Appointment.objects.exists()


def test_a_referral_awaiting_triage_cannot_be_booked(dmo, clinical_lead):
    referral = make_referral(clinical_lead)
    with pytest.raises(services.RefusedChange, match="waiting list"):
        book(referral, [dmo], clinical_lead)


def _move_into_the_past(appointment, days=1):
    # Test setup only: an appointment booked earlier whose time has now passed.
    appointment.starts_at -= datetime.timedelta(days=days + 1)
    appointment.ends_at -= datetime.timedelta(days=days + 1)
    appointment.save()
    return appointment


def test_a_did_not_attend_needs_its_date(appointment, clinical_lead):
    _move_into_the_past(appointment)
    with pytest.raises(services.RefusedChange, match="Enter the date the family did not attend"):
        services.record_attendance(appointment, Appointment.Status.DID_NOT_ATTEND, None)
    appointment.refresh_from_db()
    assert appointment.status == Appointment.Status.BOOKED
    with pytest.raises(services.RefusedChange, match="today or in the past"):
        services.record_attendance(
            appointment,
            Appointment.Status.DID_NOT_ATTEND,
            timezone.localdate() + datetime.timedelta(days=3),
        )
    done = services.record_attendance(
        appointment, Appointment.Status.DID_NOT_ATTEND, timezone.localdate()
    )
    assert done.status == Appointment.Status.DID_NOT_ATTEND
    assert done.referral.assessment_started_on is None


def test_a_dna_without_a_date_is_refused_in_the_page(client, appointment, dmo):
    _move_into_the_past(appointment)
    client.force_login(dmo)
    response = client.post(
        reverse("clinics:appointment-attendance", args=[appointment.pk]),
        {"status": "did-not-attend"},
    )
    assert response.status_code == 200
    assert "Enter the date the family did not attend" in response.content.decode()


def test_attending_starts_the_assessment_and_the_outcome_completes_the_referral(
    appointment, clinical_lead
):
    _move_into_the_past(appointment, days=3)
    seen_on = timezone.localtime(appointment.starts_at).date()
    with pytest.raises(services.RefusedChange, match="attended"):
        services.record_outcome(appointment, Outcome.AUTISM_DIAGNOSED)
    services.record_attendance(appointment, Appointment.Status.ATTENDED, seen_on)
    services.record_outcome(appointment, Outcome.AUTISM_DIAGNOSED)
    referral = Referral.objects.get(pk=appointment.referral_id)
    assert referral.assessment_started_on == seen_on
    assert referral.outcome == Outcome.AUTISM_DIAGNOSED and referral.outcome_on == seen_on
    assert referral.status == Referral.Status.COMPLETE
    offer = services.offer_support(
        referral, kind="parent-programme", offered_on=timezone.localdate(), user=clinical_lead
    )
    services.record_take_up(offer, "yes")
    offer.refresh_from_db()
    assert offer.taken_up == "yes"


def test_support_is_offered_only_after_a_diagnosis(waiting_referral, clinical_lead):
    with pytest.raises(services.RefusedChange, match="after a diagnosis"):
        services.offer_support(
            waiting_referral,
            kind="information-pack",
            offered_on=timezone.localdate(),
            user=clinical_lead,
        )


def test_clinical_notes_keep_their_history(appointment, dmo):
    services.save_clinical_notes(appointment, "First note.", dmo)
    services.save_clinical_notes(appointment, "Second note.", dmo)
    notes = [h.clinical_notes for h in appointment.history.order_by("history_date")]
    assert notes[-2:] == ["First note.", "Second note."]


@pytest.mark.parametrize(
    ("persona", "page", "notes"),
    [
        ("dmo", 200, True),
        ("clinical_lead", 200, True),
        ("dco", 403, False),
        ("health_professional_a", 404, False),  # works in no area: not theirs to know of
        ("commissioner", 403, False),
        ("sendiass_officer", 403, False),
        ("no_role_user", 404, False),
    ],
)
def test_clinical_notes_are_for_the_clinical_roles_only(
    client, request, appointment, dmo, persona, page, notes
):
    services.save_clinical_notes(appointment, "Sensitive clinical observation.", dmo)
    client.force_login(request.getfixturevalue(persona))
    response = client.get(reverse("clinics:appointment", args=[appointment.pk]))
    assert response.status_code == page
    assert ("Sensitive clinical observation." in response.content.decode()) is notes
    notes_page = client.get(reverse("clinics:appointment-notes", args=[appointment.pk]))
    assert notes_page.status_code == (200 if notes else page)
    letter = client.get(reverse("clinics:appointment-letter", args=[appointment.pk]))
    assert letter.status_code in ((200, 503) if notes else (page,))


def test_opening_an_appointment_is_logged_and_links_to_the_concern_step(client, appointment, dmo):
    client.force_login(dmo)
    response = client.get(reverse("clinics:appointment", args=[appointment.pk]))
    assert AuditEvent.objects.filter(
        kind=AuditEvent.Kind.CHILD_RECORD_VIEWED,
        target_type="ehcp.child",
        target_id=str(appointment.child.pk),
        summary="clinic appointment",
    ).exists()
    assert (
        reverse("intelligence:concern-from-appointment", args=[appointment.pk])
        in response.content.decode()
    )


def test_an_appointment_id_that_does_not_exist_is_not_found(client, dmo):
    client.force_login(dmo)
    for name in ("clinics:appointment", "clinics:appointment-notes", "clinics:appointment-letter"):
        assert client.get(reverse(name, args=[987654])).status_code == 404


def test_the_letter_is_a_pdf_without_the_childs_name_in_its_filename(client, appointment, dmo):
    client.force_login(dmo)
    response = client.get(reverse("clinics:appointment-letter", args=[appointment.pk]))
    if response.status_code == 503:
        pytest.skip("the PDF library could not make a PDF here")
    assert response["Content-Type"] == "application/pdf"
    disposition = response["Content-Disposition"]
    assert appointment.child.last_name not in disposition
    assert f"appointment-letter-{appointment.pk}-" in disposition


def test_booking_an_individual_appointment_through_the_page(client, dmo, clinical_lead):
    child = make_child(age_days=9 * 365)
    client.force_login(clinical_lead)
    day = timezone.localdate() + datetime.timedelta(days=2)
    data = {
        "child": child.pk,
        "day_day": day.day,
        "day_month": day.month,
        "day_year": day.year,
        "time": "14:00",
        "minutes": 45,
        "clinicians": [clinical_lead.pk],
        "location": "Clinic room 2",
    }
    response = client.post(reverse("clinics:individual-appointment-create"), data)
    assert response.status_code == 302, response.context["form"].errors
    appointment = Appointment.objects.get()
    assert appointment.kind == Appointment.Kind.INDIVIDUAL
    # The same clinician at an overlapping time: refused with a message, nothing saved.
    data["time"] = "14:30"
    response = client.post(reverse("clinics:individual-appointment-create"), data)
    assert response.status_code == 200
    assert "already booked" in response.content.decode()
    assert Appointment.objects.count() == 1


def test_the_appointment_list_runs_a_fixed_number_of_queries(client, dmo, clinical_lead):
    from django.test.utils import CaptureQueriesContext

    client.force_login(dmo)
    referral = make_referral(clinical_lead, accept=True)
    book(referral, [dmo, clinical_lead], clinical_lead, tomorrow_at(9))

    def count():
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(reverse("clinics:appointments")).status_code == 200
        return len(ctx.captured_queries)

    few = count()
    for hour in (10, 11, 12, 13):
        book(referral, [dmo], clinical_lead, tomorrow_at(hour))
    # session, user, roles, the count, the page of appointments with their children, and
    # one prefetch of their clinicians: the same for 1 or 5 rows.
    assert count() == few


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL: set DATABASE_URL")
def test_two_bookings_of_the_same_clinician_at_the_same_moment(dmo, clinical_lead):
    first = make_referral(clinical_lead, accept=True)
    second = make_referral(clinical_lead, accept=True)
    barrier = threading.Barrier(2)
    outcomes = []

    def attempt(referral):
        try:
            barrier.wait()
            book(referral, [dmo], clinical_lead, tomorrow_at(10))
            outcomes.append("booked")
        except services.RefusedChange:
            outcomes.append("refused")
        finally:
            close_old_connections()
            connection.close()

    threads = [threading.Thread(target=attempt, args=(r,)) for r in (first, second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["booked", "refused"]
    assert Appointment.objects.filter(clinicians=dmo).count() == 1


@pytest.mark.django_db
def test_the_referral_and_appointment_pages_fetch_their_record_once(
    client, clinical_lead, appointment
):
    # The permission rule is asked of the record the page then shows: one query, not two.
    from tests.fetched import times_fetched

    client.force_login(clinical_lead)
    referral_page = reverse("clinics:referral", args=[appointment.referral_id])
    assert times_fetched(client, referral_page, "clinics_referral") == 1
    appointment_page = reverse("clinics:appointment", args=[appointment.pk])
    assert times_fetched(client, appointment_page, "clinics_appointment") == 1
