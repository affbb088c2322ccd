"""The demo data loads after roles' and ehcp's, twice without change, with every stage."""

import pytest
from django.utils import timezone

from clinics import demo, selectors
from clinics.models import Appointment, Referral, SupportOffer

pytestmark = pytest.mark.django_db


def test_the_demo_seeds_every_stage_idempotently():
    from ehcp import demo as ehcp_demo
    from roles import demo as roles_demo

    roles_demo.seed()
    ehcp_demo.seed()
    demo.seed()
    counts = (Referral.objects.count(), Appointment.objects.count(), SupportOffer.objects.count())
    demo.seed()
    assert (
        Referral.objects.count(),
        Appointment.objects.count(),
        SupportOffer.objects.count(),
    ) == counts
    assert counts[0] == 8
    statuses = set(Referral.objects.values_list("status", flat=True))
    assert {"awaiting-triage", "waiting", "signposted", "complete"} <= statuses
    today = timezone.localdate()
    assert any(w["breaching"] for w in selectors.longest_waits(today))
    assert Appointment.objects.filter(status="booked").exists()
    assert SupportOffer.objects.exists()
