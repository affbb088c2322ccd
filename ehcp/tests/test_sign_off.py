"""The DMO's medical sign-off: who may sign, step-up, the hash, signed text never changes."""

import datetime

import pytest
from django.core import mail
from django.db import DatabaseError, connection, transaction
from django.urls import reverse
from django.utils import timezone

from audit.selectors import child_record_views
from ehcp import services
from ehcp.models import Plan, SectionsVersion, SignOff, SignOffReturn, text_hash
from ehcp.tests.factories import SAMPLE_SECTION_C, SAMPLE_SECTION_G, make_plan_waiting_for_sign_off
from roles.models import RoleAssignment, RoleCode
from tests.factories import DEFAULT_TEST_PASSWORD, person_holding


def sign(version, user, password=DEFAULT_TEST_PASSWORD, registration="GMC 7012345"):
    return services.sign_off(version, user, password, registration)


@pytest.fixture
def waiting_plan(clinical_lead):
    return make_plan_waiting_for_sign_off(author=clinical_lead)


@pytest.mark.django_db
def test_the_dmo_signs_off_and_the_hash_is_of_exactly_the_signed_text(dmo, waiting_plan):
    version = waiting_plan.versions.get()

    signed = sign(version, dmo)

    assert signed.text_hash == text_hash(SAMPLE_SECTION_C, SAMPLE_SECTION_G)
    assert signed.text_hash == version.content_hash
    assert (signed.signed_by, signed.role_name, signed.registration_number) == (
        dmo,
        "Designated Medical Officer",
        "GMC 7012345",
    )
    assert signed.organisation_name == "Provider A NHS Foundation Trust"
    waiting_plan.refresh_from_db()
    assert waiting_plan.status == Plan.Status.SIGNED_OFF


@pytest.mark.django_db
def test_the_hash_changes_when_one_character_of_the_text_changes():
    changed = SAMPLE_SECTION_C.replace("autism", "Autism")

    assert text_hash(changed, SAMPLE_SECTION_G) != text_hash(SAMPLE_SECTION_C, SAMPLE_SECTION_G)


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ["dco", "clinical_lead", "commissioner", "administrator"])
def test_only_the_dmo_may_sign_off(request, persona, waiting_plan):
    user = request.getfixturevalue(persona)

    with pytest.raises(services.RefusedChange, match="Only the Designated Medical Officer"):
        sign(waiting_plan.versions.get(), user)
    assert not SignOff.objects.exists()


@pytest.mark.django_db
def test_a_dmo_whose_role_ended_yesterday_cannot_sign(waiting_plan):
    today = timezone.localdate()
    former = person_holding(
        RoleCode.DMO,
        starts_on=today - datetime.timedelta(days=400),
        ends_on=today - datetime.timedelta(days=1),
    )

    with pytest.raises(services.RefusedChange):
        sign(waiting_plan.versions.get(), former)


@pytest.mark.django_db
def test_a_wrong_password_at_step_up_signs_nothing(dmo, waiting_plan):
    with pytest.raises(services.RefusedChange, match="password is not correct"):
        sign(waiting_plan.versions.get(), dmo, password="not-my-password")

    assert not SignOff.objects.exists()
    waiting_plan.refresh_from_db()
    assert waiting_plan.status == Plan.Status.AWAITING_SIGN_OFF


@pytest.mark.django_db
def test_a_version_cannot_be_signed_twice(dmo, waiting_plan):
    version = waiting_plan.versions.get()
    sign(version, dmo)

    with pytest.raises(services.RefusedChange, match="no longer waiting"):
        sign(version, dmo)


@pytest.mark.django_db
def test_tampered_stored_text_is_refused_rather_than_signed(dmo, waiting_plan):
    version = waiting_plan.versions.get()
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # Someone with the power to switch the guard off first (tested below).
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute("ALTER TABLE ehcp_sectionsversion DISABLE TRIGGER USER")
        SectionsVersion.objects.filter(pk=version.pk).update(section_c="Something else entirely")
        if connection.vendor == "postgresql":
            cursor.execute("ALTER TABLE ehcp_sectionsversion ENABLE TRIGGER USER")

    with pytest.raises(services.RefusedChange, match="does not match"):
        sign(version, dmo)


@pytest.mark.django_db
def test_signed_records_refuse_changes_through_the_model(dmo, waiting_plan):
    version = waiting_plan.versions.get()
    signed = sign(version, dmo)

    version.section_c = "changed"
    with pytest.raises(ValueError, match="frozen"):
        version.save()
    with pytest.raises(ValueError, match="never changed"):
        signed.save()
    with pytest.raises(ValueError, match="never deleted"):
        signed.delete()


@pytest.mark.django_db
@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="the database trigger is PostgreSQL's; set DATABASE_URL to a PostgreSQL database",
)
def test_postgresql_refuses_a_direct_update_of_a_signed_version(dmo, waiting_plan):
    version = waiting_plan.versions.get()
    sign(version, dmo)

    for statement in (
        "UPDATE ehcp_sectionsversion SET section_c = 'changed' WHERE id = %s",
        "DELETE FROM ehcp_sectionsversion WHERE id = %s",
        "UPDATE ehcp_signoff SET text_hash = 'x' WHERE version_id = %s",
    ):
        with (
            pytest.raises(DatabaseError, match="never change"),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            cursor.execute(statement, [version.pk])
    version.refresh_from_db()
    assert version.section_c == SAMPLE_SECTION_C


@pytest.mark.django_db
def test_an_edit_after_sign_off_makes_a_new_version_and_keeps_the_signed_one(
    dmo, clinical_lead, waiting_plan
):
    first = waiting_plan.versions.get()
    sign(first, dmo)
    waiting_plan.refresh_from_db()

    services.save_sections(
        waiting_plan,
        clinical_lead,
        SAMPLE_SECTION_C + " New: uses a hearing aid.",
        SAMPLE_SECTION_G,
        waiting_plan.edit_count,
    )

    waiting_plan.refresh_from_db()
    assert waiting_plan.status == Plan.Status.AWAITING_SIGN_OFF_AGAIN
    second = waiting_plan.versions.order_by("-number").first()
    assert second.number == 2 and "hearing aid" in second.section_c
    first.refresh_from_db()
    assert first.section_c == SAMPLE_SECTION_C
    assert first.sign_off.text_hash == first.content_hash
    assert not hasattr(second, "sign_off") or not SignOff.objects.filter(version=second).exists()


@pytest.mark.django_db
def test_sections_with_the_dmo_cannot_be_edited_until_returned(clinical_lead, waiting_plan):
    with pytest.raises(services.RefusedChange, match="with the DMO"):
        services.save_sections(waiting_plan, clinical_lead, "new", [], waiting_plan.edit_count)


@pytest.mark.django_db
def test_an_empty_section_c_cannot_be_sent_for_sign_off(clinical_lead):
    from ehcp.tests.factories import make_assessment

    plan = make_assessment().plan

    with pytest.raises(services.RefusedChange, match="Section C is empty"):
        services.submit_for_sign_off(plan, clinical_lead, plan.edit_count)
    assert not plan.versions.exists()


@pytest.mark.django_db
def test_returning_tells_the_author_by_email_without_naming_the_child(
    dmo, clinical_lead, waiting_plan, django_capture_on_commit_callbacks
):
    child = waiting_plan.assessment.child

    with django_capture_on_commit_callbacks(execute=True):
        services.return_for_amendment(waiting_plan.versions.get(), dmo, "Quantify row 1.")

    waiting_plan.refresh_from_db()
    assert waiting_plan.status == Plan.Status.RETURNED
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [clinical_lead.email]
    assert reverse("ehcp:plan", args=[waiting_plan.pk]) in message.body
    assert child.first_name not in message.body and child.last_name not in message.body


@pytest.mark.django_db
def test_a_return_needs_comments(dmo, waiting_plan):
    with pytest.raises(services.RefusedChange, match="Say what needs to change"):
        services.return_for_amendment(waiting_plan.versions.get(), dmo, "  ")
    assert not SignOffReturn.objects.exists()


@pytest.mark.django_db
def test_after_a_return_the_author_amends_and_resends_as_version_two(
    dmo, clinical_lead, waiting_plan
):
    services.return_for_amendment(waiting_plan.versions.get(), dmo, "Quantify row 1.")
    waiting_plan.refresh_from_db()
    services.save_sections(
        waiting_plan, clinical_lead, SAMPLE_SECTION_C, SAMPLE_SECTION_G, waiting_plan.edit_count
    )
    waiting_plan.refresh_from_db()

    version = services.submit_for_sign_off(waiting_plan, clinical_lead, waiting_plan.edit_count)

    assert version.number == 2
    waiting_plan.refresh_from_db()
    assert waiting_plan.status == Plan.Status.AWAITING_SIGN_OFF


# --- Through the pages ------------------------------------------------------------------


@pytest.mark.django_db
def test_the_dmo_signs_off_in_the_browser_with_password_step_up(client, dmo, waiting_plan):
    version = waiting_plan.versions.get()
    client.force_login(dmo)
    url = reverse("ehcp:sign-off-review", args=[version.pk])

    page = client.get(url).content.decode()
    assert "Sign off medical sections" in page and SAMPLE_SECTION_C[:40] in page
    wrong = client.post(
        url, {"attest": "on", "registration_number": "GMC 7012345", "password": "nope"}
    )
    assert wrong.status_code == 200
    assert "The password is not correct" in wrong.content.decode()
    assert not SignOff.objects.exists()
    unattested = client.post(
        url, {"registration_number": "GMC 7012345", "password": DEFAULT_TEST_PASSWORD}
    )
    assert "Confirm the statement to sign off" in unattested.content.decode()

    response = client.post(
        url,
        {"attest": "on", "registration_number": "GMC 7012345", "password": DEFAULT_TEST_PASSWORD},
        follow=True,
    )

    assert response.redirect_chain[-1][0] == reverse("ehcp:plan", args=[waiting_plan.pk])
    signed = SignOff.objects.get()
    assert signed.text_hash in response.content.decode()  # in the history on the plan page


@pytest.mark.django_db
def test_the_dco_sees_the_review_page_but_no_sign_off_form(client, dco, waiting_plan):
    client.force_login(dco)
    url = reverse("ehcp:sign-off-review", args=[waiting_plan.versions.get().pk])

    assert "Sign off medical sections" not in client.get(url).content.decode()
    client.post(
        url, {"attest": "on", "registration_number": "x", "password": DEFAULT_TEST_PASSWORD}
    )
    assert not SignOff.objects.exists()


@pytest.mark.django_db
def test_a_health_professional_cannot_open_the_review_page(
    client, health_professional_a, waiting_plan
):
    client.force_login(health_professional_a)

    response = client.get(reverse("ehcp:sign-off-review", args=[waiting_plan.versions.get().pk]))

    assert response.status_code == 403


@pytest.mark.django_db
def test_the_review_page_logs_the_access_to_the_childs_record(client, dmo, waiting_plan):
    client.force_login(dmo)

    client.get(reverse("ehcp:sign-off-review", args=[waiting_plan.versions.get().pk]))

    view = child_record_views(waiting_plan.assessment.child).get()
    assert (view.actor, view.summary) == (dmo, "sign-off review")


@pytest.mark.django_db
def test_role_assignment_for_dmo_is_what_grants_signing(dmo, waiting_plan):
    RoleAssignment.objects.filter(user=dmo).update(
        ends_on=timezone.localdate() - datetime.timedelta(days=1),
        starts_on=timezone.localdate() - datetime.timedelta(days=5),
    )
    dmo = type(dmo).objects.get(pk=dmo.pk)

    with pytest.raises(services.RefusedChange):
        sign(waiting_plan.versions.get(), dmo)
