"""The appeal's pages from recording it to the response letter, through the test client;
every page that shows an appeal records one view of the child's record."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from audit.selectors import child_record_views
from session_security.step_up import PASSWORD_ENTERED_AT
from tribunal.models import Appeal, EvidenceRequest, Recommendation

pytestmark = pytest.mark.django_db


def date_parts(name, day):
    return {f"{name}_day": day.day, f"{name}_month": day.month, f"{name}_year": day.year}


def test_from_appeal_to_response_letter(
    client, dco, dmo, health_professional_a, provider_a, child_of_provider_a
):
    today = timezone.localdate()
    client.force_login(dco)
    response = client.post(
        reverse("tribunal:appeal-create"),
        {
            "child": child_of_provider_a.pk,
            "decision_appealed": "contents",
            **date_parts("registered_on", today - datetime.timedelta(weeks=6)),
            "tribunal_reference": "EH999/26/00042",
            **date_parts("hearing_on", today + datetime.timedelta(weeks=4)),
            "health_issues": "Speech and language therapy in section F.",
        },
    )
    appeal = Appeal.objects.get()
    assert response.url == reverse("tribunal:appeal", args=[appeal.pk])

    client.post(
        reverse("tribunal:evidence-request-create", args=[appeal.pk]),
        {
            "provider": provider_a.pk,
            "asked": "A report from the speech and language therapist.",
            **date_parts("due_on", today + datetime.timedelta(days=10)),
        },
    )
    asked = EvidenceRequest.objects.get()

    client.force_login(health_professional_a)
    page = client.get(reverse("tribunal:evidence", args=[asked.pk]))
    assert "Your evidence for the Tribunal" in page.content.decode()
    client.post(reverse("tribunal:evidence", args=[asked.pk]), {"evidence": "Weekly therapy."})
    asked.refresh_from_db()
    assert asked.evidence == "Weekly therapy." and asked.written_by == health_professional_a

    client.force_login(dco)
    client.post(reverse("tribunal:evidence-sent", args=[asked.pk]), date_parts("on", today))
    client.post(
        reverse("tribunal:witness-create", args=[appeal.pk]),
        {"name": "Ada Therapist", "role": "Speech and language therapist, Provider A"},
    )
    witness = appeal.witnesses.get()
    client.post(reverse("tribunal:witness-confirm", args=[witness.pk]), date_parts("on", today))
    client.post(
        reverse("tribunal:recommendation-create", args=[appeal.pk]),
        {
            **date_parts("made_on", today - datetime.timedelta(days=2)),
            "recommendation": "Weekly speech and language therapy.",
        },
    )
    recommendation = Recommendation.objects.get()
    draft_url = reverse("tribunal:response", args=[recommendation.pk])
    refused = client.post(
        draft_url, {"response": "not-follow", "response_text": "Termly review.", "reasons": ""}
    )
    assert refused.status_code == 200
    assert "Give the reasons for not following" in refused.content.decode()
    client.post(
        draft_url,
        {
            "response": "not-follow",
            "response_text": "Termly review.",
            "reasons": "Weekly sessions are not clinically indicated.",
        },
    )

    client.force_login(dmo)
    approve_url = reverse("tribunal:response-approve", args=[recommendation.pk])
    approval_page = client.get(approve_url).content.decode()
    assert "Weekly sessions are not clinically indicated" in approval_page
    client.post(approve_url, {"confirm": "on"})
    recommendation.refresh_from_db()
    assert recommendation.approved_by == dmo

    letter = client.get(reverse("tribunal:response-letter", args=[recommendation.pk]))
    if letter.status_code != 503:  # the PDF library may be missing here
        assert letter["Content-Type"] == "application/pdf"
        assert child_of_provider_a.last_name not in letter["Content-Disposition"]

    client.force_login(dco)
    sent_url = reverse("tribunal:response-sent", args=[recommendation.pk])
    client.post(sent_url, date_parts("on", today))
    recommendation.refresh_from_db()
    assert recommendation.sent_on == today

    page = client.get(reverse("tribunal:appeal", args=[appeal.pk])).content.decode()
    assert "Response sent to the family and the council" in page  # the history
    assert "Ada Therapist" in page and "Confirmed" in page


def test_the_response_form_says_when_reasons_are_needed_and_refuses_them_missing(
    client, dco, recommendation
):
    client.force_login(dco)
    url = reverse("tribunal:response", args=[recommendation.pk])
    page = client.get(url).content.decode()
    label = page[page.index('<label class="nhsuk-label" for="id_reasons"') :]
    label = label[: label.index("</label>")]
    assert "(optional)" not in label
    assert "(needed unless health follows it in full)" in label

    refused = client.post(
        url, {"response": "follow-in-part", "response_text": "Monthly sessions.", "reasons": ""}
    )
    assert refused.status_code == 200
    assert "Give the reasons for not following" in refused.content.decode()
    recommendation.refresh_from_db()
    assert recommendation.response == ""

    client.post(url, {"response": "follow", "response_text": "Weekly sessions.", "reasons": ""})
    recommendation.refresh_from_db()
    assert recommendation.response == Recommendation.Response.FOLLOW


def test_the_approval_asks_for_the_password_again(client, dmo, recommendation, dco):
    from tribunal import services

    services.draft_response(
        recommendation, response="follow", response_text="Yes.", reasons="", user=dco
    )
    client.force_login(dmo)
    session = client.session
    session.pop(PASSWORD_ENTERED_AT, None)
    session.save()
    response = client.get(reverse("tribunal:response-approve", args=[recommendation.pk]))
    assert response.status_code == 302
    assert response.url.startswith(reverse("session_security:confirm-password"))


def _pages(appeal, evidence_request, recommendation, witness):
    return {
        "tribunal:appeal": ("dco", appeal),
        "tribunal:appeal-decision": ("dco", appeal),
        "tribunal:evidence-request-create": ("dco", appeal),
        "tribunal:evidence": ("health_professional_a", evidence_request),
        "tribunal:evidence-sent": ("dco", evidence_request),
        "tribunal:witness-create": ("dco", appeal),
        "tribunal:witness-confirm": ("dco", witness),
        "tribunal:recommendation-create": ("send_officer", appeal),
        "tribunal:response": ("dco", recommendation),
        "tribunal:response-approve": ("dmo", recommendation),
        "tribunal:response-sent": ("dco", recommendation),
    }


def test_each_page_of_an_appeal_records_one_view_of_the_childs_record(
    client, request, appeal, evidence_request, recommendation, dco
):
    from tribunal import services

    witness = services.add_witness(appeal, name="Ada", role="SLT", user=dco)
    child = appeal.child
    for opened, (name, (persona, obj)) in enumerate(
        _pages(appeal, evidence_request, recommendation, witness).items(), start=1
    ):
        client.force_login(request.getfixturevalue(persona))
        assert client.get(reverse(name, args=[obj.pk])).status_code == 200, name
        views = child_record_views(child)
        assert views.count() == opened, name
        assert views.first().url_name == name
        assert child.first_name not in views.first().summary


def test_the_list_shows_what_is_waiting_on_health_in_few_queries(
    client, dco, evidence_request, django_assert_num_queries
):
    client.force_login(dco)
    url = reverse("tribunal:appeals") + "?waiting=health"
    client.get(url)  # the session and the person's roles, once
    # The session, the person (their roles and the header's unread count come with them),
    # the count of the rows, the page's ids, its rows with their children and next dates.
    with django_assert_num_queries(QUERY_CEILING):
        page = client.get(url).content.decode()
    assert evidence_request.appeal.tribunal_reference in page
    assert "Due soon" in page


QUERY_CEILING = 5


def test_a_health_professional_of_another_provider_is_refused(
    client, appeal, evidence_request, health_professional_b
):
    client.force_login(health_professional_b)
    for name, obj in (("tribunal:appeal", appeal), ("tribunal:evidence", evidence_request)):
        assert client.get(reverse(name, args=[obj.pk])).status_code == 403
    assert not child_record_views().exists()
    assert appeal.tribunal_reference not in client.get(reverse("tribunal:appeals")).content.decode()


@pytest.mark.django_db
def test_the_appeal_page_fetches_its_appeal_once(client, dco, appeal):
    # The permission rule is asked of the appeal the page then shows: one query, not two.
    from tests.fetched import times_fetched

    client.force_login(dco)
    url = reverse("tribunal:appeal", args=[appeal.pk])
    assert times_fetched(client, url, "tribunal_appeal") == 1
