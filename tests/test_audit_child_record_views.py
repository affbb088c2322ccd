"""Every page that shows one child's record writes exactly one CHILD_RECORD_VIEWED event;
sign-offs write a SIGNED_OFF event with the hash of the signed text."""

import pytest
from django.urls import reverse

from audit.models import AuditEvent
from audit.selectors import child_record_views
from ehcp import services
from ehcp.tests.factories import make_advice_request, make_plan_waiting_for_sign_off
from tests.factories import DEFAULT_TEST_PASSWORD
from tests.urls_walk import walk

pytestmark = pytest.mark.django_db


@pytest.fixture
def record(clinical_lead, provider_a):
    """One child's record with something on every page: a plan waiting for sign-off, a
    health advice request and an annual review."""
    plan = make_plan_waiting_for_sign_off(author=clinical_lead)
    assessment = plan.assessment
    advice = make_advice_request(assessment=assessment, provider=provider_a)
    review = services.issue_final_plan(assessment, assessment.requested_on)
    return {
        "child": assessment.child,
        "assessment": assessment,
        "plan": plan,
        "version": plan.versions.get(),
        "advice": advice,
        "review": review,
    }


# URL name -> (who opens it, which record's id is in the URL).
CHILD_RECORD_PAGES = {
    "ehcp:child": ("dco", "child"),
    "ehcp:assessment-create": ("send_officer", "child"),
    "ehcp:assessment": ("dco", "assessment"),
    "ehcp:assessment-dates": ("send_officer", "assessment"),
    "ehcp:exception-create": ("dco", "assessment"),
    "ehcp:advice-request-create": ("dco", "assessment"),
    "ehcp:advice": ("dco", "advice"),
    "ehcp:plan": ("dco", "plan"),
    "ehcp:sections-edit": ("clinical_lead", "plan"),
    "ehcp:quality-review": ("dco", "plan"),
    "ehcp:sign-off-review": ("dmo", "version"),
    "ehcp:version-agree": ("commissioner", "version"),
    "ehcp:annual-review": ("dco", "review"),
    "ehcp:annual-review-input": ("dco", "review"),
}
# Logged too, with their own tests: the printout and PDF (ehcp/tests/test_printing.py).
# The clinic's referral, appointment, notes and letter pages log theirs (clinics/tests),
# and every page of a Tribunal appeal logs its own (tribunal/tests/test_pages.py).
LOGGED_AND_TESTED_ELSEWHERE = {"ehcp:version-print", "ehcp:version-pdf"}
# Pages with an id that show no child's record: buttons that change something and redirect.
NOT_ONE_CHILDS_RECORD = {
    "ehcp:advice-chase",  # POST only: redirects
    "ehcp:sections-submit",  # POST only: redirects
    "ehcp:sign-off-return",  # POST: redirects, or shows the sign-off review page (logged)
}


@pytest.mark.parametrize("url_name", sorted(CHILD_RECORD_PAGES))
def test_each_view_of_a_childs_record_writes_one_event(client, request, record, url_name):
    persona, record_kind = CHILD_RECORD_PAGES[url_name]
    viewer = request.getfixturevalue(persona)
    client.force_login(viewer)
    url = reverse(url_name, args=[record[record_kind].pk])

    for opened in (1, 2):
        response = client.get(url)
        assert response.status_code == 200
        views = child_record_views(record["child"])
        assert views.count() == opened  # one per view of the page, never more
    latest = views.first()
    assert (latest.actor, latest.url_name) == (viewer, url_name)
    assert latest.summary  # the page, in words
    assert record["child"].first_name not in latest.summary
    assert child_record_views().count() == 2  # and about this child only


def test_no_page_with_a_childs_id_is_left_out_of_the_list():
    with_an_id = {
        example.name
        for example in walk()
        if example.name.startswith("ehcp:") and "/1/" in example.path
    }
    unlisted = (
        with_an_id - set(CHILD_RECORD_PAGES) - LOGGED_AND_TESTED_ELSEWHERE - NOT_ONE_CHILDS_RECORD
    )

    # A new page about one child must be added to CHILD_RECORD_PAGES (and log its views)
    # or to one of the other lists, with the reason.
    assert unlisted == set()


def test_a_refused_view_is_logged_as_refused_not_as_viewed(client, record, commissioner):
    client.force_login(commissioner)

    response = client.get(reverse("ehcp:child", args=[record["child"].pk]))

    assert response.status_code == 403
    assert not child_record_views().exists()
    refused = AuditEvent.objects.get(kind=AuditEvent.Kind.ACCESS_REFUSED)
    assert (refused.actor, refused.url_name) == (commissioner, "ehcp:child")


def test_a_successful_save_that_redirects_is_not_a_view_but_the_next_page_is(
    client, record, clinical_lead, dmo
):
    plan = record["plan"]
    services.return_for_amendment(record["version"], dmo, "Add the frequency")
    plan.refresh_from_db()
    client.force_login(clinical_lead)
    url = reverse("ehcp:sections-edit", args=[plan.pk])
    form = client.get(url).context["formset"]
    data = {
        "section_c": plan.section_c + " More.",
        "edit_count": plan.edit_count,
        **{f"g-{key}": value for key, value in form.management_form.initial.items()},
    }
    for index, row in enumerate(plan.section_g):
        data.update({f"g-{index}-{key}": value for key, value in row.items()})
    before = child_record_views().count()

    saved = client.post(url, data)

    assert saved.status_code == 302, saved.context["form"].errors
    assert child_record_views().count() == before
    client.get(saved.url)
    assert child_record_views().count() == before + 1


def test_a_sign_off_is_an_event_naming_the_version_and_its_hash(client, record, dmo):
    version = record["version"]
    client.force_login(dmo)

    response = client.post(
        reverse("ehcp:sign-off-review", args=[version.pk]),
        {"attest": "on", "registration_number": "GMC 7012345", "password": DEFAULT_TEST_PASSWORD},
        REMOTE_ADDR="192.0.2.81",
    )

    assert response.status_code == 302
    signed = AuditEvent.objects.get(kind=AuditEvent.Kind.SIGNED_OFF)
    assert (signed.actor, signed.target_type, signed.target_id) == (
        dmo,
        "ehcp.sectionsversion",
        str(version.pk),
    )
    assert signed.summary == f"Version 1 signed off, SHA-256 {version.content_hash}"
    assert (signed.client_address, signed.url_name) == ("192.0.2.81", "ehcp:sign-off-review")


def test_a_refused_sign_off_writes_no_sign_off_event(record, dmo):
    with pytest.raises(services.RefusedChange):
        services.sign_off(record["version"], dmo, "not the password", "GMC 7012345")

    assert not AuditEvent.objects.filter(kind=AuditEvent.Kind.SIGNED_OFF).exists()
