"""The clinics admin: administrators read clinic records; nobody edits them there."""

import pytest
from django.urls import reverse

from clinics.tests.conftest import book, make_referral

pytestmark = pytest.mark.django_db


def test_administrators_read_clinic_records_without_clinical_text(
    client, administrator, clinical_lead, dmo
):
    referral = make_referral(clinical_lead, accept=True)
    appointment = book(referral, [dmo], clinical_lead)
    appointment.clinical_notes = "Private clinical observation."
    appointment.save()
    client.force_login(administrator)
    for model in ("referral", "appointment", "supportoffer", "reminder"):
        assert client.get(reverse(f"admin:clinics_{model}_changelist")).status_code == 200
        assert client.get(reverse(f"admin:clinics_{model}_add")).status_code == 403
    page = client.get(reverse("admin:clinics_appointment_change", args=[appointment.pk]))
    assert page.status_code == 200
    assert "Private clinical observation." not in page.content.decode()


def test_clinicians_do_not_use_the_admin_for_clinic_records(client, dmo):
    client.force_login(dmo)
    response = client.get(reverse("admin:clinics_referral_changelist"))
    assert response.status_code in (302, 403)
