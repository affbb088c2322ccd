"""Every role assignment made or changed in the admin is an audit event naming who did it."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditEvent
from roles.models import Role, RoleAssignment, RoleCode
from tests.factories import OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db


def role_events():
    return AuditEvent.objects.filter(kind=AuditEvent.Kind.ROLE_CHANGED).order_by("pk")


def test_assigning_a_role_in_the_admin_is_recorded_with_the_administrator(client, administrator):
    person = UserFactory()
    organisation = OrganisationFactory()
    client.force_login(administrator)
    before = role_events().count()

    response = client.post(
        reverse("admin:roles_roleassignment_add"),
        {
            "user": person.pk,
            "role": Role.objects.get(code=RoleCode.DMO).pk,
            "organisation": organisation.pk,
            "starts_on": "2026-09-01",
            "ends_on": "",
            "note": "Covering the post",
        },
        REMOTE_ADDR="203.0.113.9",
    )

    assert response.status_code == 302, response.context["adminform"].form.errors
    assignment = RoleAssignment.objects.get(user=person)
    assert role_events().count() == before + 1
    recorded = role_events().last()
    assert recorded.actor == administrator
    assert (recorded.target_type, recorded.target_id) == (
        "roles.roleassignment",
        str(assignment.pk),
    )
    assert recorded.summary == (
        f"Assigned: role dmo at organisation {organisation.pk} for person {person.pk}, "
        "2026-09-01 to no end date"
    )
    assert recorded.client_address == "203.0.113.9"
    assert recorded.url_name == "admin:roles_roleassignment_add"


def test_ending_an_assignment_in_the_admin_records_the_dates_before_and_after(
    client, administrator, dmo
):
    assignment = RoleAssignment.objects.get(user=dmo)
    client.force_login(administrator)
    before = role_events().count()
    starts = assignment.starts_on.isoformat()
    ends = (timezone.localdate() + datetime.timedelta(days=7)).isoformat()

    response = client.post(
        reverse("admin:roles_roleassignment_change", args=[assignment.pk]),
        {
            "user": dmo.pk,
            "role": assignment.role_id,
            "organisation": assignment.organisation_id,
            "starts_on": starts,
            "ends_on": ends,
            "note": "",
        },
    )

    assert response.status_code == 302
    assert role_events().count() == before + 1
    recorded = role_events().last()
    assert recorded.actor == administrator
    organisation = assignment.organisation_id
    assert recorded.summary == (
        f"Changed: role dmo at organisation {organisation} for person {dmo.pk}, "
        f"{starts} to {ends} (was role dmo at organisation {organisation} for person "
        f"{dmo.pk}, {starts} to no end date)"
    )


def test_saving_an_assignment_without_changing_the_role_or_dates_records_nothing(
    client, administrator, dmo
):
    assignment = RoleAssignment.objects.get(user=dmo)
    client.force_login(administrator)
    before = role_events().count()

    response = client.post(
        reverse("admin:roles_roleassignment_change", args=[assignment.pk]),
        {
            "user": dmo.pk,
            "role": assignment.role_id,
            "organisation": assignment.organisation_id,
            "starts_on": assignment.starts_on.isoformat(),
            "ends_on": "",
            "note": "Only the note changes",
        },
    )

    assert response.status_code == 302
    assert role_events().count() == before


def test_a_role_given_on_the_persons_page_is_recorded_too(client, administrator):
    person = UserFactory(full_name="New Starter")
    organisation = OrganisationFactory()
    client.force_login(administrator)
    before = role_events().count()
    prefix = "role_assignments"

    response = client.post(
        reverse("admin:roles_user_change", args=[person.pk]),
        {
            "email": person.email,
            "full_name": person.full_name,
            "job_title": "",
            "registration_number": "",
            "is_active": "on",
            f"{prefix}-TOTAL_FORMS": "1",
            f"{prefix}-INITIAL_FORMS": "0",
            f"{prefix}-MIN_NUM_FORMS": "0",
            f"{prefix}-MAX_NUM_FORMS": "1000",
            f"{prefix}-0-role": Role.objects.get(code=RoleCode.COMMISSIONER).pk,
            f"{prefix}-0-organisation": organisation.pk,
            f"{prefix}-0-starts_on": "2026-10-01",
            f"{prefix}-0-ends_on": "",
            f"{prefix}-0-note": "",
            f"{prefix}-0-user": person.pk,
        },
    )

    assert response.status_code == 302, response.content.decode()[:3000]
    assert role_events().count() == before + 1
    recorded = role_events().last()
    assert recorded.actor == administrator
    assert recorded.summary.startswith(
        f"Assigned: role commissioner at organisation {organisation.pk}"
    )


def test_a_role_assigned_outside_a_request_is_recorded_without_an_actor():
    # A management command or the demo data: nobody signed in made the change.
    assignment = RoleAssignment.objects.create(
        user=UserFactory(),
        role=Role.objects.get(code=RoleCode.DCO),
        organisation=OrganisationFactory(),
        starts_on=datetime.date(2026, 1, 5),
        ends_on=datetime.date(2026, 12, 31),
    )

    recorded = role_events().get(target_id=str(assignment.pk))

    assert recorded.actor is None
    assert recorded.client_address is None
    assert recorded.summary.endswith("2026-01-05 to 2026-12-31")
