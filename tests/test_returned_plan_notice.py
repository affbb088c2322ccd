"""The Clinical Lead hears in the portal when sections are returned, and the home page
counts what waits for them: returned sections and referrals to triage."""

import pytest
from django.core import mail
from django.urls import reverse

from clinics.tests.conftest import make_referral
from ehcp import services
from ehcp.tests.factories import make_plan_waiting_for_sign_off
from notifications.models import Delivery, Notification
from roles.models import RoleCode
from tests.factories import UserFactory, person_holding

pytestmark = pytest.mark.django_db


def test_returning_sections_notifies_the_author_and_every_clinical_lead_once(
    dmo, clinical_lead, provider_a, django_capture_on_commit_callbacks
):
    other_lead = person_holding(RoleCode.CLINICAL_LEAD, provider_a, user__full_name="Ola Lead")
    author = UserFactory(full_name="Ada Author")
    plan = make_plan_waiting_for_sign_off(author=author)

    with django_capture_on_commit_callbacks(execute=True):
        services.return_for_amendment(plan.versions.get(), dmo, "Quantify the therapy.")

    notices = Notification.objects.filter(title="Health sections returned for amendment")
    assert sorted(n.recipient_id for n in notices) == sorted(
        [author.pk, clinical_lead.pk, other_lead.pk]
    )
    assert {n.link for n in notices} == {reverse("ehcp:plan", args=[plan.pk])}
    # No child is named outside the record.
    assert all(plan.assessment.child.last_name not in n.body for n in notices)
    assert sorted(email.to[0] for email in mail.outbox) == sorted(
        [author.email, clinical_lead.email, other_lead.email]
    )
    # Each email is a delivery, sent once; the notification was made with the return.
    returned = plan.versions.get().returns.get()
    deliveries = Delivery.objects.filter(kind="ehcp.plan-returned")
    assert sorted(d.recipient_id for d in deliveries) == sorted(
        [author.pk, clinical_lead.pk, other_lead.pk]
    )
    assert {(d.subject, d.about, d.outcome) for d in deliveries} == {
        (f"return:{returned.pk}", f"plan:{plan.pk}", Delivery.Outcome.SENT)
    }


def test_the_author_who_is_the_clinical_lead_hears_once(
    dmo, clinical_lead, django_capture_on_commit_callbacks
):
    plan = make_plan_waiting_for_sign_off(author=clinical_lead)

    with django_capture_on_commit_callbacks(execute=True):
        services.return_for_amendment(plan.versions.get(), dmo, "Quantify the therapy.")

    assert Notification.objects.filter(recipient=clinical_lead).count() == 1
    assert [email.to for email in mail.outbox] == [[clinical_lead.email]]


def to_dos(client, user) -> dict:
    client.force_login(user)
    return {item.label: item for item in client.get(reverse("home")).context["to_dos"]}


def test_the_clinical_leads_home_page_counts_returned_sections_and_referrals_to_triage(
    client, dmo, clinical_lead
):
    plan = make_plan_waiting_for_sign_off(author=clinical_lead)
    services.return_for_amendment(plan.versions.get(), dmo, "Quantify the therapy.")
    make_referral(clinical_lead)
    make_referral(clinical_lead)
    make_referral(clinical_lead, accept=True)  # triaged: not counted

    items = to_dos(client, clinical_lead)

    returned = items["Health sections returned for amendment"]
    assert (returned.count, returned.href) == (1, reverse("ehcp:plans-returned"))
    triage = items["Referrals waiting for triage"]
    assert triage.count == 2
    assert triage.href == reverse("clinics:referrals") + "?status=awaiting-triage"
    page = client.get(triage.href).content.decode()
    assert page.count("Awaiting triage") >= 2


def test_people_who_do_not_amend_or_triage_have_no_such_to_dos(client, dco):
    items = to_dos(client, dco)

    assert "Health sections returned for amendment" not in items
    assert "Referrals waiting for triage" not in items
