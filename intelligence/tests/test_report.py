"""The commissioner feedback report: figures on a dataset whose answers are known, the
page's access rules, its empty and bad periods, and a query count that does not grow."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from ehcp.models import ClockException, ProviderService, SignOff
from ehcp.tests.factories import (
    make_advice_request,
    make_assessment,
    make_plan_waiting_for_sign_off,
)
from intelligence import report
from intelligence.models import Concern, ConcernSource, Escalation, Theme
from intelligence.selectors import emerging_rule_text
from intelligence.services import log_concern
from meetings.models import Action, Meeting, MeetingKind
from meetings.tests.factories import make_series
from nhsuk_forms.tests.html import parse
from roles.models import RoleCode
from tests.factories import person_holding, the_test_area

D = datetime.date
PERIOD = report.Period(D(2025, 4, 1), D(2025, 6, 30))
URL = reverse("intelligence:report")
QUERY = {"start": "2025-04-01", "end": "2025-06-30"}


def at(day: datetime.date, hour: int = 10) -> datetime.datetime:
    return datetime.datetime.combine(
        day, datetime.time(hour), tzinfo=timezone.get_current_timezone()
    )


@pytest.fixture
def themes(db):
    waiting, _ = Theme.objects.get_or_create(name="Waiting times")
    talking, _ = Theme.objects.get_or_create(name="Communication between services")
    old = Theme.objects.create(name="Waits (old name)", merged_into=waiting)
    return waiting, talking, old


def concern(user, day, themes, service="", families=1, summary="Parents waited a long time."):
    return log_concern(
        area=the_test_area(),
        raised_on=day,
        source=ConcernSource.SENDIASS,
        summary=summary,
        themes=themes,
        logged_by=user,
        families=families,
        service=service,
    )


@pytest.fixture
def dataset(themes, sendiass_officer, dco, commissioner, dmo):
    waiting, talking, old = themes
    salt, camhs = ProviderService.SALT, ProviderService.CAMHS
    # Concerns: four in the period, one before it, one after it.
    concern(sendiass_officer, D(2025, 4, 10), [waiting], salt, families=2)
    concern(sendiass_officer, D(2025, 4, 20), [waiting, talking], salt)
    concern(sendiass_officer, D(2025, 5, 5), [talking], camhs)
    concern(sendiass_officer, D(2025, 6, 15), [old])  # counts under "Waiting times"
    concern(sendiass_officer, D(2025, 3, 15), [waiting], salt)
    concern(sendiass_officer, D(2025, 7, 2), [talking], camhs)
    first = Concern.objects.order_by("pk").first()

    # Escalations: answered after 10 and 4 days; one open; one answered after the period.
    def escalation(asked, answered=None):
        made = Escalation.objects.create(
            concern=first, area=first.area, question="Why?", escalated_by=dco
        )
        Escalation.objects.filter(pk=made.pk).update(
            escalated_at=at(asked),
            responded_at=at(answered) if answered else None,
            responded_by=commissioner if answered else None,
            response="We will" if answered else "",
        )

    escalation(D(2025, 4, 1), D(2025, 4, 11))
    escalation(D(2025, 5, 1), D(2025, 5, 5))
    escalation(D(2025, 6, 1))
    escalation(D(2025, 6, 20), D(2025, 7, 10))

    # Health advice returned in the period: on time; late with an exception; late.
    assessment = make_assessment(requested_on=D(2025, 2, 1))
    make_advice_request(assessment, due_on=D(2025, 4, 30), returned_on=D(2025, 4, 28))
    excepted = make_advice_request(assessment, due_on=D(2025, 4, 30), returned_on=D(2025, 5, 20))
    ClockException.objects.create(
        assessment=assessment,
        advice_request=excepted,
        applies_to=ClockException.AppliesTo.HEALTH_ADVICE,
        reason="missed-appointment",
        applies_from=D(2025, 4, 1),
        recorded_by=dco,
    )
    make_advice_request(assessment, due_on=D(2025, 4, 30), returned_on=D(2025, 6, 1))

    # Final plans issued in the period: one within 20 weeks, one late.
    on_time = make_assessment(requested_on=D(2025, 1, 6))
    late = make_assessment(requested_on=D(2024, 12, 2))
    type(on_time).objects.filter(pk=on_time.pk).update(final_issued_on=on_time.final_plan_due)
    type(late).objects.filter(pk=late.pk).update(
        final_issued_on=late.final_plan_due + datetime.timedelta(days=10)
    )

    # Sign-offs in the period: 3 and 7 days after the sections were sent.
    for sent, days in ((D(2025, 5, 1), 3), (D(2025, 6, 1), 7)):
        # Sent on that day (a frozen version's time is never changed afterwards).
        with time_machine.travel(at(sent)):
            plan = make_plan_waiting_for_sign_off()
        version = plan.versions.get()
        SignOff.objects.create(
            version=version,
            signed_by=dmo,
            role_name="Designated Medical Officer",
            organisation_name="Provider A",
            registration_number="GMC 1234567",
            attestation="I sign off",
            signed_at=at(sent + datetime.timedelta(days=days)),
            text_hash="0" * 64,
        )

    # Meetings: two Health Cafés planned (one held) and one cancelled; one panel held.
    cafe = make_series(materialise=False)
    panel = make_series(name="SEND Panel", kind=MeetingKind.SEND_PANEL, materialise=False)

    def meeting(series, day, status):
        return Meeting.objects.create(
            series=series,
            occurrence_date=day,
            starts_at=at(day),
            ends_at=at(day, 12),
            status=status,
        )

    held = meeting(cafe, D(2025, 4, 8), Meeting.Status.CLOSED)
    meeting(cafe, D(2025, 6, 10), Meeting.Status.SCHEDULED)
    meeting(cafe, D(2025, 5, 13), Meeting.Status.CANCELLED)
    meeting(panel, D(2025, 5, 20), Meeting.Status.CLOSED)
    # Actions due in the period: done on time, done late, still open.
    for due, done in (
        (D(2025, 5, 1), D(2025, 4, 30)),
        (D(2025, 5, 1), D(2025, 5, 9)),
        (D(2025, 6, 1), None),
    ):
        Action.objects.create(
            meeting=held,
            description="Follow up",
            owner=dco,
            due_on=due,
            status=Action.Status.DONE if done else Action.Status.OPEN,
            completed_on=done,
        )
    return themes


# --- Periods ----------------------------------------------------------------------------


def test_the_default_period_is_the_last_full_quarter():
    assert report.last_full_quarter(D(2026, 11, 24)) == report.Period(D(2026, 7, 1), D(2026, 9, 30))
    assert report.last_full_quarter(D(2026, 1, 5)) == report.Period(D(2025, 10, 1), D(2025, 12, 31))
    assert report.last_full_quarter(D(2026, 4, 1)) == report.Period(D(2026, 1, 1), D(2026, 3, 31))


def test_the_period_before_a_quarter_is_the_quarter_before():
    # Not "the same number of days before" (1 January to 31 March has 90 days, not 91):
    # intelligence/tests/test_periods.py has the rules in full.
    assert PERIOD.before() == report.Period(D(2025, 1, 1), D(2025, 3, 31))


def test_a_bad_period_is_refused_with_a_message():
    with pytest.raises(report.BadPeriod, match="same as or after its start"):
        report.period_from({"start": "2025-06-30", "end": "2025-04-01"})
    with pytest.raises(report.BadPeriod, match="real date"):
        report.period_from({"start": "2025-02-30", "end": "2025-04-01"})


def test_periods_run_from_the_send_reforms_to_the_end_of_next_year():
    today = D(2026, 11, 24)
    assert report.period_from({"start": "2014-09-01", "end": "2014-11-30"}, today).days == 91
    assert report.period_from({"start": "2027-10-01", "end": "2027-12-31"}, today).days == 92
    with pytest.raises(report.BadPeriod, match="on or after 1 September 2014"):
        report.period_from({"start": "2014-08-31", "end": "2014-11-30"}, today)
    with pytest.raises(report.BadPeriod, match="on or before 31 December 2027"):
        report.period_from({"start": "2027-10-01", "end": "2028-01-01"}, today)


@pytest.mark.parametrize(
    ("start", "end"), [("9999-12-01", "9999-12-31"), ("0001-01-01", "0001-03-31")]
)
def test_the_first_and_last_days_there_are_get_a_message_not_a_server_error(
    client, commissioner, start, end
):
    # The period before such a period, or the day after it, is not a date Python has.
    client.force_login(commissioner)
    page = client.get(reverse("intelligence:report"), {"start": start, "end": end})
    assert page.status_code == 400
    assert "There is a problem" in page.content.decode()
    assert (
        client.get(reverse("intelligence:concerns-csv"), {"start": start, "end": end}).status_code
        == 400
    )


# --- Figures on a known dataset ---------------------------------------------------------


@pytest.mark.django_db
def test_concerns_by_theme_and_service(dataset):
    waiting, talking, _ = dataset
    figures = report.concern_figures(PERIOD)
    assert figures["total"] == 4
    assert figures["families"] == 5
    assert [(row["label"], row["count"]) for row in figures["by_theme"]] == [
        ("Waiting times", 3),
        ("Communication between services", 2),
    ]
    assert [(row["code"], row["count"]) for row in figures["by_service"]] == [
        ("salt", 2),
        ("", 1),
        ("camhs", 1),
    ]
    assert report.concern_figures(PERIOD.before())["total"] == 1


@pytest.mark.django_db
def test_trend_by_month(dataset):
    assert [(row["label"], row["count"]) for row in report.concerns_by_month(PERIOD)] == [
        ("Apr 2025", 2),
        ("May 2025", 1),
        ("Jun 2025", 1),
    ]


@pytest.mark.django_db
def test_escalations_open_answered_and_median_days(dataset):
    figures = report.escalation_figures(PERIOD)
    assert figures["raised"] == 4
    assert figures["open"] == 2
    assert figures["answered"] == 2
    assert figures["median_days"] == pytest.approx(7)


@pytest.mark.django_db
def test_statutory_figures(dataset):
    figures = report.statutory_figures(PERIOD)
    advice = figures["advice"]
    assert (advice["returned"], advice["on_time"], advice["on_time_or_excepted"]) == (3, 1, 2)
    assert advice["percent"] == 33.3
    assert advice["percent_with_exceptions"] == 66.7
    plans = figures["plans"]
    assert (plans["issued"], plans["on_time"], plans["percent"]) == (2, 1, 50.0)
    assert figures["sign_offs"]["signed_off"] == 2
    assert figures["sign_offs"]["median_days"] == pytest.approx(5)


@pytest.mark.django_db
def test_meetings_held_vs_planned_and_actions(dataset):
    figures = report.meeting_figures(PERIOD)
    held = {row["kind"]: (row["held"], row["planned"]) for row in figures["held"]}
    assert held == {MeetingKind.HEALTH_CAFE: (1, 2), MeetingKind.SEND_PANEL: (1, 1)}
    assert figures["actions"] == {"due": 3, "on_time": 1, "percent": 33.3}


# --- The page ---------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_page_shows_the_figures_and_the_emerging_rule(client, dco, dataset):
    client.force_login(dco)
    response = client.get(URL, QUERY)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Waiting times" in page
    assert emerging_rule_text() in page
    assert 'role="img"' in page and "<title" in page and "<desc" in page
    assert "33.3%" in page  # advice within 6 weeks
    assert "Parents waited a long time." not in page  # no summaries, ever
    assert reverse("intelligence:concerns") in page  # the DCO may open the concerns


@pytest.mark.django_db
def test_the_figures_columns_are_numeric_whatever_the_comparison_is_called(client, dco, dataset):
    """The comparison column's header is a variable, so {% table %} marks the number
    columns from the second on; the grade table's caption carries its count."""
    client.force_login(dco)
    for compare, heading in (("before", "Period before"), ("year-earlier", "A year earlier")):
        page = parse(client.get(URL, {**QUERY, "compare": compare}).content.decode())
        region = page.find("div", aria_label="Statutory timescales")
        headers = [(th.text, th.classes) for th in region.find("thead").find_all("th")]
        assert headers == [
            ("Measure", ["nhsuk-table__header"]),
            ("This period", ["nhsuk-table__header", "nhsuk-table__header--numeric"]),
            (heading, ["nhsuk-table__header", "nhsuk-table__header--numeric"]),
        ]
    assert page.find("div", aria_label="Quality reviews by grade (2 in all)")


@pytest.mark.django_db
def test_an_emerging_theme_is_shown(client, dco, themes, sendiass_officer):
    waiting = themes[0]
    today = timezone.localdate()
    for days in (5, 20, 40):
        concern(sendiass_officer, today - datetime.timedelta(days=days), [waiting])
    client.force_login(dco)
    start = today - datetime.timedelta(days=60)
    response = client.get(URL, {"start": start.isoformat(), "end": today.isoformat()})
    emerging = response.context["emerging"]
    assert [item.theme for item in emerging] == [waiting]
    assert "No theme is emerging" not in response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ["commissioner", "governance_reader"])
def test_commissioners_and_governance_readers_see_figures_but_no_summaries(
    client, request, persona, dataset, icb
):
    if persona == "governance_reader":
        user = person_holding(RoleCode.GOVERNANCE_READER, icb)
    else:
        user = request.getfixturevalue(persona)
    client.force_login(user)
    response = client.get(URL, QUERY)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Waiting times" in page
    assert "Parents waited a long time." not in page
    # No link to records they may not open.
    assert reverse("intelligence:concerns") not in page
    assert reverse("ehcp:advice-list") not in page


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ["sendiass_officer", "no_role_user"])
def test_others_are_refused(client, request, persona):
    client.force_login(request.getfixturevalue(persona))
    assert client.get(URL).status_code == 403


def test_signing_in_is_required(client, db):
    response = client.get(URL)
    assert response.status_code == 302
    assert "login" in response["Location"] or "sign-in" in response["Location"]


@pytest.mark.django_db
def test_an_empty_period_shows_empty_states(client, commissioner):
    client.force_login(commissioner)
    response = client.get(URL, {"start": "2020-01-01", "end": "2020-03-31"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "No concerns were logged in this period" in page
    assert "No meetings were planned in this period" in page


@pytest.mark.django_db
def test_end_before_start_is_a_clear_error(client, commissioner):
    client.force_login(commissioner)
    response = client.get(URL, {"start": "2025-06-30", "end": "2025-04-01"})
    assert response.status_code == 400
    assert "The end of the period must be the same as or after its start" in (
        response.content.decode()
    )


@pytest.mark.django_db
def test_the_default_is_the_last_full_quarter(client, commissioner):
    client.force_login(commissioner)
    response = client.get(URL)
    assert response.context["period"] == report.last_full_quarter(timezone.localdate())


@pytest.mark.django_db
def test_the_query_count_does_not_grow_with_the_data(
    client, dco, dataset, sendiass_officer, django_assert_num_queries
):
    waiting, talking, _ = dataset
    client.force_login(dco)
    client.get(URL, QUERY)  # warm caches (session, permissions)
    from django.core.cache import cache
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    cache.clear()  # count the report's own queries, not a cached copy (report.cached_report)
    with CaptureQueriesContext(connection) as first:
        client.get(URL, QUERY)
    assessment = make_assessment(requested_on=D(2025, 2, 1))
    for index in range(30):
        concern(
            sendiass_officer,
            D(2025, 4, 1) + datetime.timedelta(days=index * 3 % 90),
            [waiting, talking] if index % 2 else [waiting],
            ProviderService.OT,
        )
        make_advice_request(
            assessment, due_on=D(2025, 5, 1), returned_on=D(2025, 5, 1 + index % 20)
        )
    cache.clear()
    with django_assert_num_queries(len(first)):
        response = client.get(URL, QUERY)
    assert response.context["concerns"]["total"] == 34


@pytest.mark.django_db
def test_quality_grades_and_the_rate_met_per_criterion(dco):
    from ehcp.models import QualityCriterion, QualityResult, QualityReview

    first = QualityCriterion.objects.create(text="Report test: on time", display_order=900)
    second = QualityCriterion.objects.create(text="Report test: plain language", display_order=901)
    for grade, ratings in (
        (QualityReview.Grade.GOOD, ("met", "met")),
        (QualityReview.Grade.GOOD, ("met", "not-met")),
        (QualityReview.Grade.INADEQUATE, ("not-met", "partly-met")),
    ):
        review = QualityReview.objects.create(
            plan=make_assessment(requested_on=D(2025, 2, 1)).plan,
            reviewed_by=dco,
            reviewed_at=at(D(2025, 5, 1)),
            plan_edit_count=0,
            grade=grade,
        )
        QualityResult.objects.create(review=review, criterion=first, rating=ratings[0])
        QualityResult.objects.create(review=review, criterion=second, rating=ratings[1])
    quality = report.statutory_figures(PERIOD)["quality"]
    assert quality["reviews"] == 3
    grades = {row["grade"]: row["count"] for row in quality["grades"]}
    assert grades == {"outstanding": 0, "good": 2, "requires-improvement": 0, "inadequate": 1}
    criteria = {
        row["text"]: (row["met"], row["rated"], row["percent"]) for row in quality["criteria"]
    }
    assert criteria["Report test: on time"] == (2, 3, 66.7)
    assert criteria["Report test: plain language"] == (1, 3, 33.3)


@pytest.mark.django_db
def test_annual_reviews_overdue_and_their_health_input():
    from ehcp.models import AnnualReview

    assessment = make_assessment(requested_on=D(2024, 1, 8))
    plan = assessment.plan
    overdue = AnnualReview.objects.create(plan=plan, due_on=D(2025, 5, 1))
    AnnualReview.objects.create(plan=plan, due_on=D(2025, 6, 1))
    AnnualReview.objects.create(plan=plan, due_on=D(2025, 5, 1), meeting_on=D(2025, 4, 20))
    AnnualReview.objects.create(plan=plan, due_on=D(2025, 8, 1))  # not due yet
    make_advice_request(
        assessment,
        annual_review=overdue,
        requested_on=D(2025, 3, 1),
        due_on=D(2025, 4, 12),
        returned_on=D(2025, 4, 10),
    )
    reviews = report.statutory_figures(PERIOD)["reviews"]
    assert (reviews["overdue"], reviews["with_health_input"]) == (2, 1)


@pytest.mark.django_db
def test_the_clinic_figures_come_from_the_clinics_app(client, dco, clinical_lead):
    from clinics import statutory
    from clinics.models import Outcome
    from clinics.tests.factories import recorded_referral

    # Two referrals received in the period, both started, one after the NICE target; one
    # older referral whose outcome (autism diagnosed, 10 weeks on) falls in the period.
    def referral(received, started=None, outcome="", outcome_on=None):
        return recorded_referral(
            clinical_lead,
            received,
            accepted=received,
            started=started,
            outcome=outcome,
            outcome_on=outcome_on,
        )

    assert report.clinic_figures(PERIOD)["percent_within"] is None  # nothing started yet
    inside = PERIOD.start + datetime.timedelta(days=5)
    within = referral(inside, started=inside + datetime.timedelta(days=20))
    late = referral(
        inside, started=statutory.assessment_due_by(inside) + datetime.timedelta(days=1)
    )
    assert late.assessment_started_on > late.assessment_due_by
    referral(
        inside - datetime.timedelta(days=70),
        outcome=Outcome.AUTISM_DIAGNOSED,
        outcome_on=inside,
    )
    assert within.assessment_started_on <= within.assessment_due_by
    figures = report.clinic_figures(PERIOD)
    assert (figures["referrals"], figures["started"], figures["within"]) == (2, 2, 1)
    assert figures["percent_within"] == 50.0
    assert figures["median_weeks"] == 10.0
    diagnosed = [row for row in figures["outcomes"] if row["count"]]
    assert diagnosed == [{"label": str(Outcome.AUTISM_DIAGNOSED.label), "count": 1}]
    client.force_login(dco)
    page = client.get(URL, QUERY).content.decode()
    assert "50.0% (1 of 2)" in page


@pytest.mark.django_db
def test_a_repeated_report_is_served_from_the_cache_until_a_record_changes(
    client, dco, dataset, sendiass_officer, django_assert_max_num_queries
):
    from django.core.cache import cache
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    waiting, _, _ = dataset
    client.force_login(dco)
    cache.clear()
    with CaptureQueriesContext(connection) as cold:
        client.get(URL, QUERY)
    with CaptureQueriesContext(connection) as warm:
        response = client.get(URL, QUERY)
    assert len(warm) <= len(cold) - 10  # no aggregate queries the second time
    counted_tables = ("intelligence_concern", "ehcp_advicerequest", "meetings_action")
    assert not [q for q in warm.captured_queries if any(t in q["sql"] for t in counted_tables)]
    total = response.context["concerns"]["total"]
    # A concern logged since is counted at once: saving it starts a new generation.
    concern(sendiass_officer, D(2025, 5, 2), [waiting], ProviderService.OT)
    assert client.get(URL, QUERY).context["concerns"]["total"] == total + 1


@pytest.mark.django_db
def test_the_tribunal_figures_against_the_period_before(client, dco, dmo):
    from tribunal import services as tribunal
    from tribunal.tests.conftest import make_appeal

    appeal = make_appeal(dco, registered_on=D(2024, 12, 1))
    other = make_appeal(dco, registered_on=D(2024, 12, 1))

    def recommend(made_on, response=None, sent_after_days=None, on=appeal):
        made = tribunal.record_recommendation(on, made_on=made_on, recommendation="R", user=dco)
        if response:
            tribunal.draft_response(
                made, response=response, response_text="T", reasons="Why", user=dco
            )
            tribunal.approve_response(made, dmo)
            sent_on = made_on + datetime.timedelta(days=sent_after_days)
            # Approved on the day it was sent: the service refuses a sending before approval.
            moment = timezone.make_aware(datetime.datetime.combine(sent_on, datetime.time(9)))
            type(made).objects.filter(pk=made.pk).update(drafted_at=moment, approved_at=moment)
            made.refresh_from_db()
            tribunal.record_response_sent(made, sent_on)
        return made

    recommend(D(2025, 2, 10), "follow", 10)  # the period before
    recommend(D(2025, 4, 7), "follow", 35)  # the last day of the 5 weeks: in time
    recommend(D(2025, 4, 7), "follow-in-part", 36, on=other)  # a day late
    recommend(D(2025, 5, 1), "not-follow", 20)
    recommend(D(2025, 6, 30))  # not responded to yet
    recommend(D(2025, 7, 1), "follow", 1)  # after the period

    data = report.build_report(PERIOD, today=D(2025, 8, 1), areas=None)
    now, before = data["tribunal"], data["tribunal_before"]
    assert (now["appeals"], now["recommendations"], now["responded"]) == (2, 4, 3)
    assert (now["responded_in_time"], now["percent_in_time"]) == (2, 66.7)
    assert (now["followed"], now["followed_in_part"], now["not_followed"]) == (1, 1, 1)
    assert now["not_responded"] == 1
    assert (before["recommendations"], before["followed"], before["percent_in_time"]) == (
        1,
        1,
        100.0,
    )

    client.force_login(dco)
    page = client.get(URL, QUERY).content.decode()
    assert "Appeals with health recommendations" in page
    assert "66.7% (2 of 3)" in page
