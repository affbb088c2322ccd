"""Quality of the health sections: the automatic findings, and the QA checklist page."""

import pytest
from django.contrib.messages import get_messages
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.html import escape

from audit.selectors import child_record_views
from ehcp import quality, services
from ehcp.models import QualityCriterion, QualityResult, QualityReview
from ehcp.tests.factories import (
    SAMPLE_SECTION_C,
    SAMPLE_SECTION_G,
    make_assessment,
    make_plan_waiting_for_sign_off,
)

GOOD_ROW = SAMPLE_SECTION_G[0]


def row(**changes):
    return {**GOOD_ROW, **changes}


# --- Automatic findings: section G --------------------------------------------------


def test_a_specified_and_quantified_row_has_no_findings():
    assert quality.provision_findings(SAMPLE_SECTION_G) == []


@pytest.mark.parametrize("phrase", quality.VAGUE_WORDING)
def test_each_vague_phrase_in_the_provision_is_flagged(phrase):
    rows = [GOOD_ROW, row(provision=f"Speech and language therapy: {phrase} a therapist")]

    findings = quality.provision_findings(rows)

    assert [(f.row_index, f.field) for f in findings] == [(1, "provision")]
    assert findings[0].message == (
        f"Row 2: “{phrase}” is not quantified: say exactly what will be provided, how often "
        "and for how long."
    )
    assert findings[0].row_number == 2


def test_vague_wording_is_found_whatever_the_case_and_across_a_line_break():
    findings = quality.provision_findings(
        [row(provision="ACCESS\nTO a physiotherapist, As Required")]
    )

    assert [f.message.split(":")[1].strip() for f in findings] == [
        "“access to” is not quantified",
        "“as required” is not quantified",
    ]


@pytest.mark.parametrize(
    "text",
    [
        "Irregular heartbeat monitored by the cardiac nurse",
        "Accessible changing facilities checked by the OT",
        "Support as appropriateness is reviewed",  # "support as appropriate" is not a whole phrase
        "Regularity of bowel care recorded by school staff",
    ],
)
def test_only_whole_words_and_phrases_are_flagged(text):
    assert quality.provision_findings([row(provision=text)]) == []


def test_vague_wording_in_how_often_and_how_long_is_flagged_too():
    findings = quality.provision_findings([row(frequency="As needed", duration="Ongoing")])

    assert [(f.field, f.message) for f in findings] == [
        (
            "frequency",
            "Row 1: “as needed” is not quantified: say exactly what will be provided, how "
            "often and for how long.",
        ),
        (
            "duration",
            "Row 1: “ongoing” is not quantified: say exactly what will be provided, how "
            "often and for how long.",
        ),
    ]


def test_each_phrase_is_flagged_once_per_field_in_the_order_it_appears():
    findings = quality.provision_findings(
        [row(provision="Regular sessions, and access to OT, and regular review")]
    )

    assert [f.message.split("”")[0] for f in findings] == ["Row 1: “regular", "Row 1: “access to"]


@pytest.mark.parametrize(
    ("field", "message"),
    [
        ("provided_by", "Row 1: say who will provide this (the service or the professional)."),
        ("frequency", "Row 1: say how often (for example, 6 sessions of 45 minutes each term)."),
        (
            "duration",
            "Row 1: say for how long (for example, 12 months, reviewed at the annual review).",
        ),
        ("outcome", "Row 1: say which outcome this provision helps the child to achieve."),
        ("provision", "Row 1: describe the provision: what will be done with or for the child."),
    ],
)
def test_a_missing_who_how_often_how_long_or_outcome_is_flagged(field, message):
    findings = quality.provision_findings([row(**{field: "   "})])

    assert [(f.section, f.row_index, f.field, f.message) for f in findings] == [
        ("G", 0, field, message)
    ]


def test_a_row_with_nothing_in_it_is_one_finding_and_a_missing_key_counts_as_empty():
    findings = quality.provision_findings([GOOD_ROW, {}, {"provision": "Hydrotherapy"}])

    assert [f.message for f in findings] == [
        "Row 2 is empty.",
        "Row 3: say who will provide this (the service or the professional).",
        "Row 3: say how often (for example, 6 sessions of 45 minutes each term).",
        "Row 3: say for how long (for example, 12 months, reviewed at the annual review).",
        "Row 3: say which outcome this provision helps the child to achieve.",
    ]


def test_no_rows_no_findings():
    assert quality.provision_findings([]) == []


# --- Automatic findings: section C --------------------------------------------------


@pytest.mark.parametrize("text", ["", "   \n "])
def test_an_empty_section_c_is_flagged(text):
    (finding,) = quality.section_c_findings(text)

    assert (finding.section, finding.row_index, finding.field) == ("C", None, "section_c")
    assert finding.message.startswith("Section C is empty")


def test_a_very_short_section_c_is_flagged_with_its_word_count():
    (finding,) = quality.section_c_findings("Sam has autism.")

    assert finding.message.startswith("Section C is very short (3 words)")


def test_a_short_section_c_that_says_there_are_no_health_needs_is_not_flagged():
    assert quality.section_c_findings("Sam has no identified health needs.") == []


def test_a_full_section_c_is_not_flagged():
    assert quality.section_c_findings(SAMPLE_SECTION_C) == []


def test_sections_findings_lists_section_c_first():
    findings = quality.sections_findings("", [row(outcome="")])

    assert [f.section for f in findings] == ["C", "G"]


# --- The QA checklist page ---------------------------------------------------------


@pytest.fixture
def plan(db):
    return make_plan_waiting_for_sign_off(checklist=False)


def url(plan):
    return reverse("ehcp:quality-review", args=[plan.pk])


def answers(plan, rating="met", grade="good", **overrides):
    data = {"plan_edit_count": plan.edit_count, "grade": grade, "comment": "Clear and specific."}
    for criterion in QualityCriterion.objects.filter(is_active=True):
        data[f"criterion_{criterion.pk}"] = rating
        data[f"criterion_{criterion.pk}_comment"] = ""
    data.update(overrides)
    return data


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ["dco", "clinical_lead"])
def test_the_dco_and_the_clinical_lead_see_every_active_criterion_in_order(
    client, request, persona, plan
):
    client.force_login(request.getfixturevalue(persona))
    QualityCriterion.objects.filter(text__startswith="Says clearly").update(is_active=False)

    response = client.get(url(plan))

    assert response.status_code == 200
    html = response.content.decode()
    active = list(QualityCriterion.objects.filter(is_active=True))
    assert len(active) == 10
    positions = [html.index(escape(c.text)) for c in active]
    assert positions == sorted(positions)
    assert "Says clearly if there are no health needs" not in html
    assert html.count('value="partly-met"') == 10
    assert "Overall grade" in html
    assert "Save quality review" in html


@pytest.mark.django_db
@pytest.mark.parametrize(
    "persona",
    [
        "dmo",
        "health_professional_a",
        "health_professional_b",
        "commissioner",
        "send_officer",
        "sendiass_officer",
        "administrator",
        "no_role_user",
    ],
)
def test_nobody_else_may_review_quality(client, request, persona, plan):
    client.force_login(request.getfixturevalue(persona))

    assert client.get(url(plan)).status_code == 403
    assert client.post(url(plan), answers(plan)).status_code == 403
    assert not QualityReview.objects.exists()


@pytest.mark.django_db
def test_someone_signed_out_is_sent_to_sign_in(client, plan):
    response = client.get(url(plan))

    assert response.status_code == 302
    assert reverse("sign-in") in response["Location"]


@pytest.mark.django_db
def test_the_automatic_findings_are_shown_above_the_form(client, dco):
    assessment = make_assessment()
    plan = services.save_sections(
        assessment.plan, dco, "Sam has autism.", [row(frequency="as required")], 0
    )
    client.force_login(dco)

    html = client.get(url(plan)).content.decode()

    assert "nhsuk-warning-callout" in html
    assert "Row 1: “as required” is not quantified" in html
    assert "Section C is very short (3 words)" in html
    assert html.index("Row 1: “as required”") < html.index("Save quality review")


@pytest.mark.django_db
def test_opening_the_page_is_logged_as_access_to_the_childs_record(client, dco, plan):
    client.force_login(dco)

    client.get(url(plan))

    view = child_record_views().get()
    assert (view.actor, view.target_id, view.summary) == (
        dco,
        str(plan.assessment.child.pk),
        "quality review",
    )


@pytest.mark.django_db
def test_saving_the_checklist_stores_every_rating_and_goes_back_to_the_plan(client, dco, plan):
    client.force_login(dco)
    first = QualityCriterion.objects.filter(is_active=True).first()
    data = answers(
        plan,
        grade="requires-improvement",
        **{
            f"criterion_{first.pk}": "not-met",
            f"criterion_{first.pk}_comment": "  Returned in week 8.  ",
        },
    )

    response = client.post(url(plan), data)

    assert response.status_code == 302
    assert response["Location"] == reverse("ehcp:plan", args=[plan.pk])
    assert [str(m) for m in get_messages(response.wsgi_request)] == [
        "The quality review has been saved."
    ]
    review = QualityReview.objects.get()
    assert (review.plan, review.reviewed_by, review.grade, review.comment) == (
        plan,
        dco,
        "requires-improvement",
        "Clear and specific.",
    )
    assert review.plan_edit_count == plan.edit_count
    assert review.results.count() == 11
    result = review.results.get(criterion=first)
    assert (result.rating, result.comment) == ("not-met", "Returned in week 8.")
    assert review.results.filter(rating="met").count() == 10


@pytest.mark.django_db
def test_a_criterion_left_unrated_saves_nothing_and_keeps_what_was_typed(client, dco, plan):
    client.force_login(dco)
    criteria = list(QualityCriterion.objects.filter(is_active=True))
    data = answers(plan, **{f"criterion_{criteria[0].pk}_comment": "Plain and clear <b>yes</b>"})
    del data[f"criterion_{criteria[4].pk}"]

    response = client.post(url(plan), data)

    assert response.status_code == 200
    html = response.content.decode()
    assert "There is a problem" in html
    assert "Choose met, partly met or not met for criterion 5" in html
    assert f'href="#id_criterion_{criteria[4].pk}' in html  # the summary links to the radios
    assert "Plain and clear &lt;b&gt;yes&lt;/b&gt;" in html
    assert "Clear and specific." in html
    assert html.count("checked") == 10 + 1  # ten ratings and the grade, as chosen
    assert response.context["form"]["grade"].value() == "good"
    assert not QualityReview.objects.exists()
    assert not QualityResult.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("grade", "", "Choose an overall grade"),
        ("grade", "excellent", "Select a valid choice"),
        ("criterion_rating", "sort-of", "Select a valid choice"),
        ("criterion_comment", "x" * 501, "Comment on criterion 1 must be 500 characters or fewer"),
    ],
)
def test_bad_answers_are_refused_with_a_message(client, dco, plan, field, value, message):
    client.force_login(dco)
    first = QualityCriterion.objects.filter(is_active=True).first()
    name = {
        "criterion_rating": f"criterion_{first.pk}",
        "criterion_comment": f"criterion_{first.pk}_comment",
    }.get(field, field)

    response = client.post(url(plan), answers(plan, **{name: value}))

    assert response.status_code == 200
    assert message in response.content.decode()
    assert not QualityReview.objects.exists()


@pytest.mark.django_db
def test_a_review_of_sections_changed_since_the_page_was_opened_is_refused_then_accepted(
    client, dco
):
    assessment = make_assessment()
    plan = services.save_sections(assessment.plan, dco, SAMPLE_SECTION_C, SAMPLE_SECTION_G, 0)
    client.force_login(dco)
    opened = answers(plan)
    services.save_sections(plan, dco, SAMPLE_SECTION_C + " Also asthma.", SAMPLE_SECTION_G, 1)

    response = client.post(url(plan), opened)

    assert response.status_code == 200
    html = response.content.decode()
    assert "Someone changed these health sections after you opened this page" in html
    assert "Also asthma." in html  # the page now shows the latest text to review
    assert not QualityReview.objects.exists()

    # Saving again reviews what the page now shows.
    again = {**opened, "plan_edit_count": response.context["form"]["plan_edit_count"].value()}
    assert client.post(url(plan), again).status_code == 302
    assert QualityReview.objects.get().plan_edit_count == 2


@pytest.mark.django_db
def test_previous_reviews_are_listed_with_who_when_grade_and_each_result(
    client, dco, clinical_lead, plan
):
    criteria = list(QualityCriterion.objects.filter(is_active=True))
    ratings = {c.pk: ("met", "") for c in criteria}
    ratings[criteria[5].pk] = ("partly-met", "Outcomes need dates.")
    services.record_quality_review(plan, clinical_lead, "good", ratings, "Mostly strong.")
    client.force_login(dco)

    html = client.get(url(plan)).content.decode()

    assert "Previous quality reviews" in html
    assert "by Cee Lead" in html
    assert "nhsuk-tag--aqua-green" in html and ">Good</strong>" in html.replace("\n", "")
    assert "Mostly strong." in html
    assert "Outcomes need dates." in html
    assert "Partly met" in html
    assert "These health sections have not been reviewed before." not in html


@pytest.mark.django_db
def test_a_plan_never_reviewed_says_so(client, dco, plan):
    client.force_login(dco)

    assert "have not been reviewed before" in client.get(url(plan)).content.decode()


@pytest.mark.django_db
def test_an_unknown_plan_is_not_found(client, dco):
    client.force_login(dco)

    assert client.get(reverse("ehcp:quality-review", args=[999999])).status_code == 404


def _add_criteria(count):
    QualityCriterion.objects.bulk_create(
        QualityCriterion(text=f"Local criterion {n}", display_order=100 + n) for n in range(count)
    )


@pytest.mark.django_db
def test_the_page_makes_the_same_number_of_queries_for_11_or_20_criteria(
    client, dco, clinical_lead, plan, django_assert_num_queries
):
    client.force_login(dco)
    services.record_quality_review(
        plan,
        clinical_lead,
        "good",
        {c.pk: ("met", "") for c in QualityCriterion.objects.filter(is_active=True)},
    )
    client.get(url(plan))  # warm the session and the role cache

    # Session and user, with the roles held today (2); the page's plan, fetched once for the
    # permission and the page, its reviews, their results with their criteria (3; the
    # versions sent for sign-off are not on this page, so not read); the active criteria
    # (1); the audit log (1) (the session is saved at most once a minute: not here).
    with django_assert_num_queries(7):
        assert client.get(url(plan)).status_code == 200
    _add_criteria(9)
    assert QualityCriterion.objects.filter(is_active=True).count() == 20
    with django_assert_num_queries(7):
        response = client.get(url(plan))
    assert response.content.decode().count('value="not-met"') == 20


@pytest.mark.django_db
def test_saving_makes_the_same_number_of_queries_for_11_or_20_criteria(
    client, dco, django_assert_num_queries
):
    client.force_login(dco)
    first = make_plan_waiting_for_sign_off(checklist=False)
    second = make_plan_waiting_for_sign_off(checklist=False)
    client.get(url(first))
    data_at_11, data_at_20 = answers(first), None

    # Session and user, with the roles held today (2); the page's plan, fetched once for the
    # permission and the page, with its (no) reviews (2); the criteria for the form (1); the
    # service, in a savepoint, reads the criteria and inserts the review and all its
    # results at once (2 + 3); the session saved (3).
    with django_assert_num_queries(13):
        assert client.post(url(first), data_at_11).status_code == 302
    _add_criteria(9)
    data_at_20 = answers(second)
    with django_assert_num_queries(13):
        assert client.post(url(second), data_at_20).status_code == 302
    assert QualityReview.objects.get(plan=second).results.count() == 20


@pytest.mark.django_db
def test_the_service_refuses_an_unknown_grade_or_rating(dco):
    from ehcp import services as ehcp_services
    from ehcp.models import QualityCriterion, QualityReview
    from ehcp.tests.factories import make_assessment

    plan = make_assessment().plan
    ratings = {c.pk: ("met", "") for c in QualityCriterion.objects.filter(is_active=True)}

    with pytest.raises(ehcp_services.RefusedChange, match="overall grade"):
        ehcp_services.record_quality_review(plan, dco, "brilliant", ratings)
    first = next(iter(ratings))
    ratings[first] = ("sort-of", "")
    with pytest.raises(ehcp_services.RefusedChange, match="met, partly met or not met"):
        ehcp_services.record_quality_review(plan, dco, "good", ratings)
    assert not QualityReview.objects.exists()


@pytest.mark.django_db
def test_the_plan_page_lists_reviews_by_grade_without_reading_their_ratings(
    client, dco, clinical_lead, plan
):
    criteria = QualityCriterion.objects.filter(is_active=True)
    ratings = {c.pk: ("met", "") for c in criteria}
    services.record_quality_review(plan, clinical_lead, "good", ratings, "Mostly strong.")
    client.force_login(dco)
    client.get(reverse("ehcp:plan", args=[plan.pk]))  # warm the session

    with CaptureQueriesContext(connection) as queries:
        html = client.get(reverse("ehcp:plan", args=[plan.pk])).content.decode()

    # The plan page shows who reviewed and the grade; the ratings are the checklist's page's.
    assert "<strong>Good</strong> — Cee Lead" in html
    assert not [q["sql"] for q in queries if "ehcp_qualityresult" in q["sql"]]
    # The checklist's page still reads and shows them.
    with CaptureQueriesContext(connection) as queries:
        html = client.get(url(plan)).content.decode()
    assert [q["sql"] for q in queries if "ehcp_qualityresult" in q["sql"]]
    assert html.count(">Met</strong>") >= criteria.count()
