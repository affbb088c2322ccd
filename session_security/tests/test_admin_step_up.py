"""Adding people and changing who holds which role, in the admin, behind step-up."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from roles.models import RoleAssignment
from session_security.step_up import confirm_password_url
from session_security.tests.conftest import make_password_stale


def assignment_form(assignment, **changes):
    data = {
        "user": assignment.user_id,
        "role": assignment.role_id,
        "organisation": assignment.organisation_id,
        "starts_on": assignment.starts_on.isoformat(),
        "ends_on": "",
        "note": "",
    }
    return {**data, **changes}


def admin_pages(dmo):
    assignment = RoleAssignment.objects.get(user=dmo)
    return [
        reverse("admin:roles_roleassignment_add"),
        reverse("admin:roles_roleassignment_change", args=[assignment.pk]),
        reverse("admin:roles_user_add"),
        reverse("admin:roles_user_change", args=[dmo.pk]),
    ]


@pytest.mark.django_db
def test_a_stale_password_is_asked_for_before_the_forms_are_shown(client, administrator, dmo):
    client.force_login(administrator)
    make_password_stale(client)

    for url in admin_pages(dmo):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"] == confirm_password_url(url)


@pytest.mark.django_db
def test_a_recent_password_shows_the_forms(client, administrator, dmo):
    client.force_login(administrator)  # signing in entered the password

    for url in admin_pages(dmo):
        assert client.get(url).status_code == 200, url


@pytest.mark.django_db
def test_a_role_change_sent_with_a_stale_password_is_not_saved(client, administrator, dmo):
    assignment = RoleAssignment.objects.get(user=dmo)
    client.force_login(administrator)
    make_password_stale(client)
    yesterday = timezone.localdate() - datetime.timedelta(days=1)

    response = client.post(
        reverse("admin:roles_roleassignment_change", args=[assignment.pk]),
        assignment_form(assignment, ends_on=yesterday.isoformat()),
    )

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("session_security:confirm-password"))
    assignment.refresh_from_db()
    assert assignment.ends_on is None


@pytest.mark.django_db
def test_a_role_change_with_a_recent_password_is_saved(client, administrator, dmo):
    assignment = RoleAssignment.objects.get(user=dmo)
    client.force_login(administrator)
    yesterday = timezone.localdate() - datetime.timedelta(days=1)

    response = client.post(
        reverse("admin:roles_roleassignment_change", args=[assignment.pk]),
        assignment_form(assignment, ends_on=yesterday.isoformat()),
    )

    assert response.status_code == 302
    assignment.refresh_from_db()
    assert assignment.ends_on == yesterday


@pytest.mark.django_db
def test_the_lists_need_no_step_up(client, administrator):
    client.force_login(administrator)
    make_password_stale(client)

    assert client.get(reverse("admin:roles_roleassignment_changelist")).status_code == 200
    assert client.get(reverse("admin:roles_user_changelist")).status_code == 200


@pytest.mark.django_db
def test_others_are_refused_before_being_asked_for_a_password(client, dmo):
    client.force_login(dmo)
    make_password_stale(client)

    assert client.get(reverse("admin:roles_roleassignment_add")).status_code == 403
