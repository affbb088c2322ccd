"""Signing off despite open quality findings: each needs a reason, kept with the sign-off.

The statement the DMO signs says the provision "is specified and quantified"; an automatic
finding on the same text, or no quality checklist at all, questions that. The DMO gives a
reason for each open finding or returns the sections.
"""

import io

import pytest
from django.urls import reverse
from django.utils.html import escape
from pypdf import PdfReader

from ehcp import quality, services
from ehcp.models import SignOff, SignOffAcknowledgement
from ehcp.tests.factories import SAMPLE_SECTION_G, make_plan_waiting_for_sign_off
from tests.factories import DEFAULT_TEST_PASSWORD

#: A row whose frequency says "as required": not quantified (Code of Practice 9.69).
VAGUE_ROW = {**SAMPLE_SECTION_G[0], "frequency": "as required"}


def sign(version, user, reasons=None):
    return services.sign_off(version, user, DEFAULT_TEST_PASSWORD, "GMC 7012345", reasons)


def findings_of(version):
    from ehcp.selectors import open_sign_off_findings

    return open_sign_off_findings(version)


@pytest.mark.django_db
def test_a_row_that_is_not_quantified_cannot_be_signed_without_a_reason(dmo, clinical_lead):
    plan = make_plan_waiting_for_sign_off(author=clinical_lead, section_g=[VAGUE_ROW])
    version = plan.versions.get()

    with pytest.raises(services.RefusedChange, match="“as required” is not quantified"):
        sign(version, dmo)

    assert not SignOff.objects.exists()


@pytest.mark.django_db
def test_sections_without_a_quality_checklist_cannot_be_signed_without_a_reason(dmo, clinical_lead):
    plan = make_plan_waiting_for_sign_off(author=clinical_lead, checklist=False)

    with pytest.raises(services.RefusedChange, match="No quality checklist has been run"):
        sign(plan.versions.get(), dmo, {"unrelated": "A reason for something else"})

    assert not SignOff.objects.exists()


@pytest.mark.django_db
def test_a_checklist_from_before_the_last_edit_does_not_cover_the_text(dmo, clinical_lead):
    plan = make_plan_waiting_for_sign_off(author=clinical_lead)
    services.return_for_amendment(plan.versions.get(), dmo, "Say who provides it")
    plan.refresh_from_db()
    plan = services.save_sections(
        plan, clinical_lead, plan.section_c, SAMPLE_SECTION_G, plan.edit_count
    )
    services.submit_for_sign_off(plan, clinical_lead, plan.edit_count)
    newest = plan.versions.order_by("-number").first()

    assert findings_of(newest) == [quality.CHECKLIST_NOT_RUN]


@pytest.mark.django_db
def test_each_reason_is_kept_with_the_sign_off_in_the_order_of_the_findings(dmo, clinical_lead):
    plan = make_plan_waiting_for_sign_off(
        author=clinical_lead, checklist=False, section_g=[VAGUE_ROW]
    )
    version = plan.versions.get()
    findings = findings_of(version)
    assert len(findings) == 2  # no checklist; "as required"

    signed = sign(version, dmo, {f.key: f"Reason {n}" for n, f in enumerate(findings, 1)})

    kept = list(signed.acknowledgements.values_list("position", "finding", "reason"))
    assert kept == [(1, findings[0].message, "Reason 1"), (2, findings[1].message, "Reason 2")]


@pytest.mark.django_db
def test_a_blank_or_overlong_reason_is_refused(dmo, clinical_lead):
    plan = make_plan_waiting_for_sign_off(author=clinical_lead, section_g=[VAGUE_ROW])
    version = plan.versions.get()
    (finding,) = findings_of(version)

    with pytest.raises(services.RefusedChange, match="No reason given"):
        sign(version, dmo, {finding.key: "   "})
    too_long = "x" * (SignOffAcknowledgement.REASON_MAX_LENGTH + 1)
    with pytest.raises(services.RefusedChange, match="1000 characters or fewer"):
        sign(version, dmo, {finding.key: too_long})

    assert not SignOff.objects.exists()


@pytest.mark.django_db
def test_sections_with_no_open_finding_need_no_reason(dmo, clinical_lead):
    plan = make_plan_waiting_for_sign_off(author=clinical_lead)

    signed = sign(plan.versions.get(), dmo)

    assert not signed.acknowledgements.exists()


# --- Through the pages ---------------------------------------------------------------


@pytest.mark.django_db
def test_the_dmo_gives_a_reason_on_the_page_and_sees_it_in_the_plans_history(
    client, dmo, clinical_lead
):
    plan = make_plan_waiting_for_sign_off(author=clinical_lead, section_g=[VAGUE_ROW])
    version = plan.versions.get()
    (finding,) = findings_of(version)
    client.force_login(dmo)
    url = reverse("ehcp:sign-off-review", args=[version.pk])
    page = client.get(url).content.decode()
    assert f'name="reason_{finding.key}"' in page
    signing = {"attest": "on", "registration_number": "GMC 7012345"}
    signing["password"] = DEFAULT_TEST_PASSWORD

    without = client.post(url, signing)

    assert without.status_code == 200
    assert "Give a reason for finding 1, or return the sections" in without.content.decode()
    assert not SignOff.objects.exists()

    reason = "The school nurse agreed the frequency with the family"
    response = client.post(url, {**signing, f"reason_{finding.key}": reason}, follow=True)

    assert response.redirect_chain[-1][0] == reverse("ehcp:plan", args=[plan.pk])
    history = response.content.decode()
    assert escape(finding.message) in history
    assert reason in history


@pytest.mark.django_db
def test_the_printout_and_the_pdf_carry_the_acknowledged_findings(client, dco, dmo, clinical_lead):
    plan = make_plan_waiting_for_sign_off(author=clinical_lead, checklist=False)
    version = plan.versions.get()
    sign(version, dmo, {quality.CHECKLIST_NOT_RUN.key: "Reviewed against the advice myself"})
    client.force_login(dco)
    client.post(reverse("session_security:confirm-password"), {"password": DEFAULT_TEST_PASSWORD})

    page = client.get(reverse("ehcp:version-print", args=[version.pk])).content.decode()

    assert quality.CHECKLIST_NOT_RUN.message in page
    assert "Reviewed against the advice myself" in page
    pdf = client.get(reverse("ehcp:version-pdf", args=[version.pk])).content
    text = " ".join(" ".join(p.extract_text().split()) for p in PdfReader(io.BytesIO(pdf)).pages)
    assert "Reviewed against the advice myself" in text
    assert "No quality checklist has been run" in text


# --- The queue -----------------------------------------------------------------------


@pytest.mark.django_db
def test_the_queue_shows_each_plans_quality_status(client, dmo, clinical_lead):
    make_plan_waiting_for_sign_off(author=clinical_lead, checklist=False)
    make_plan_waiting_for_sign_off(
        author=clinical_lead, section_g=[VAGUE_ROW, {**VAGUE_ROW, "duration": "ongoing"}]
    )
    make_plan_waiting_for_sign_off(author=clinical_lead)
    client.force_login(dmo)

    page = client.get(reverse("ehcp:sign-off-queue")).content.decode()

    assert "Checklist not run</strong>" in page
    assert "3 open findings</strong>" in page  # two "as required", one "ongoing"
    assert "No findings</strong>" in page


def _queue_reading_texts(client):
    """The queue's page, and whether it read any version's section text to make it."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        page = client.get(reverse("ehcp:sign-off-queue")).content.decode()
    read_text = any(
        '"ehcp_sectionsversion"."section_c"' in query["sql"] for query in captured.captured_queries
    )
    return page, read_text


@pytest.mark.django_db
def test_the_queue_works_out_each_texts_findings_once(client, dmo, clinical_lead):
    make_plan_waiting_for_sign_off(author=clinical_lead, section_g=[VAGUE_ROW])
    client.force_login(dmo)
    from ehcp import selectors

    selectors._FINDINGS_BY_HASH.clear()
    first, read_first = _queue_reading_texts(client)
    again, read_again = _queue_reading_texts(client)

    assert read_first, "the first view reads the text it has not seen"
    assert not read_again, "the same text's findings are known: its text is not read again"
    assert "1 open finding</strong>" in first
    assert "1 open finding</strong>" in again

    # Another text, sent later, has findings of its own (here none): known by its own hash.
    make_plan_waiting_for_sign_off(author=clinical_lead)
    later, read_later = _queue_reading_texts(client)
    assert read_later
    assert "1 open finding</strong>" in later
    assert "No findings</strong>" in later


@pytest.mark.django_db
def test_the_findings_kept_are_bounded_and_still_right_when_emptied(
    client, dmo, clinical_lead, monkeypatch
):
    from ehcp import selectors

    monkeypatch.setattr(selectors, "FINDINGS_KEPT", 1)
    selectors._FINDINGS_BY_HASH.clear()
    make_plan_waiting_for_sign_off(author=clinical_lead, section_g=[VAGUE_ROW])
    make_plan_waiting_for_sign_off(author=clinical_lead)
    client.force_login(dmo)

    page, read_text = _queue_reading_texts(client)
    assert read_text
    assert "1 open finding</strong>" in page
    assert "No findings</strong>" in page

    # Full: a third text empties what was kept, and the page still shows all three.
    make_plan_waiting_for_sign_off(
        author=clinical_lead, checklist=False, section_g=[{**VAGUE_ROW, "duration": "ongoing"}]
    )
    page, read_text = _queue_reading_texts(client)
    assert read_text
    assert "1 open finding</strong>" in page
    assert "No findings</strong>" in page
    assert "Checklist not run, 2 other open findings</strong>" in page
    assert len(selectors._FINDINGS_BY_HASH) <= 3
