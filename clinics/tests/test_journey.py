"""The Done journey: the Clinical Lead triages a referral onto the waiting list, books it
with the DMO, records the outcome and a support plan; the commissioner sees the figures."""

import datetime

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from clinics.models import Appointment, Referral, SupportOffer
from clinics.tests.conftest import make_referral

pytestmark = pytest.mark.django_db


def test_from_referral_to_support_plan_and_the_figures(client, clinical_lead, dmo, commissioner):
    # given a referral awaiting triage
    referral = make_referral(clinical_lead)
    client.force_login(clinical_lead)

    # when the Clinical Lead triages it onto the waiting list
    response = client.post(
        reverse("clinics:referral-triage", args=[referral.pk]), {"decision": "accept"}
    )
    assert response.status_code == 302

    # and books an appointment with the DMO
    day = timezone.localdate() + datetime.timedelta(days=5)
    response = client.post(
        reverse("clinics:clinic-appointment-create", args=[referral.pk]),
        {
            "day_day": day.day,
            "day_month": day.month,
            "day_year": day.year,
            "time": "10:00",
            "minutes": 90,
            "clinicians": [dmo.pk],
            "location": "Clinic",
        },
    )
    assert response.status_code == 302, response.context["form"].errors
    appointment = Appointment.objects.get()

    # then, on the day, records that the family attended, the outcome and a support offer
    with time_machine.travel(
        timezone.make_aware(datetime.datetime.combine(day, datetime.time(15))), tick=False
    ):
        client.force_login(clinical_lead)
        response = client.post(
            reverse("clinics:appointment-attendance", args=[appointment.pk]),
            {
                "status": "attended",
                "on_day": day.day,
                "on_month": day.month,
                "on_year": day.year,
            },
        )
        assert response.status_code == 302, response.context["form"].errors
        response = client.post(
            reverse("clinics:appointment-outcome", args=[appointment.pk]),
            {"outcome": "autism-diagnosed"},
        )
        assert response.status_code == 302
        response = client.post(
            reverse("clinics:support-offer-create", args=[referral.pk]),
            {
                "kind": "parent-programme",
                "offered_on_day": day.day,
                "offered_on_month": day.month,
                "offered_on_year": day.year,
                "taken_up": "",
            },
        )
        assert response.status_code == 302, response.context["form"].errors
        offer = SupportOffer.objects.get()
        response = client.post(
            reverse("clinics:support-offer", args=[offer.pk]), {"taken_up": "yes"}
        )
        assert response.status_code == 302
        page = client.get(reverse("clinics:referral", args=[referral.pk])).content.decode()
        assert "Post-diagnosis support plan" in page and "Taken up" in page

        referral.refresh_from_db()
        assert referral.status == Referral.Status.COMPLETE
        assert referral.assessment_started_on == day

        # and the commissioner sees the waiting-time figures, without names
        client.force_login(commissioner)
        response = client.get(reverse("clinics:figures"))
        assert response.status_code == 200
        html = response.content.decode()
        assert "Autism diagnosed" in html
        assert referral.child.last_name not in html
