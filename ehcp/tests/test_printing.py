"""The printable page and the PDF of a version's health sections for the council's plan."""

import datetime
import io
import logging

import pytest
import time_machine
from django.urls import reverse
from pypdf import PdfReader

from audit.selectors import child_record_views
from ehcp import services
from ehcp.tests.factories import (
    SAMPLE_SECTION_C,
    SAMPLE_SECTION_G,
    alter_stored_text,
    make_advice_request,
    make_plan_waiting_for_sign_off,
)
from send_portal.pdf import pdf_font, render_pdf
from tests.factories import DEFAULT_TEST_PASSWORD

# Next year, so that today's role holders still hold their roles then. 11:30 UTC on 1 July
# is 12:30 in London (British Summer Time); 09:05 UTC on 2 December is 09:05 (GMT).
NEXT_YEAR = datetime.date.today().year + 1
SIGNED_AT = datetime.datetime(NEXT_YEAR, 7, 1, 11, 30, tzinfo=datetime.UTC)
AGREED_AT = datetime.datetime(NEXT_YEAR, 12, 2, 9, 5, tzinfo=datetime.UTC)


@pytest.fixture
def plan(db, clinical_lead):
    plan = make_plan_waiting_for_sign_off(author=clinical_lead)
    child = plan.assessment.child
    child.first_name, child.last_name, child.nhs_number = "Samira", "Okonkwo", "9434765919"
    child.date_of_birth = datetime.date(2016, 3, 27)
    child.save()
    return plan


@pytest.fixture
def version(plan):
    return plan.versions.get()


@pytest.fixture
def signed_version(version, dmo):
    with time_machine.travel(SIGNED_AT, tick=False):
        services.sign_off(version, dmo, DEFAULT_TEST_PASSWORD, "GMC 7012345")
    return version


def print_url(version):
    return reverse("ehcp:version-print", args=[version.pk])


def pdf_url(version):
    return reverse("ehcp:version-pdf", args=[version.pk])


def pdf_text(response) -> str:
    reader = PdfReader(io.BytesIO(response.content))
    return "\n".join(page.extract_text() for page in reader.pages)


def squashed(text: str) -> str:
    return "".join(text.split())


# --- The printable page ------------------------------------------------------------


@pytest.mark.django_db
def test_the_page_shows_the_child_both_sections_and_the_sign_off(client, dco, signed_version):
    client.force_login(dco)

    response = client.get(print_url(signed_version))

    assert response.status_code == 200
    html = response.content.decode()
    for text in [
        "Samira Okonkwo",
        "27 March 2016",
        "943 476 5919",
        SAMPLE_SECTION_C,
        *SAMPLE_SECTION_G[0].values(),
        "Dr Dee Emmo",
        "Designated Medical Officer",
        "Provider A NHS Foundation Trust",
        "GMC 7012345",
        f"1 July {NEXT_YEAR} at 12:30 (UK time)",
        services.ATTESTATION.replace("'", "&#x27;"),
        signed_version.content_hash,
    ]:
        assert text in html, text
    assert "NOT SIGNED OFF" not in html
    assert "The ICB has not agreed the health provision in this version." in html
    assert 'media="print" href="/static/css/print.css"' in html
    assert f'href="{pdf_url(signed_version)}"' in html


@pytest.mark.django_db
def test_a_version_not_signed_off_prints_with_a_clear_banner(client, dco, version):
    client.force_login(dco)

    html = client.get(print_url(version)).content.decode()

    assert "NOT SIGNED OFF — draft for information" in html
    assert "Not signed off." in html
    assert version.content_hash in html


@pytest.mark.django_db
def test_the_icb_agreement_is_printed_when_there_is_one(client, dco, commissioner, signed_version):
    with time_machine.travel(AGREED_AT, tick=False):
        services.agree_provision(signed_version, commissioner, note="Block contract 2025/14")
    client.force_login(dco)

    html = client.get(print_url(signed_version)).content.decode()

    assert "Agreement by the integrated care board" in html
    assert "Com Missioner" in html
    assert "Test Integrated Care Board" in html
    assert f"2 December {NEXT_YEAR} at 09:05 (UK time)" in html  # GMT in winter
    assert "Block contract 2025/14" in html
    assert "section 42(3)" in html


@pytest.mark.django_db
def test_an_older_version_says_there_is_a_newer_one(client, dco, clinical_lead, signed_version):
    plan = signed_version.plan
    plan.refresh_from_db()
    services.save_sections(
        plan, clinical_lead, SAMPLE_SECTION_C + " Asthma.", SAMPLE_SECTION_G, plan.edit_count
    )
    client.force_login(dco)

    html = client.get(print_url(signed_version)).content.decode()

    assert "There is a newer version of these health sections (version 2)." in html


@pytest.mark.django_db
def test_opening_the_printout_and_the_pdf_is_logged_as_access_to_the_childs_record(
    client, dco, version
):
    client.force_login(dco)

    client.get(print_url(version))
    client.get(pdf_url(version))

    views = child_record_views(version.plan.assessment.child)
    assert sorted(views.values_list("summary", flat=True)) == [
        "health sections PDF",
        "health sections printout",
    ]
    assert child_record_views().count() == 2


# --- The PDF ------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_pdf_holds_the_signed_sections_and_the_hash_and_its_name_names_no_child(
    client, dco, signed_version
):
    client.force_login(dco)

    response = client.get(pdf_url(signed_version))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="health-sections-v1.pdf"'
    assert "no-store" in response["Cache-Control"]
    assert response.content.startswith(b"%PDF")
    text = pdf_text(response)
    assert signed_version.content_hash in squashed(text)
    for words in [
        "Samira Okonkwo",
        "27 March 2016",
        "943 476 5919",
        "Dr Dee Emmo",
        "GMC 7012345",
        f"1 July {NEXT_YEAR} at 12:30",
        "Speech and language therapist",
    ]:
        assert squashed(words).lower() in squashed(text).lower(), words
    assert "NOT SIGNED OFF" not in text


@pytest.mark.django_db
def test_the_pdf_of_a_version_not_signed_off_says_so(client, dco, version):
    client.force_login(dco)

    response = client.get(pdf_url(version))

    text = pdf_text(response)
    assert "NOT SIGNED OFF — draft for information" in text
    assert version.content_hash in squashed(text)
    assert response["Content-Disposition"] == 'attachment; filename="health-sections-v1.pdf"'


@pytest.mark.django_db
@pytest.mark.skipif(pdf_font() is None, reason="DejaVu Sans is not installed (fonts-dejavu-core)")
def test_names_in_any_european_alphabet_and_unsafe_text_come_out_as_text(client, dco, version):
    child = version.plan.assessment.child
    child.first_name, child.last_name = "Łucja", "Şahin <img src='/etc/passwd'>"
    child.save()
    client.force_login(dco)

    text = pdf_text(client.get(pdf_url(version)))

    assert "Łucja Şahin <img src='/etc/passwd'>" in text


def test_the_pdf_renderer_reads_no_file_and_fetches_nothing(caplog):
    html = (
        '<html><body><p>Report</p><img src="/etc/passwd">'
        '<img src="http://169.254.169.254/latest/meta-data/"></body></html>'
    )

    with caplog.at_level(logging.WARNING):
        pdf = render_pdf(html)

    assert pdf.startswith(b"%PDF")
    assert "Blocked by the resource policy" in caplog.text


def test_xhtml2pdf_warnings_do_not_carry_the_documents_text_into_the_log(caplog):
    # A character no font draws makes xhtml2pdf warn, quoting the text around it.
    html = "<html><body><p>Health needs of Samira Okonkwo \U0001f600</p></body></html>"

    with caplog.at_level(logging.WARNING):
        render_pdf(html)

    assert caplog.records
    assert "Samira" not in caplog.text


# --- Who may print ------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ["dmo", "dco", "clinical_lead", "send_officer", "commissioner"])
def test_everyone_who_sees_the_plan_may_print_it(client, request, persona, signed_version):
    client.force_login(request.getfixturevalue(persona))

    assert client.get(print_url(signed_version)).status_code == 200
    assert client.get(pdf_url(signed_version)).status_code == 200


@pytest.mark.django_db
def test_a_health_professional_may_print_a_plan_their_organisation_was_asked_about(
    client, health_professional_a, provider_a, signed_version
):
    make_advice_request(assessment=signed_version.plan.assessment, provider=provider_a)
    client.force_login(health_professional_a)

    assert client.get(print_url(signed_version)).status_code == 200
    assert client.get(pdf_url(signed_version)).status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ["health_professional_b", "sendiass_officer", "no_role_user"])
def test_nobody_else_may_print_it_and_nothing_is_logged(
    client, request, persona, provider_a, signed_version
):
    # Provider A was asked for advice on this plan; provider B was not.
    make_advice_request(assessment=signed_version.plan.assessment, provider=provider_a)
    client.force_login(request.getfixturevalue(persona))

    assert client.get(print_url(signed_version)).status_code == 403
    assert client.get(pdf_url(signed_version)).status_code == 403
    assert not child_record_views().exists()


@pytest.mark.django_db
def test_an_unknown_version_is_not_found(client, dco):
    client.force_login(dco)

    assert client.get(reverse("ehcp:version-print", args=[999999])).status_code == 404
    assert client.get(reverse("ehcp:version-pdf", args=[999999])).status_code == 404


@pytest.mark.django_db
def test_the_printout_takes_a_fixed_number_of_queries(
    client, dco, commissioner, signed_version, django_assert_num_queries
):
    services.agree_provision(signed_version, commissioner)
    client.force_login(dco)
    client.get(print_url(signed_version))

    # Session and user, with the roles held today (2); the permission: the version's plan (1); the
    # version with its plan, child, sign-off, agreement and newest number (1); the open
    # quality findings acknowledged at sign-off (1); the access log (1); the export in the
    # audit log (1) (the session is saved at most once a minute: not here).
    with django_assert_num_queries(7):
        client.get(print_url(signed_version))


@pytest.mark.django_db
def test_a_commissioner_is_not_offered_a_link_to_the_child_page_they_cannot_open(
    client, commissioner, dco, signed_version
):
    child_url = reverse("ehcp:child", args=[signed_version.plan.assessment.child_id])

    client.force_login(commissioner)
    assert f'href="{child_url}"' not in client.get(print_url(signed_version)).content.decode()
    client.force_login(dco)
    assert f'href="{child_url}"' in client.get(print_url(signed_version)).content.decode()


# Every page that shows a version's sections, with who opens it.
PAGES_SHOWING_A_VERSION = {
    "plan page": ("dco", lambda v: reverse("ehcp:plan", args=[v.plan_id])),
    "printout": ("dco", print_url),
    "PDF": ("dco", pdf_url),
    "sign-off page": ("dmo", lambda v: reverse("ehcp:sign-off-review", args=[v.pk])),
    "agreement page": ("commissioner", lambda v: reverse("ehcp:version-agree", args=[v.pk])),
}


def _page_text(response) -> str:
    if response["Content-Type"] == "application/pdf":
        return " ".join(pdf_text(response).split())
    return response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("page", sorted(PAGES_SHOWING_A_VERSION))
def test_signed_text_that_no_longer_matches_its_hash_is_flagged_wherever_it_is_shown(
    client, request, signed_version, page
):
    persona, url = PAGES_SHOWING_A_VERSION[page]
    client.force_login(request.getfixturevalue(persona))
    warning = "does not match its hash"
    assert warning not in _page_text(client.get(url(signed_version)))

    alter_stored_text(signed_version, "Altered after signing.")

    response = client.get(url(signed_version))
    assert response.status_code == 200
    assert f"The text of version 1 {warning}" in _page_text(response)


@pytest.mark.django_db
def test_the_sign_off_block_is_never_split_across_a_page_break(signed_version):
    """Whatever the length of the sections above it, the SHA-256 label and its value (and
    the rest of the sign-off) land on one page of the PDF."""
    from django.template.loader import render_to_string

    from ehcp import selectors
    from ehcp.views.printing import VersionPrintout

    version = selectors.version_for_print(signed_version.sign_off.signed_by, signed_version.pk)
    line = "Sam needs help to ask for help and to manage changes in routine at school."
    pages_seen = set()
    # One more line of section C each time moves the sign-off down by a line, so over a
    # page's worth of lines the page break falls inside the sign-off block at least once.
    for lines in range(0, 56):
        version.section_c = "\n\n".join([line] * lines)
        printout = VersionPrintout.of(version)
        html = render_to_string(
            "ehcp/printing/version_pdf.html",
            {"printout": printout, "version": version, "child": printout.child, "pdf_font": None},
        )
        pages = [page.extract_text() for page in PdfReader(io.BytesIO(render_pdf(html))).pages]
        labelled = [n for n, text in enumerate(pages) if "SHA-256 of the signed text" in text]
        valued = [n for n, text in enumerate(pages) if version.content_hash in squashed(text)]
        signed_by = [n for n, text in enumerate(pages) if "Signed by" in text]
        assert labelled == valued == signed_by, (
            f"{lines} lines: label on {labelled}, value on {valued}, signer on {signed_by}"
        )
        pages_seen.add(len(pages))
    assert len(pages_seen) > 1  # the sweep did move the sign-off onto a later page
