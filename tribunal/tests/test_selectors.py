"""The counts the home page and the commissioner report read."""

import datetime

import pytest
from django.utils import timezone

from tribunal import selectors, services
from tribunal.models import Recommendation

pytestmark = pytest.mark.django_db


def ask(appeal, provider, dco, due_in_days=10):
    return services.request_evidence(
        appeal,
        provider=provider,
        asked="Evidence",
        due_on=timezone.localdate() + datetime.timedelta(days=due_in_days),
        user=dco,
    )


def test_appeals_waiting_on_health_and_late(appeal, provider_a, dco):
    today = timezone.localdate()
    assert selectors.waiting_on_health_counts(dco, today).read() == {"count": 0, "late": 0}
    ask(appeal, provider_a, dco)
    assert selectors.waiting_on_health_counts(dco, today).read() == {"count": 1, "late": 0}
    later = today + datetime.timedelta(days=11)
    assert selectors.waiting_on_health_counts(dco, later).read() == {"count": 1, "late": 1}


def _respond(recommendation, dco, approver, response, sent_on):
    services.draft_response(
        recommendation,
        response=response,
        response_text="What we will do.",
        reasons="Why not in full.",
        user=dco,
    )
    services.approve_response(recommendation, approver)
    # Drafted and approved on the day it was sent (a response sent in the past was approved
    # then, not today: the service refuses a sending before the approval).
    moment = timezone.make_aware(datetime.datetime.combine(sent_on, datetime.time(9)))
    Recommendation.objects.filter(pk=recommendation.pk).update(
        drafted_at=moment, approved_at=moment
    )
    recommendation.refresh_from_db()
    services.record_response_sent(recommendation, sent_on)


def test_recommendation_counts_for_the_report(appeal, dco, dmo, django_assert_num_queries):
    today = timezone.localdate()
    made = today - datetime.timedelta(weeks=7)
    late = services.record_recommendation(appeal, made_on=made, recommendation="A", user=dco)
    on_time = services.record_recommendation(appeal, made_on=made, recommendation="B", user=dco)
    services.record_recommendation(appeal, made_on=made, recommendation="C", user=dco)
    _respond(late, dco, dmo, Recommendation.Response.FOLLOW, today)
    _respond(on_time, dco, dmo, Recommendation.Response.NOT_FOLLOW, made)
    counts = selectors.recommendation_counts(today - datetime.timedelta(days=60), today)
    with django_assert_num_queries(1):  # one aggregate over the recommendations
        figures = counts.read()
    assert figures == {
        "appeals": 1,
        "recommendations": 3,
        "responded": 2,
        "responded_in_time": 1,
        "followed": 1,
        "followed_in_part": 0,
        "not_followed": 1,
    }
