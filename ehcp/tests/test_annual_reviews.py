"""Annual reviews: the worklist, the meeting and decision, health input, and who may do what.

Every test runs on Monday 15 June 2026 at 10:00 in London unless it says otherwise.
"""

import datetime
import re

import pytest
import time_machine
from dateutil.relativedelta import relativedelta
from django.urls import reverse

from audit.selectors import child_record_views
from ehcp import services
from ehcp.models import AdviceRequest, AnnualReview, Need, ProviderService
from ehcp.tests.factories import ChildFactory, make_assessment
from send_portal.london_time import LONDON

TODAY = datetime.date(2026, 6, 15)


@pytest.fixture(autouse=True)
def on_15_june_2026():
    with time_machine.travel(datetime.datetime(2026, 6, 15, 10, 0, tzinfo=LONDON), tick=False):
        yield


def a_review(due_on, *, first_name="Sam", last_name="Example", **child_fields) -> AnnualReview:
    """The first annual review of a plan issued 12 months before ``due_on``."""
    issued_on = due_on - relativedelta(months=12)
    child = ChildFactory(first_name=first_name, last_name=last_name, **child_fields)
    assessment = make_assessment(child=child, requested_on=issued_on - datetime.timedelta(weeks=20))
    return services.issue_final_plan(assessment, issued_on)


def days(n: int) -> datetime.date:
    return TODAY + datetime.timedelta(days=n)


def held(review, meeting_on, **outcome) -> AnnualReview:
    AnnualReview.objects.filter(pk=review.pk).update(meeting_on=meeting_on, **outcome)
    review.refresh_from_db()
    return review


def meeting_data(day: datetime.date) -> dict:
    return {
        "save-meeting": "",
        "meeting-meeting_on_day": str(day.day),
        "meeting-meeting_on_month": str(day.month),
        "meeting-meeting_on_year": str(day.year),
    }


def decision_data(decision: str, day: datetime.date) -> dict:
    return {
        "save-decision": "",
        "decision-decision": decision,
        "decision-decided_on_day": str(day.day),
        "decision-decided_on_month": str(day.month),
        "decision-decided_on_year": str(day.year),
    }


def review_url(review) -> str:
    return reverse("ehcp:annual-review", args=[review.pk])


# --- The list -----------------------------------------------------------------------------


@pytest.fixture
def worklist():
    """One review in each state the list knows, named after it."""
    reviews = {
        "overdue": a_review(days(-10), first_name="Olly", last_name="Overdue"),
        "soon": a_review(days(10), first_name="Sue", last_name="Soon"),
        "on-track": a_review(days(50), first_name="Tom", last_name="Ontrack"),
        "later": a_review(days(70), first_name="Larry", last_name="Later"),
        "booked": a_review(days(20), first_name="Bob", last_name="Booked"),
        "awaiting": a_review(days(-20), first_name="Ava", last_name="Awaiting"),
        "amending": a_review(days(-60), first_name="Amy", last_name="Amending"),
        "kept": a_review(days(-40), first_name="Kit", last_name="Kept"),
        "amended": a_review(days(-90), first_name="Andy", last_name="Amended"),
    }
    held(reviews["booked"], days(15))  # booked for a later day: not held yet
    held(reviews["awaiting"], days(-7))
    held(
        reviews["amending"],
        days(-50),
        decision=AnnualReview.Decision.AMEND,
        decided_on=days(-45),
    )
    held(reviews["kept"], days(-40), decision=AnnualReview.Decision.KEEP, decided_on=days(-30))
    held(
        reviews["amended"],
        days(-90),
        decision=AnnualReview.Decision.AMEND,
        decided_on=days(-80),
        amended_plan_final_on=days(-20),
    )
    return reviews


def names_in_order(page: str, names: list[str]) -> list[str]:
    found = [(page.find(name), name) for name in names if name in page]
    return [name for _, name in sorted(found)]


@pytest.mark.django_db
def test_the_list_shows_reviews_due_first_then_reviews_waiting_for_an_outcome(
    client, dco, worklist
):
    client.force_login(dco)

    response = client.get(reverse("ehcp:annual-reviews"))

    assert response.status_code == 200
    page = response.content.decode()
    everyone = [
        "Olly Overdue",
        "Sue Soon",
        "Bob Booked",
        "Tom Ontrack",
        "Larry Later",
        "Amy Amending",
        "Ava Awaiting",
        "Kit Kept",
        "Andy Amended",
    ]
    # Due (earliest first), then held (earliest meeting first); nothing finished or far off.
    assert names_in_order(page, everyone) == [
        "Olly Overdue",
        "Sue Soon",
        "Bob Booked",
        "Tom Ontrack",
        "Amy Amending",
        "Ava Awaiting",
    ]
    # The held reviews' table begins with its region, named after its caption.
    due_table, held_table = page.split(
        'aria-label="Reviews held: decision or amended plan outstanding"'
    )
    assert "Overdue</strong>" in due_table and "Due soon</strong>" in due_table
    assert "On track</strong>" in due_table
    assert "Booked for 30 Jun 2026" in due_table
    assert "Ava Awaiting" in held_table and "6 Jul 2026" in held_table  # decision due
    assert "Amend the plan" in held_table and "19 Jul 2026" in held_table  # amended plan due


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("status", "expected"),
    [
        ("overdue", {"Olly Overdue"}),
        ("due", {"Sue Soon", "Bob Booked", "Tom Ontrack"}),
        ("awaiting", {"Ava Awaiting", "Amy Amending"}),
    ],
)
def test_the_list_filters_by_status(client, dco, worklist, status, expected):
    client.force_login(dco)

    page = client.get(reverse("ehcp:annual-reviews"), {"status": status}).content.decode()

    shown = {name for name in re.findall(r">([A-Z][a-z]+ [A-Z][a-z]+)</a>", page)}
    assert shown == expected


@pytest.mark.django_db
def test_the_list_filters_by_primary_or_secondary_need(client, dco):
    a_review(days(5), first_name="Pat", last_name="Primary", primary_need=Need.SLCN)
    a_review(
        days(6),
        first_name="Sid",
        last_name="Secondary",
        primary_need=Need.ASD,
        secondary_need=Need.SLCN,
    )
    a_review(days(7), first_name="Oscar", last_name="Other", primary_need=Need.HI)
    client.force_login(dco)

    page = client.get(reverse("ehcp:annual-reviews"), {"need": "SLCN"}).content.decode()

    assert "Pat Primary" in page and "Sid Secondary" in page
    assert "Oscar Other" not in page


@pytest.mark.django_db
def test_the_filter_form_sends_codes_only(client, dco, worklist):
    client.force_login(dco)

    page = client.get(reverse("ehcp:annual-reviews")).content.decode()

    start = page.index('<form method="get"')
    form = page[start : page.index("</form>", start)]
    names = set(re.findall(r'name="([^"]+)"', form))
    assert names == {"status", "need"}


@pytest.mark.django_db
def test_the_list_says_when_nothing_is_due(client, dco):
    a_review(days(100))  # not due for months
    client.force_login(dco)

    page = client.get(reverse("ehcp:annual-reviews")).content.decode()

    assert "nhsuk-inset-text" in page
    assert "No annual review is overdue or due in the next 8 weeks" in page
    assert "<table" not in page


@pytest.mark.django_db
def test_the_list_says_when_no_review_matches_the_filters(client, dco, worklist):
    client.force_login(dco)

    page = client.get(reverse("ehcp:annual-reviews"), {"need": "VI"}).content.decode()

    assert "No annual reviews match these filters" in page


@pytest.mark.django_db
def test_the_list_is_paginated_by_25(client, dco):
    for n in range(27):
        a_review(days(n), first_name="Child", last_name=f"Number{chr(ord('a') + n)}")
    client.force_login(dco)

    first = client.get(reverse("ehcp:annual-reviews")).content.decode()
    second = client.get(reverse("ehcp:annual-reviews"), {"page": 2}).content.decode()

    assert first.count("Child Number") == 25
    assert second.count("Child Number") == 2
    assert "Page 2 of 2" in first


@pytest.mark.django_db
@pytest.mark.parametrize("count", [3, 20])
def test_the_list_runs_a_fixed_number_of_queries(client, dco, django_assert_num_queries, count):
    client.force_login(dco)
    client.get(reverse("ehcp:annual-reviews"))  # warm the session
    for n in range(count):
        review = a_review(days(n - 5), first_name="Child", last_name=f"N{n}")
        if n % 3 == 0:
            held(review, days(-1))

    # session, user (with the roles held today), the paginator's count, the ids of the
    # page, those reviews with plan, assessment and child
    # (the session is saved at most once a minute: not here)
    with django_assert_num_queries(5):
        response = client.get(reverse("ehcp:annual-reviews"))
    assert response.status_code == 200


# --- The review page: meeting, decision, amended plan ---------------------------------------


@pytest.mark.django_db
def test_the_review_page_shows_the_child_and_logs_the_access(client, dco):
    review = a_review(days(10), first_name="Rita", last_name="Reviewed")
    client.force_login(dco)

    page = client.get(review_url(review)).content.decode()

    assert "Rita Reviewed" in page
    assert "Annual review due 25 June 2026" in page
    assert "Due soon" in page
    view = child_record_views().get()
    assert (view.target_id, view.actor, view.summary) == (
        str(review.plan.assessment.child.pk),
        dco,
        "annual review",
    )


@pytest.mark.django_db
def test_an_overdue_review_shows_a_warning_callout(client, dco):
    review = a_review(days(-3))
    client.force_login(dco)

    page = client.get(review_url(review)).content.decode()

    assert "nhsuk-warning-callout" in page and "Review overdue" in page


@pytest.mark.django_db
def test_recording_the_meeting_shows_the_dates_that_follow(client, send_officer):
    review = a_review(days(30))
    client.force_login(send_officer)

    response = client.post(review_url(review), meeting_data(days(20)), follow=True)

    review.refresh_from_db()
    assert review.meeting_on == days(20)
    page = response.content.decode()
    assert "The date of the review meeting has been saved." in page
    assert "Booked for 5 July 2026" in page
    assert "21 Jun 2026" in page  # advice circulated by: 2 weeks before
    assert "2 Aug 2026" in page  # decision due: 4 weeks after
    assert "27 Sep 2026" in page  # amended plan final: 12 weeks after


@pytest.mark.django_db
def test_a_meeting_before_the_plan_was_issued_is_refused_and_what_was_typed_is_kept(client, dco):
    review = a_review(days(30))  # plan issued 15 July 2025
    client.force_login(dco)

    response = client.post(review_url(review), meeting_data(datetime.date(2025, 7, 1)))

    assert response.status_code == 200
    page = response.content.decode()
    assert "There is a problem" in page
    assert "The meeting cannot be before the plan was issued on 15 July 2025." in page
    assert 'name="meeting-meeting_on_year" value="2025"' in page
    assert 'name="meeting-meeting_on_day" value="1"' in page
    assert "<title>Error: " in page
    review.refresh_from_db()
    assert review.meeting_on is None


@pytest.mark.django_db
def test_a_meeting_more_than_a_year_ahead_is_refused(client, dco):
    review = a_review(days(30))
    client.force_login(dco)

    response = client.post(review_url(review), meeting_data(TODAY + relativedelta(years=1, days=1)))

    assert "The meeting must be within a year from today" in response.content.decode()
    review.refresh_from_db()
    assert review.meeting_on is None


@pytest.mark.django_db
def test_a_meeting_date_that_is_not_a_real_date_shows_the_nhs_error(client, dco):
    review = a_review(days(30))
    client.force_login(dco)
    data = meeting_data(days(20)) | {
        "meeting-meeting_on_day": "31",
        "meeting-meeting_on_month": "2",
    }

    page = client.post(review_url(review), data).content.decode()

    assert "Date of the review meeting must be a real date" in page
    assert 'href="#id_meeting-meeting_on_day"' in page


@pytest.mark.django_db
def test_recording_the_decision_creates_the_next_review_12_months_after_the_meeting(client, dco):
    review = held(a_review(days(-10)), days(-14))
    client.force_login(dco)

    response = client.post(
        review_url(review), decision_data(AnnualReview.Decision.KEEP, days(-2)), follow=True
    )

    review.refresh_from_db()
    assert (review.decision, review.decided_on) == (AnnualReview.Decision.KEEP, days(-2))
    next_review = AnnualReview.objects.exclude(pk=review.pk).get(plan=review.plan)
    assert next_review.due_on == datetime.date(2027, 6, 1)  # meeting 1 June 2026 + 12 months
    assert "The next annual review is due on 1 June 2027." in response.content.decode()


@pytest.mark.django_db
def test_a_meeting_on_29_february_makes_the_next_review_due_on_28_february(dco):
    with time_machine.travel(datetime.datetime(2028, 3, 10, 9, 0, tzinfo=LONDON), tick=False):
        review = a_review(datetime.date(2028, 3, 1))
        review = services.record_review_meeting(review, datetime.date(2028, 2, 29), dco)

        next_review = services.record_review_decision(
            review, AnnualReview.Decision.AMEND, datetime.date(2028, 3, 6), dco
        )

    assert next_review.due_on == datetime.date(2029, 2, 28)


@pytest.mark.django_db
def test_a_decision_without_a_meeting_is_refused_and_changes_nothing(dco):
    review = a_review(days(-10))

    with pytest.raises(services.RefusedChange, match="Record the date of the review meeting"):
        services.record_review_decision(review, AnnualReview.Decision.KEEP, days(-1), dco)

    review.refresh_from_db()
    assert (review.decision, review.decided_on) == ("", None)
    assert AnnualReview.objects.count() == 1


@pytest.mark.django_db
def test_a_decision_without_a_meeting_is_refused_on_the_page(client, dco):
    review = a_review(days(-10))
    client.force_login(dco)

    response = client.post(review_url(review), decision_data("keep", days(-1)))

    page = response.content.decode()
    assert "There is a problem" in page
    assert "Record the date of the review meeting before the decision." in page
    assert AnnualReview.objects.count() == 1


@pytest.mark.django_db
def test_a_decision_before_the_meeting_is_refused(dco):
    review = held(a_review(days(-10)), days(-5))

    with pytest.raises(services.RefusedChange, match="cannot be before the review meeting"):
        services.record_review_decision(review, AnnualReview.Decision.KEEP, days(-6), dco)
    assert AnnualReview.objects.count() == 1


@pytest.mark.django_db
def test_a_decision_is_recorded_once(dco):
    review = held(a_review(days(-10)), days(-5))
    services.record_review_decision(review, AnnualReview.Decision.KEEP, days(-1), dco)

    with pytest.raises(services.RefusedChange, match="recorded already"):
        services.record_review_decision(review, AnnualReview.Decision.AMEND, days(-1), dco)
    assert AnnualReview.objects.count() == 2


@pytest.mark.django_db
def test_a_plan_that_ceases_has_no_next_review(dco):
    review = held(a_review(days(-10)), days(-5))

    assert services.record_review_decision(review, "cease", days(-1), dco) is None
    assert AnnualReview.objects.count() == 1


@pytest.mark.django_db
def test_the_meeting_cannot_move_once_the_decision_is_recorded(dco):
    review = held(a_review(days(-10)), days(-5), decision="keep", decided_on=days(-1))

    with pytest.raises(services.RefusedChange, match="can no longer change"):
        services.record_review_meeting(review, days(-4), dco)


@pytest.mark.django_db
def test_the_amended_plan_final_date_is_recorded_after_a_decision_to_amend(client, dco):
    review = held(a_review(days(-10)), days(-30), decision="amend", decided_on=days(-20))
    client.force_login(dco)
    data = {
        "save-amended-plan": "",
        "amended-final_on_day": str(days(-1).day),
        "amended-final_on_month": str(days(-1).month),
        "amended-final_on_year": str(days(-1).year),
    }

    response = client.post(review_url(review), data, follow=True)

    review.refresh_from_db()
    assert review.amended_plan_final_on == days(-1)
    assert "The date the amended plan was made final has been saved." in response.content.decode()


@pytest.mark.django_db
def test_only_a_decision_to_amend_has_an_amended_plan(dco):
    review = held(a_review(days(-10)), days(-30), decision="keep", decided_on=days(-20))

    with pytest.raises(services.RefusedChange, match="decided to amend"):
        services.record_amended_plan_final(review, days(-1), dco)


@pytest.mark.django_db
def test_review_changes_keep_their_history_with_who_made_them(dco):
    review = a_review(days(10))

    services.record_review_meeting(review, days(5), dco)

    assert review.history.latest().history_user == dco


# --- Health input for a review ----------------------------------------------------------------


def input_data(provider) -> dict:
    return {
        "service": ProviderService.SALT,
        "provider": str(provider.pk),
        "question": "Progress against the communication outcomes.",
    }


@pytest.mark.django_db
def test_health_input_is_due_2_weeks_before_the_meeting(client, dco, provider_a):
    review = held(a_review(days(40)), days(35))
    client.force_login(dco)
    url = reverse("ehcp:annual-review-input", args=[review.pk])

    assert "2 weeks before the review meeting" in client.get(url).content.decode()
    response = client.post(url, input_data(provider_a), follow=True)

    advice = AdviceRequest.objects.get()
    assert (advice.annual_review, advice.assessment) == (review, review.plan.assessment)
    assert (advice.requested_on, advice.due_on) == (TODAY, days(21))
    assert (advice.provider, advice.requested_by) == (provider_a, dco)
    page = response.content.decode()
    assert "Health input has been requested from Provider A NHS Foundation Trust" in page
    assert "Speech and language therapy" in page  # listed on the review page


@pytest.mark.django_db
def test_health_input_is_due_in_6_weeks_when_no_meeting_is_booked(client, send_officer, provider_a):
    review = a_review(days(60))
    client.force_login(send_officer)

    client.post(reverse("ehcp:annual-review-input", args=[review.pk]), input_data(provider_a))

    assert AdviceRequest.objects.get().due_on == days(42)


@pytest.mark.django_db
def test_health_input_asked_for_too_late_to_circulate_is_due_on_the_day_of_the_meeting(
    dco, provider_a
):
    review = held(a_review(days(10)), days(7))

    advice = services.request_review_input(review, ProviderService.OT, provider_a, dco)

    assert advice.due_on == days(7)


@pytest.mark.django_db
def test_a_health_input_request_needs_a_service_and_a_provider(client, dco):
    review = a_review(days(60))
    client.force_login(dco)

    response = client.post(
        reverse("ehcp:annual-review-input", args=[review.pk]), {"question": "Anything new?"}
    )

    page = response.content.decode()
    assert "There is a problem" in page
    assert "Choose the health service" in page and "Choose the provider organisation" in page
    assert "Anything new?" in page
    assert not AdviceRequest.objects.exists()


@pytest.mark.django_db
def test_only_health_organisations_are_offered_as_providers(client, dco, provider_a, icb):
    review = a_review(days(60))
    client.force_login(dco)

    page = client.get(reverse("ehcp:annual-review-input", args=[review.pk])).content.decode()

    assert provider_a.name in page
    assert icb.name not in page


# --- Who may do what -------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("dmo", 200),
        ("dco", 200),
        ("clinical_lead", 200),
        ("send_officer", 200),
        ("health_professional_a", 403),
        ("commissioner", 403),
        ("sendiass_officer", 403),
        ("administrator", 403),
        ("no_role_user", 403),
    ],
)
def test_who_may_see_annual_reviews(request, client, persona, status):
    review = a_review(days(10))
    client.force_login(request.getfixturevalue(persona))

    assert client.get(reverse("ehcp:annual-reviews")).status_code == status
    assert client.get(review_url(review)).status_code == status


@pytest.mark.django_db
def test_a_signed_out_visitor_is_sent_to_sign_in(client):
    review = a_review(days(10))

    response = client.get(review_url(review))

    assert response.status_code == 302


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ["dco", "send_officer"])
def test_the_dco_and_send_officers_may_manage_reviews(request, client, persona):
    review = a_review(days(10))
    client.force_login(request.getfixturevalue(persona))

    page = client.get(review_url(review)).content.decode()
    response = client.post(review_url(review), meeting_data(days(5)))

    assert "Save meeting date" in page
    assert response.status_code == 302
    review.refresh_from_db()
    assert review.meeting_on == days(5)


@pytest.mark.django_db
def test_the_dmo_may_view_a_review_but_not_change_it(client, dmo):
    review = a_review(days(10))
    client.force_login(dmo)

    page = client.get(review_url(review)).content.decode()
    response = client.post(review_url(review), meeting_data(days(5)))

    assert "Save meeting date" not in page
    assert "Request health input" not in page
    assert response.status_code == 403
    review.refresh_from_db()
    assert review.meeting_on is None


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ["health_professional_a", "commissioner"])
def test_health_professionals_and_commissioners_may_not_change_a_review(request, client, persona):
    review = a_review(days(10))
    client.force_login(request.getfixturevalue(persona))

    assert client.post(review_url(review), meeting_data(days(5))).status_code == 403
    review.refresh_from_db()
    assert review.meeting_on is None


@pytest.mark.django_db
def test_the_services_refuse_people_who_may_not_manage_reviews(dmo):
    review = a_review(days(10))

    with pytest.raises(services.RefusedChange, match="may record annual reviews"):
        services.record_review_meeting(review, days(5), dmo)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("dco", 200),
        ("send_officer", 200),
        ("dmo", 403),
        ("clinical_lead", 403),
        ("health_professional_a", 403),
        ("commissioner", 403),
        ("no_role_user", 403),
    ],
)
def test_who_may_ask_for_health_input(request, client, persona, status, provider_a):
    review = a_review(days(60))
    client.force_login(request.getfixturevalue(persona))
    url = reverse("ehcp:annual-review-input", args=[review.pk])

    assert client.get(url).status_code == status
    client.post(url, input_data(provider_a))
    assert AdviceRequest.objects.exists() == (status == 200)


@pytest.mark.django_db
def test_a_review_that_does_not_exist_is_not_found(client, dco):
    client.force_login(dco)

    assert client.get(reverse("ehcp:annual-review", args=[999])).status_code == 404


@pytest.mark.django_db
def test_an_unknown_filter_value_is_shown_as_an_error_not_a_crash(client, dco, worklist):
    client.force_login(dco)

    response = client.get(reverse("ehcp:annual-reviews"), {"status": "everything"})

    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
