import datetime

import pytest
from django.utils import timezone

from ehcp.tests.factories import ChildFactory, make_advice_request, make_assessment
from tribunal import services
from tribunal.models import DecisionAppealed


def make_appeal(user, *, child=None, registered_on=None, **kwargs):
    return services.record_appeal(
        child=child or ChildFactory(),
        decision_appealed=kwargs.pop("decision_appealed", DecisionAppealed.CONTENTS),
        registered_on=registered_on or timezone.localdate() - datetime.timedelta(weeks=8),
        tribunal_reference=kwargs.pop("tribunal_reference", "EH123/26/00001"),
        health_issues=kwargs.pop("health_issues", "Speech and language therapy in section F."),
        user=user,
        **kwargs,
    )


@pytest.fixture
def child_of_provider_a(provider_a, dco):
    """A child with an advice request to provider A: its health professionals see them."""
    assessment = make_assessment()
    make_advice_request(assessment, provider=provider_a, requested_by=dco)
    return assessment.child


@pytest.fixture
def appeal(dco, child_of_provider_a):
    return make_appeal(dco, child=child_of_provider_a)


@pytest.fixture
def evidence_request(appeal, provider_a, dco):
    return services.request_evidence(
        appeal,
        provider=provider_a,
        asked="A report on the child's speech and language needs.",
        due_on=timezone.localdate() + datetime.timedelta(days=10),
        user=dco,
    )


@pytest.fixture
def recommendation(appeal, dco):
    return services.record_recommendation(
        appeal,
        made_on=timezone.localdate() - datetime.timedelta(days=3),
        recommendation="Weekly speech and language therapy sessions for a year.",
        user=dco,
    )
