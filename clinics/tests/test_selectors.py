"""The commissioner report's query functions on a dataset with known answers."""

import datetime

import pytest

from clinics import selectors
from clinics.models import Outcome, Referral
from clinics.tests.factories import recorded_referral

pytestmark = pytest.mark.django_db

D = datetime.date
TODAY = D(2025, 9, 30)


@pytest.fixture
def dataset(clinical_lead):
    u = clinical_lead
    return {
        # Received in Q2 (April–June 2025)
        "a": recorded_referral(
            u,
            D(2025, 4, 1),
            accepted=D(2025, 4, 8),
            started=D(2025, 6, 1),
            outcome=Outcome.AUTISM_DIAGNOSED,
            outcome_on=D(2025, 6, 3),
        ),  # ~9 wks
        "b": recorded_referral(
            u,
            D(2025, 4, 10),
            accepted=D(2025, 4, 12),
            started=D(2025, 7, 10),
            outcome=Outcome.NOT_AUTISTIC,
            outcome_on=D(2025, 7, 10),
        ),  # due 10 Jul
        "c": recorded_referral(
            u,
            D(2025, 5, 1),
            accepted=D(2025, 5, 2),
            started=D(2025, 8, 20),
            outcome=Outcome.AUTISM_DIAGNOSED,
            outcome_on=D(2025, 9, 1),
        ),  # missed
        "d": recorded_referral(
            u, D(2025, 6, 1), accepted=D(2025, 6, 2)
        ),  # still waiting: breaching
        "e": recorded_referral(u, D(2025, 6, 20)),  # awaiting triage: not on the waiting list
        # Received in Q3
        "f": recorded_referral(u, D(2025, 8, 1), accepted=D(2025, 8, 2)),  # waiting, on track
        "g": recorded_referral(
            u, D(2025, 9, 1), accepted=D(2025, 9, 2), status=Referral.Status.SIGNPOSTED
        ),
    }


def test_referrals_received(dataset, django_assert_num_queries):
    with django_assert_num_queries(1):
        assert selectors.referrals_received(D(2025, 4, 1), D(2025, 6, 30)) == 5
    assert selectors.referrals_received(D(2025, 7, 1), D(2025, 9, 30)) == 2


def test_waiting_list_size_on_a_day(dataset, django_assert_num_queries):
    with django_assert_num_queries(1):
        assert selectors.waiting_list_size(TODAY) == 2  # d and f
    # On 1 July: b (started 10 Jul), c and d were waiting; a had started.
    assert selectors.waiting_list_size(D(2025, 7, 1)) == 3


def test_started_within_target(dataset, django_assert_num_queries):
    with django_assert_num_queries(1):
        result = selectors.started_within_target(D(2025, 4, 1), D(2025, 6, 30))
    # a (1 Jun, due 1 Jul) and b (10 Jul, due exactly 10 Jul) within; c after 3 months.
    assert result == {"started": 3, "within": 2}


def test_median_weeks_referral_to_outcome(dataset, django_assert_num_queries):
    with django_assert_num_queries(1):
        median = selectors.median_weeks_referral_to_outcome(D(2025, 4, 1), D(2025, 9, 30))
    # a: 63 days = 9.0 weeks; b: 91 days = 13.0; c: 123 days = 17.6 → median 13.0
    assert median == 13.0
    assert selectors.median_weeks_referral_to_outcome(D(2024, 1, 1), D(2024, 12, 31)) is None


def test_outcomes_by_kind(dataset, django_assert_num_queries):
    with django_assert_num_queries(1):
        result = selectors.outcomes_by_kind(D(2025, 4, 1), D(2025, 9, 30))
    assert result == {
        Outcome.AUTISM_DIAGNOSED: 2,
        Outcome.NOT_AUTISTIC: 1,
        Outcome.FURTHER_ASSESSMENT: 0,
        Outcome.REFERRED_ON: 0,
    }


@pytest.mark.parametrize(
    "start, end",
    [
        (D(2025, 4, 1), D(2025, 6, 30)),
        (D(2025, 4, 1), D(2025, 9, 30)),
        (D(2024, 1, 1), D(2024, 12, 31)),
    ],
)
def test_the_report_figures_together_match_each_function(
    dataset, django_assert_num_queries, start, end
):
    with django_assert_num_queries(2):
        together = selectors.figures_between(start, end)
    started = selectors.started_within_target(start, end)
    assert together == {
        "referrals": selectors.referrals_received(start, end),
        "waiting": selectors.waiting_list_size(end),
        "started": started["started"],
        "within": started["within"],
        "median_weeks": selectors.median_weeks_referral_to_outcome(start, end),
        "outcomes": selectors.outcomes_by_kind(start, end),
    }


def test_longest_waits_are_anonymous_and_oldest_first(dataset, django_assert_num_queries):
    with django_assert_num_queries(1):
        waits = selectors.longest_waits(TODAY, limit=5)
    assert [w["referral_id"] for w in waits] == [dataset["d"].pk, dataset["f"].pk]
    assert waits[0] == {
        "referral_id": dataset["d"].pk,
        "received_on": D(2025, 6, 1),
        "weeks_waited": 17,
        "breaching": True,
    }
    assert waits[1]["breaching"] is False
    assert selectors.longest_waits(TODAY, limit=1) == waits[:1]


def test_the_commissioner_sees_the_figures_page(client, commissioner, dataset):
    client.force_login(commissioner)
    response = client.get("/clinic/waiting-times/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Referrals received" in html
    assert dataset["d"].child.last_name not in html  # figures only, no names
