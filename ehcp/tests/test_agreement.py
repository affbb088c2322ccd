"""The ICB agrees the health provision in section G of a version (CFA 2014 s42(3))."""

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from audit.selectors import child_record_views
from ehcp import services
from ehcp.models import CommissionerAgreement
from ehcp.tests.factories import (
    SAMPLE_SECTION_C,
    SAMPLE_SECTION_G,
    alter_stored_text,
    make_assessment,
    make_plan_waiting_for_sign_off,
    reasons_for_open_findings,
)
from tests.factories import DEFAULT_TEST_PASSWORD


@pytest.fixture
def waiting_version(db, clinical_lead):
    return make_plan_waiting_for_sign_off(author=clinical_lead).versions.get()


@pytest.fixture
def version(waiting_version, dmo):
    """Version 1, signed off by the DMO: the one the ICB may agree."""
    services.sign_off(waiting_version, dmo, DEFAULT_TEST_PASSWORD, "GMC 7012345")
    return waiting_version


def url(version):
    return reverse("ehcp:version-agree", args=[version.pk])


@pytest.mark.django_db
def test_the_commissioner_sees_section_g_and_what_they_are_agreeing_to(
    client, commissioner, version
):
    client.force_login(commissioner)

    response = client.get(url(version))

    assert response.status_code == 200
    html = response.content.decode()
    for text in SAMPLE_SECTION_G[0].values():
        assert text in html
    assert (
        "On behalf of Test Integrated Care Board, I agree the health provision in section G "
        "of version 1"
    ) in html
    assert "the ICB will secure it (Children and Families Act 2014, section 42(3))" in html
    assert "Agree the health provision</button>" in html.replace("\n", "").replace("  ", "")
    assert "has not signed off this version" not in html
    view = child_record_views(version.plan.assessment.child).get()
    assert (view.actor, view.summary) == (commissioner, "agree health provision")


@pytest.mark.django_db
def test_agreeing_records_who_for_which_organisation_and_the_note(client, commissioner, version):
    client.force_login(commissioner)

    response = client.post(url(version), {"note": "  Within the SALT block contract.  "})

    assert response.status_code == 302
    assert response["Location"] == reverse("ehcp:plan", args=[version.plan_id])
    assert [str(m) for m in get_messages(response.wsgi_request)] == [
        "You have agreed the health provision in version 1 for the ICB."
    ]
    agreement = CommissionerAgreement.objects.get()
    assert (agreement.version, agreement.agreed_by, agreement.organisation_name) == (
        version,
        commissioner,
        "Test Integrated Care Board",
    )
    assert agreement.note == "Within the SALT block contract."


@pytest.mark.django_db
def test_the_note_is_optional(client, commissioner, version):
    client.force_login(commissioner)

    assert client.post(url(version), {}).status_code == 302
    assert CommissionerAgreement.objects.get().note == ""


@pytest.mark.django_db
@pytest.mark.parametrize(
    "persona",
    [
        "dmo",
        "dco",
        "clinical_lead",
        "health_professional_a",
        "send_officer",
        "sendiass_officer",
        "administrator",
        "no_role_user",
    ],
)
def test_only_a_commissioner_may_agree(client, request, persona, version):
    client.force_login(request.getfixturevalue(persona))

    assert client.get(url(version)).status_code == 403
    assert client.post(url(version), {"note": ""}).status_code == 403
    assert not CommissionerAgreement.objects.exists()
    assert not child_record_views().exists()


@pytest.mark.django_db
def test_the_service_refuses_anyone_but_a_commissioner(dco, version):
    with pytest.raises(services.RefusedChange, match="Only a commissioner"):
        services.agree_provision(version, dco)


@pytest.mark.django_db
def test_a_version_is_agreed_once_and_a_second_agreement_is_refused(client, commissioner, version):
    client.force_login(commissioner)
    client.post(url(version), {"note": "First"})

    page = client.get(url(version)).content.decode()
    assert "Com Missioner agreed this provision for Test Integrated Care Board on" in page
    assert "It cannot be agreed again." in page
    assert "<form" not in page.split('id="maincontent"')[1]  # no button to agree again

    response = client.post(url(version), {"note": "Second"})

    assert response.status_code == 200
    html = response.content.decode()
    assert "There is a problem" in html
    assert "The ICB has already agreed the provision in this version." in html
    assert "Second" in html  # what was typed is kept
    assert CommissionerAgreement.objects.get().note == "First"


@pytest.mark.django_db
def test_a_version_with_no_health_provision_cannot_be_agreed(
    client, commissioner, clinical_lead, dmo
):
    assessment = make_assessment()
    plan = services.save_sections(
        assessment.plan, clinical_lead, "Sam has no health needs related to SEN.", [], 0
    )
    version = services.submit_for_sign_off(plan, clinical_lead, plan.edit_count)
    services.sign_off(
        version, dmo, DEFAULT_TEST_PASSWORD, "GMC 7012345", reasons_for_open_findings(version)
    )
    client.force_login(commissioner)

    page = client.get(url(version)).content.decode()
    assert "This version has no health provision in section G, so there is nothing to agree." in (
        page
    )

    response = client.post(url(version), {"note": ""})

    assert response.status_code == 200
    assert "This version has no health provision in section G to agree." in (
        response.content.decode()
    )
    assert not CommissionerAgreement.objects.exists()


@pytest.mark.django_db
def test_unquantified_provision_is_pointed_out_before_agreeing(client, commissioner, clinical_lead):
    assessment = make_assessment()
    rows = [{**SAMPLE_SECTION_G[0], "frequency": "As required"}]
    plan = services.save_sections(assessment.plan, clinical_lead, SAMPLE_SECTION_C, rows, 0)
    version = services.submit_for_sign_off(plan, clinical_lead, plan.edit_count)
    client.force_login(commissioner)

    html = client.get(url(version)).content.decode()

    assert "nhsuk-warning-callout" in html
    assert "Row 1: “as required” is not quantified" in html


@pytest.mark.django_db
def test_agreeing_an_older_version_warns_that_there_is_a_newer_one(
    client, commissioner, dmo, clinical_lead, version
):
    plan = version.plan
    plan.refresh_from_db()
    services.save_sections(
        plan, clinical_lead, SAMPLE_SECTION_C + " Asthma.", SAMPLE_SECTION_G, plan.edit_count
    )
    client.force_login(commissioner)

    html = client.get(url(version)).content.decode()

    assert "There is a newer version" in html
    assert "version 2 is the latest" in html
    assert "has not signed off this version yet" not in html


@pytest.mark.django_db
def test_an_unknown_version_is_not_found(client, commissioner):
    client.force_login(commissioner)

    assert client.get(reverse("ehcp:version-agree", args=[999999])).status_code == 404
    assert client.post(reverse("ehcp:version-agree", args=[999999])).status_code == 404


@pytest.mark.django_db
def test_the_icb_agrees_only_the_newest_version(dmo, commissioner, clinical_lead):
    from ehcp import services as ehcp_services
    from ehcp.tests.factories import (
        SAMPLE_SECTION_C,
        SAMPLE_SECTION_G,
        make_plan_waiting_for_sign_off,
    )
    from tests.factories import DEFAULT_TEST_PASSWORD

    plan = make_plan_waiting_for_sign_off(author=clinical_lead)
    first = plan.versions.get()
    ehcp_services.sign_off(first, dmo, DEFAULT_TEST_PASSWORD, "GMC 7012345")
    plan.refresh_from_db()
    ehcp_services.save_sections(
        plan, clinical_lead, SAMPLE_SECTION_C + " More.", SAMPLE_SECTION_G, plan.edit_count
    )

    with pytest.raises(ehcp_services.RefusedChange, match="newer version"):
        ehcp_services.agree_provision(first, commissioner)


# --- Agreement only for the newest version the DMO has signed, whatever the page shows ----


def _returned(version, dmo):
    services.return_for_amendment(version, dmo, "Say how often.")
    return version


def _signed_then_changed(version, dmo, clinical_lead):
    """Version 1 signed, then changed: version 2 waits for sign-off again."""
    services.sign_off(version, dmo, DEFAULT_TEST_PASSWORD, "GMC 7012345")
    plan = version.plan
    plan.refresh_from_db()
    services.save_sections(
        plan, clinical_lead, SAMPLE_SECTION_C + " Asthma.", SAMPLE_SECTION_G, plan.edit_count
    )
    return plan.versions.get(number=2)


def _older_signed(version, dmo, clinical_lead):
    _signed_then_changed(version, dmo, clinical_lead)
    return version


def _signed_text_altered(version, dmo, clinical_lead):
    """Signed, then the stored text changed behind the portal's back."""
    services.sign_off(version, dmo, DEFAULT_TEST_PASSWORD, "GMC 7012345")
    alter_stored_text(version, "Altered after signing.")
    return version


REFUSED_STATES = {
    "awaiting sign-off": (lambda v, dmo, lead: v, "has not signed off this version"),
    "returned for amendment": (lambda v, dmo, lead: _returned(v, dmo), "has not signed off"),
    "newer version not yet signed": (_signed_then_changed, "has not signed off this version"),
    "older signed version": (_older_signed, "A newer version of these sections exists"),
    "signed text altered": (_signed_text_altered, "no longer matches what the Designated"),
}


@pytest.mark.django_db
@pytest.mark.parametrize("state", sorted(REFUSED_STATES))
def test_a_direct_post_cannot_agree_a_version_the_dmo_has_not_signed_as_the_newest(
    client, commissioner, dmo, clinical_lead, waiting_version, state
):
    make_state, message = REFUSED_STATES[state]
    target = make_state(waiting_version, dmo, clinical_lead)
    client.force_login(commissioner)

    page = client.get(url(target)).content.decode()
    assert "Agree the health provision</button>" not in page.replace("\n", "").replace("  ", "")

    response = client.post(url(target), {"note": "Agreed anyway"})

    assert response.status_code == 200
    html = response.content.decode()
    assert "There is a problem" in html
    assert message in html
    assert not CommissionerAgreement.objects.exists()
    with pytest.raises(services.RefusedChange, match=message):
        services.agree_provision(target, commissioner)


@pytest.mark.django_db
def test_the_newest_version_is_agreed_once_the_dmo_signs_it(
    client, commissioner, dmo, clinical_lead, waiting_version
):
    newest = _signed_then_changed(waiting_version, dmo, clinical_lead)
    services.sign_off(
        newest, dmo, DEFAULT_TEST_PASSWORD, "GMC 7012345", reasons_for_open_findings(newest)
    )
    client.force_login(commissioner)

    assert client.post(url(newest), {"note": ""}).status_code == 302
    assert CommissionerAgreement.objects.get().version == newest


@pytest.mark.django_db
@pytest.mark.parametrize("state", sorted(REFUSED_STATES))
def test_the_plan_page_links_to_agreement_only_for_a_version_that_may_be_agreed(
    client, commissioner, dmo, clinical_lead, waiting_version, state
):
    make_state, _ = REFUSED_STATES[state]
    target = make_state(waiting_version, dmo, clinical_lead)
    client.force_login(commissioner)

    page = client.get(reverse("ehcp:plan", args=[target.plan_id])).content.decode()

    assert url(target) not in page


@pytest.mark.django_db
def test_the_plan_page_links_to_agreement_for_the_newest_signed_version(
    client, commissioner, version
):
    client.force_login(commissioner)

    page = client.get(reverse("ehcp:plan", args=[version.plan_id])).content.decode()

    assert f'href="{url(version)}"' in page
