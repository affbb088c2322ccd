"""Health advice: requesting, who sees which request, writing, chasing."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from ehcp import services
from ehcp.models import AdviceRequest, ProviderService
from ehcp.tests.factories import make_advice_request, make_assessment


@pytest.fixture
def request_to_a(provider_a, send_officer):
    return make_advice_request(provider=provider_a, requested_by=send_officer)


@pytest.mark.django_db
def test_advice_is_due_six_weeks_after_it_is_requested(dco, provider_a):
    assessment = make_assessment()
    asked = timezone.localdate() - datetime.timedelta(days=3)

    advice = services.request_advice(assessment, ProviderService.OT, provider_a, asked, dco)

    assert advice.due_on == asked + datetime.timedelta(weeks=6)


@pytest.mark.django_db
def test_a_request_dated_in_the_future_is_refused(dco, provider_a):
    with pytest.raises(services.RefusedChange, match="today or in the past"):
        services.request_advice(
            make_assessment(),
            ProviderService.OT,
            provider_a,
            timezone.localdate() + datetime.timedelta(days=1),
            dco,
        )
    assert not AdviceRequest.objects.exists()


@pytest.mark.django_db
def test_a_due_date_before_the_request_is_refused(dco, provider_a):
    today = timezone.localdate()
    with pytest.raises(services.RefusedChange, match="on or after"):
        services.request_advice(
            make_assessment(),
            ProviderService.OT,
            provider_a,
            today,
            dco,
            due_on=today - datetime.timedelta(days=1),
        )


@pytest.mark.django_db
def test_the_send_officer_requests_advice_through_the_page(client, send_officer, provider_a):
    assessment = make_assessment()
    client.force_login(send_officer)
    today = timezone.localdate()

    response = client.post(
        reverse("ehcp:advice-request-create", args=[assessment.pk]),
        {
            "service": ProviderService.SALT,
            "provider": provider_a.pk,
            "requested_on_day": today.day,
            "requested_on_month": today.month,
            "requested_on_year": today.year,
            "question": "Communication needs?",
        },
    )

    assert response.status_code == 302, response.content.decode()[:2000]
    assert assessment.advice_requests.get().due_on == today + datetime.timedelta(weeks=6)


@pytest.mark.django_db
def test_a_health_professional_sees_only_their_own_organisations_requests(
    client, health_professional_a, request_to_a, provider_b
):
    other = make_advice_request(provider=provider_b)
    client.force_login(health_professional_a)

    listed = client.get(reverse("ehcp:advice-list")).context["page"].object_list

    assert [r.pk for r in listed] == [request_to_a.pk]
    assert other.pk not in [r.pk for r in listed]


@pytest.mark.django_db
def test_changing_the_id_does_not_open_another_providers_request(
    client, health_professional_b, request_to_a
):
    client.force_login(health_professional_b)

    assert client.get(reverse("ehcp:advice", args=[request_to_a.pk])).status_code == 403
    assert (
        client.post(
            reverse("ehcp:advice", args=[request_to_a.pk]),
            {"advice": "Written by the wrong person"},
        ).status_code
        == 403
    )
    child = request_to_a.assessment.child
    assert client.get(reverse("ehcp:child", args=[child.pk])).status_code == 403
    request_to_a.refresh_from_db()
    assert request_to_a.advice == ""


@pytest.mark.django_db
def test_the_health_professional_writes_and_submits_advice(
    client, health_professional_a, request_to_a
):
    client.force_login(health_professional_a)
    url = reverse("ehcp:advice", args=[request_to_a.pk])

    empty = client.post(url, {"advice": ""})
    assert "Write the health advice" in empty.content.decode()
    response = client.post(url, {"advice": "Sam needs 6 sessions a term.", "no_health_needs": ""})

    assert response.status_code == 302
    request_to_a.refresh_from_db()
    assert request_to_a.submitted_by == health_professional_a
    assert request_to_a.returned_on == timezone.localdate()
    assert "Sam needs 6 sessions" in client.get(url).content.decode()
    # Once submitted it cannot be changed.
    client.post(url, {"advice": "Changed afterwards"})
    request_to_a.refresh_from_db()
    assert request_to_a.advice == "Sam needs 6 sessions a term."


@pytest.mark.django_db
def test_the_dco_sees_every_open_request_by_due_date_and_chases_one(
    client, dco, provider_a, provider_b
):
    later = make_advice_request(provider=provider_a)
    sooner = make_advice_request(provider=provider_b)
    AdviceRequest.objects.filter(pk=sooner.pk).update(
        due_on=later.due_on - datetime.timedelta(days=3)
    )
    client.force_login(dco)

    listed = client.get(reverse("ehcp:advice-list")).context["page"].object_list
    assert [r.pk for r in listed] == [sooner.pk, later.pk]

    client.post(reverse("ehcp:advice-chase", args=[sooner.pk]))
    client.post(reverse("ehcp:advice-chase", args=[sooner.pk]))
    sooner.refresh_from_db()
    assert sooner.times_chased == 2 and sooner.last_chased_on == timezone.localdate()


@pytest.mark.django_db
def test_only_the_dco_may_chase(client, send_officer, request_to_a):
    client.force_login(send_officer)

    assert client.post(reverse("ehcp:advice-chase", args=[request_to_a.pk])).status_code == 403


@pytest.mark.django_db
def test_the_advice_list_runs_a_fixed_number_of_queries(
    client, dco, provider_a, django_assert_num_queries
):
    for _ in range(12):
        make_advice_request(provider=provider_a)
    client.force_login(dco)
    client.get(reverse("ehcp:advice-list"))

    # session, user (with the roles held today), count, the ids of the page, its requests
    # (with child and provider), provider choices (the session is saved at most once a
    # minute: not here); the header's unread count comes with the user
    with django_assert_num_queries(6):
        response = client.get(reverse("ehcp:advice-list"))
    due = [(advice.due_on, advice.pk) for advice in response.context["page"].object_list]
    assert len(due) == 12 and due == sorted(due)


@pytest.mark.django_db
def test_timeliness_is_counted_with_and_without_exceptions(dco):
    from ehcp import selectors
    from ehcp.models import ClockException

    today = timezone.localdate()
    on_time = make_advice_request()
    late = make_advice_request()
    late_excepted = make_advice_request()
    AdviceRequest.objects.filter(pk=on_time.pk).update(returned_on=on_time.due_on)
    for advice in (late, late_excepted):
        AdviceRequest.objects.filter(pk=advice.pk).update(
            returned_on=advice.due_on + datetime.timedelta(days=1)
        )
    services.record_exception(
        late_excepted.assessment,
        ClockException.AppliesTo.HEALTH_ADVICE,
        "missed-appointment",
        late_excepted.requested_on,
        dco,
        advice_request=late_excepted,
    )

    counts = selectors.advice_timeliness_between(
        today - datetime.timedelta(days=400), today + datetime.timedelta(days=400)
    )

    assert counts == {"returned": 3, "on_time": 1, "on_time_or_excepted": 2}


@pytest.mark.django_db
@pytest.mark.parametrize("gap_days", [0, 1, 30])
def test_several_periods_are_each_counted_as_if_alone(gap_days):
    """The report asks for its period and the one before at once (``advice_timeliness_for``);
    periods that meet are read as one range, periods apart as two: each still counts only
    its own requests."""
    from ehcp import selectors

    requests = [make_advice_request() for _ in range(4)]
    first_day = requests[0].due_on
    # Returned on the first period's first and last days, and on the second's first and last.
    first = (first_day, first_day + datetime.timedelta(days=9))
    second_start = first[1] + datetime.timedelta(days=1 + gap_days)
    second = (second_start, second_start + datetime.timedelta(days=9))
    for advice, day in zip(requests, (*first, *second), strict=True):
        AdviceRequest.objects.filter(pk=advice.pk).update(returned_on=day)

    together = selectors.advice_timeliness_for([second, first])

    assert together == [
        selectors.advice_timeliness_between(*second),
        selectors.advice_timeliness_between(*first),
    ]
    assert [counts["returned"] for counts in together] == [2, 2]
