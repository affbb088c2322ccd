"""The demo loads after roles' and ehcp's, twice without change: an appeal waiting on
evidence, one waiting on its response, and one answered in time."""

import pytest
from django.utils import timezone

from roles.models import User
from tribunal import demo, selectors
from tribunal.models import Appeal, EvidenceRequest, Recommendation

pytestmark = pytest.mark.django_db


def test_the_demo_has_an_appeal_waiting_on_evidence_and_one_on_its_response():
    from ehcp import demo as ehcp_demo
    from roles import demo as roles_demo

    roles_demo.seed()
    ehcp_demo.seed()
    demo.seed()
    counts = (Appeal.objects.count(), EvidenceRequest.objects.count())
    demo.seed()
    assert (Appeal.objects.count(), EvidenceRequest.objects.count()) == counts == (3, 3)

    on_evidence = Appeal.objects.get(tribunal_reference=demo.WAITING_ON_EVIDENCE)
    assert on_evidence.evidence_requests.get().is_open
    on_response = Recommendation.objects.get(appeal__tribunal_reference=demo.WAITING_ON_RESPONSE)
    assert on_response.stage == "drafted" and on_response.reasons
    answered = Recommendation.objects.get(appeal__tribunal_reference=demo.ANSWERED)
    assert answered.sent_on <= answered.response_due
    waiting = selectors.waiting_on_health_counts(
        User.objects.get(email="dco@demo.send-portal.example"), timezone.localdate()
    ).read()
    assert waiting == {"count": 2, "late": 0}


def test_the_demo_tells_each_appeal_in_the_order_it_happened():
    """Evidence asked, then written, then sent; a response drafted, approved, then sent
    (the demo once showed evidence written on the day it was loaded, months after it was
    sent)."""
    from ehcp import demo as ehcp_demo
    from roles import demo as roles_demo

    roles_demo.seed()
    ehcp_demo.seed()
    demo.seed()
    local = timezone.localdate
    for asked in EvidenceRequest.objects.exclude(sent_on=None):
        assert local(asked.requested_at) <= local(asked.written_at) <= asked.sent_on
    for answered in Recommendation.objects.exclude(sent_on=None):
        assert answered.made_on <= local(answered.drafted_at) <= local(answered.approved_at)
        assert local(answered.approved_at) <= answered.sent_on
