import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from ehcp.models import AdviceRequest
from ehcp.tests.factories import make_advice_request, make_plan_waiting_for_sign_off


@pytest.mark.django_db
def test_the_dmo_home_page_counts_plans_waiting_for_sign_off(client, dmo):
    make_plan_waiting_for_sign_off()
    make_plan_waiting_for_sign_off()
    client.force_login(dmo)

    to_dos = client.get(reverse("home")).context["to_dos"]

    assert (to_dos[0].label, to_dos[0].count) == ("Plans waiting for your medical sign-off", 2)


@pytest.mark.django_db
def test_a_health_professional_sees_their_providers_open_and_overdue_requests(
    client, health_professional_a, provider_a, provider_b
):
    today = timezone.localdate()
    make_advice_request(
        provider=provider_a, requested_on=today, due_on=today + datetime.timedelta(weeks=6)
    )
    overdue = make_advice_request(provider=provider_a)
    AdviceRequest.objects.filter(pk=overdue.pk).update(
        due_on=timezone.localdate() - datetime.timedelta(days=1),
        requested_on=timezone.localdate() - datetime.timedelta(days=50),
    )
    make_advice_request(provider=provider_b)
    client.force_login(health_professional_a)

    page = client.get(reverse("home"))

    [advice] = page.context["to_dos"]
    assert (advice.count, advice.urgent) == (2, 1)
    assert "1 overdue" in page.content.decode()
