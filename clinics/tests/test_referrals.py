"""Referrals, triage and the waiting list: the rules, the pages, who may see them."""

import datetime

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditEvent
from clinics import services
from clinics.models import Referral
from clinics.tests.conftest import make_child, make_referral

pytestmark = pytest.mark.django_db


def _refer(child, user, received_on, **kwargs):
    return services.refer(
        child=child,
        received_on=received_on,
        source="health-visitor",
        referrer_name="Health visitor",
        reason="Few words at the 2-year review.",
        consent_recorded=kwargs.pop("consent_recorded", True),
        user=user,
        **kwargs,
    )


@time_machine.travel(datetime.datetime(2025, 6, 20, 12, tzinfo=datetime.UTC), tick=False)
def test_a_child_who_turns_5_on_the_referral_date_is_refused_naming_the_pathway(clinical_lead):
    from ehcp.tests.factories import ChildFactory

    child = ChildFactory(date_of_birth=datetime.date(2020, 6, 15))
    with pytest.raises(services.RefusedChange, match="under 5.*was 5.*paediatrics"):
        _refer(child, clinical_lead, datetime.date(2025, 6, 15))
    assert not Referral.objects.exists()
    # The day before, the same child is under 5.
    assert _refer(child, clinical_lead, datetime.date(2025, 6, 14)).pk


@time_machine.travel(datetime.datetime(2025, 3, 5, 12, tzinfo=datetime.UTC), tick=False)
def test_a_leap_day_child_is_under_5_until_1_march(clinical_lead):
    from ehcp.tests.factories import ChildFactory

    child = ChildFactory(date_of_birth=datetime.date(2020, 2, 29))
    assert _refer(child, clinical_lead, datetime.date(2025, 2, 28)).pk
    with pytest.raises(services.RefusedChange):
        _refer(child, clinical_lead, datetime.date(2025, 3, 1))


def test_a_referral_needs_consent_and_a_date_not_in_the_future(clinical_lead):
    child = make_child()
    with pytest.raises(services.RefusedChange, match="consented"):
        _refer(child, clinical_lead, timezone.localdate(), consent_recorded=False)
    with pytest.raises(services.RefusedChange, match="today or in the past"):
        _refer(child, clinical_lead, timezone.localdate() + datetime.timedelta(days=1))
    assert not Referral.objects.exists()


def test_triage_accepts_onto_the_waiting_list_once(clinical_lead):
    referral = make_referral(clinical_lead)
    referral = services.triage(referral, "accept", clinical_lead)
    assert referral.status == Referral.Status.WAITING
    assert referral.accepted_on == timezone.localdate()
    with pytest.raises(services.RefusedChange, match="triaged already"):
        services.triage(referral, "signpost", clinical_lead, "Elsewhere")


def test_signposting_needs_a_note(dmo):
    referral = make_referral(dmo)
    with pytest.raises(services.RefusedChange, match="signposted"):
        services.triage(referral, "signpost", dmo)
    referral.refresh_from_db()
    assert referral.status == Referral.Status.AWAITING_TRIAGE


def test_the_clinical_lead_adds_and_triages_a_referral_through_the_pages(client, clinical_lead):
    child = make_child()
    client.force_login(clinical_lead)
    today = timezone.localdate()
    response = client.post(
        reverse("clinics:referral-create"),
        {
            "child": child.pk,
            "received_on_day": today.day,
            "received_on_month": today.month,
            "received_on_year": today.year,
            "source": "nursery",
            "referrer_name": "Nursery manager",
            "reason": "Plays alone.",
            "consent_recorded": "on",
        },
    )
    assert response.status_code == 302, response.context["form"].errors
    referral = Referral.objects.get()
    response = client.post(
        reverse("clinics:referral-triage", args=[referral.pk]), {"decision": "accept"}
    )
    assert response.status_code == 302
    referral.refresh_from_db()
    assert referral.status == Referral.Status.WAITING
    page = client.get(reverse("clinics:referral", args=[referral.pk]))
    assert page.status_code == 200
    assert child.full_name in page.content.decode()
    assert AuditEvent.objects.filter(
        kind=AuditEvent.Kind.CHILD_RECORD_VIEWED,
        target_type="ehcp.child",
        target_id=str(child.pk),
        summary="clinic referral",
    ).exists()


def test_a_child_over_5_is_refused_in_the_page_and_nothing_is_saved(client, dmo):
    child = make_child(age_days=6 * 365)
    client.force_login(dmo)
    today = timezone.localdate()
    response = client.post(
        reverse("clinics:referral-create"),
        {
            "child": child.pk,
            "received_on_day": today.day,
            "received_on_month": today.month,
            "received_on_year": today.year,
            "source": "gp",
            "referrer_name": "GP",
            "reason": "Worried.",
            "consent_recorded": "on",
        },
    )
    assert response.status_code == 200
    assert "community paediatrics" in response.content.decode()
    assert not Referral.objects.exists()


@pytest.mark.parametrize(
    ("persona", "status", "record"),
    [
        ("dmo", 200, 200),
        ("clinical_lead", 200, 200),
        ("dco", 403, 403),
        # Working in no area, the referral is not theirs to know of: 404.
        ("health_professional_a", 403, 404),
        ("commissioner", 403, 403),
        ("sendiass_officer", 403, 403),
        ("no_role_user", 403, 404),
    ],
)
def test_who_may_open_a_referral_and_the_list(
    client, request, clinical_lead, persona, status, record
):
    referral = make_referral(clinical_lead)
    client.force_login(request.getfixturevalue(persona))
    assert client.get(reverse("clinics:referral", args=[referral.pk])).status_code == record
    assert client.get(reverse("clinics:referrals")).status_code == status
    assert client.post(
        reverse("clinics:referral-triage", args=[referral.pk]), {"decision": "accept"}
    ).status_code == (302 if record == 200 else record)


def test_a_referral_id_that_does_not_exist_is_not_found(client, dmo):
    client.force_login(dmo)
    assert client.get(reverse("clinics:referral", args=[999999])).status_code == 404


def test_the_waiting_list_shows_weeks_and_breaches_in_a_fixed_number_of_queries(
    client, clinical_lead, django_assert_num_queries
):
    today = timezone.localdate()
    make_referral(clinical_lead, received_on=today - datetime.timedelta(weeks=16), accept=True)
    client.force_login(clinical_lead)

    def count():
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as ctx:
            response = client.get(reverse("clinics:referrals"))
        assert response.status_code == 200
        return len(ctx.captured_queries), response.content.decode()

    few, html = count()
    assert "Breaching 3 months" in html and "16" in html
    for weeks in range(1, 8):
        make_referral(clinical_lead, received_on=today - datetime.timedelta(weeks=weeks))
    many, _ = count()
    # session, user, role checks for the permission and the navigation, the waiting-list
    # size, the longest waits, the page count and the page of referrals with their children:
    # the same however many referrals there are.
    assert few == many


def test_the_list_filters_by_status_and_referrer(client, clinical_lead):
    waiting = make_referral(clinical_lead, accept=True, source="nursery")
    make_referral(clinical_lead, source="gp")
    client.force_login(clinical_lead)
    response = client.get(reverse("clinics:referrals"), {"status": "waiting"})
    rows = [r.pk for r in response.context["page"].object_list]
    assert rows == [waiting.pk]
    response = client.get(reverse("clinics:referrals"), {"source": "gp"})
    assert waiting.pk not in [r.pk for r in response.context["page"].object_list]


def test_every_clinic_page_with_an_id_refuses_people_outside_the_clinic(
    client, clinical_lead, dmo, health_professional_a, dco, no_role_user
):
    """A guard that cannot be forgotten: each page taking an id, as each non-clinic persona."""
    from django.urls import get_resolver

    from clinics import services as clinic_services
    from clinics.tests.conftest import book

    referral = make_referral(clinical_lead, accept=True)
    appointment = book(referral, [dmo], clinical_lead)
    offer_referral = make_referral(clinical_lead, accept=True)
    offer_referral.outcome = "autism-diagnosed"
    offer_referral.save()
    offer = clinic_services.offer_support(
        offer_referral, kind="information-pack", offered_on=timezone.localdate(), user=dmo
    )
    ids = {"support-offer": offer.pk}
    resolver = get_resolver("clinics.urls")
    names = [p.name for p in resolver.url_patterns if "<id:pk>" in str(p.pattern)]
    assert len(names) >= 9
    for name in names:
        if name in ids:
            pk = ids[name]
        elif name.startswith("appointment"):
            pk = appointment.pk
        else:
            pk = referral.pk
        url = reverse(f"clinics:{name}", args=[pk])
        # The DCO works in the area: refused (403). The others work in no area: the
        # record is not theirs to know of (404).
        for person, refused in ((health_professional_a, 404), (dco, 403), (no_role_user, 404)):
            client.force_login(person)
            assert client.get(url).status_code == refused, (name, person)
            assert client.post(url, {}).status_code == refused, (name, person)
