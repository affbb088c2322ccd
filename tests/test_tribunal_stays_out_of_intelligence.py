"""Nothing of an appeal reaches the intelligence log: working an appeal through from
recording it to sending health's response writes no concern, theme or escalation, and
the commissioner report shows its counts only, never the child or the Tribunal's
reference."""

import datetime

import pytest
from django.apps import apps
from django.urls import reverse
from django.utils import timezone

from tribunal import services
from tribunal.tests.conftest import make_appeal

pytestmark = pytest.mark.django_db


def _intelligence_rows() -> dict:
    return {
        model._meta.label: model._default_manager.count()
        for model in apps.get_app_config("intelligence").get_models()
    }


def test_an_appeal_worked_through_leaves_the_intelligence_log_as_it_was(
    client, dco, dmo, provider_a, health_professional_a
):
    before = _intelligence_rows()
    today = timezone.localdate()
    appeal = make_appeal(dco, tribunal_reference="EH777/26/00777")
    asked = services.request_evidence(
        appeal, provider=provider_a, asked="Report.", due_on=today, user=dco
    )
    services.write_evidence(asked, "Evidence.", health_professional_a)
    services.record_evidence_sent(asked, today)
    made = services.record_recommendation(
        appeal, made_on=today - datetime.timedelta(days=1), recommendation="R.", user=dco
    )
    services.draft_response(made, response="follow", response_text="We will.", reasons="", user=dco)
    services.approve_response(made, dmo)
    services.record_response_sent(made, today)

    assert _intelligence_rows() == before

    client.force_login(dco)
    page = client.get(reverse("intelligence:report")).content.decode()
    for detail in (appeal.child.first_name, appeal.child.last_name, appeal.tribunal_reference):
        assert detail not in page
