"""The admin is for administrators only, and its own login page is not a way in."""

import pytest
from django.urls import reverse

from roles.models import RoleAssignment, RoleCode
from tests.factories import DEFAULT_TEST_PASSWORD


@pytest.mark.django_db
def test_an_administrator_manages_people_and_assignments(client, administrator, dmo):
    client.force_login(administrator)

    assert client.get(reverse("admin:index")).status_code == 200
    assert client.get(reverse("admin:roles_user_changelist")).status_code == 200
    assert client.get(reverse("admin:roles_user_change", args=[dmo.pk])).status_code == 200
    assert client.get(reverse("admin:roles_roleassignment_changelist")).status_code == 200
    assert (
        client.get(reverse("admin:django_celery_beat_periodictask_changelist")).status_code == 200
    )


@pytest.mark.django_db
def test_an_administrator_can_end_an_assignment_but_not_delete_it(client, administrator, dmo):
    assignment = RoleAssignment.objects.get(user=dmo)
    client.force_login(administrator)

    response = client.get(reverse("admin:roles_roleassignment_delete", args=[assignment.pk]))

    assert response.status_code == 403
    assert RoleAssignment.objects.filter(pk=assignment.pk).exists()


@pytest.mark.django_db
def test_an_administrator_adds_a_person_with_a_checked_password(client, administrator):
    client.force_login(administrator)

    weak = client.post(
        reverse("admin:roles_user_add"),
        {"email": "New.Person@nhs.test", "full_name": "New Person", "password": "short"},
    )
    assert weak.status_code == 200
    response = client.post(
        reverse("admin:roles_user_add"),
        {
            "email": "New.Person@nhs.test",
            "full_name": "New Person",
            "password": "a-long-enough-password-3",
            "role_assignments-TOTAL_FORMS": "0",
            "role_assignments-INITIAL_FORMS": "0",
        },
    )

    assert response.status_code == 302
    assert client.login(email="new.person@nhs.test", password="a-long-enough-password-3")


@pytest.mark.django_db
@pytest.mark.parametrize(
    "persona",
    [
        "dmo",
        "dco",
        "clinical_lead",
        "commissioner",
        "health_professional_a",
        "sendiass_officer",
        "no_role_user",
    ],
)
def test_nobody_else_gets_into_the_admin(client, request, persona):
    client.force_login(request.getfixturevalue(persona))

    response = client.get(reverse("admin:index"))

    assert response.status_code == 403
    assert "You cannot use this page" in response.content.decode()
    assert client.get(reverse("admin:roles_user_changelist")).status_code == 403


@pytest.mark.django_db
def test_the_admin_login_page_does_not_sign_anyone_in(client, administrator):
    response = client.post(
        reverse("admin:login"),
        {"username": administrator.email, "password": DEFAULT_TEST_PASSWORD},
    )

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("sign-in"))
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_an_administrator_whose_role_ended_is_shut_out(client, administrator):
    from django.utils import timezone

    RoleAssignment.objects.filter(user=administrator, role__code=RoleCode.ADMINISTRATOR).update(
        ends_on=timezone.localdate() - timezone.timedelta(days=1),
        starts_on=timezone.localdate() - timezone.timedelta(days=10),
    )
    client.force_login(administrator)

    assert client.get(reverse("admin:index")).status_code == 403
