"""A case system's account acts through the API only: it never signs in (password, session,
password reset, a provider's sign-in) and is never offered or listed as a person."""

from __future__ import annotations

import pytest
from django.contrib.auth import authenticate
from django.contrib.auth.forms import PasswordResetForm
from django.urls import reverse

from roles.models import RoleCode, User
from roles.selectors import current_holders, current_holders_by_organisation, role_directory
from security import services as security_services

pytestmark = pytest.mark.django_db


@pytest.fixture
def account(case_system):
    return case_system.case_system.account


def test_it_cannot_sign_in_even_with_a_password_set_behind_the_portals_back(account, rf):
    assert authenticate(rf.post("/"), username=account.email, password="anything") is None
    account.set_password("a-password-someone-set-by-hand")
    account.save()
    request = rf.post("/")
    assert (
        authenticate(request, username=account.email, password="a-password-someone-set-by-hand")
        is None
    )


def test_a_session_for_it_is_not_believed(client, account):
    client.force_login(account)
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("sign-in"))


def test_no_password_reset_is_sent_for_it(account):
    assert list(PasswordResetForm().get_users(account.email)) == []


def test_it_is_never_tied_to_a_providers_sign_in(account):
    assert not User.objects.people().filter(email__iexact=account.email).exists()
    with pytest.raises(ValueError):
        security_services.invite_to_link(account)


def test_it_is_not_listed_or_offered_as_a_person(account, send_officer, council):
    holders = list(current_holders(RoleCode.SEND_OFFICER))
    assert send_officer in holders
    assert account not in holders
    directory = {role.code: role for role in role_directory()}
    listed = [a.user for a in directory[RoleCode.SEND_OFFICER].current_assignments]
    assert send_officer in listed and account not in listed
    assert directory[RoleCode.SEND_OFFICER].current_count == 1
    by_organisation = current_holders_by_organisation(RoleCode.SEND_OFFICER, [council.pk])
    assert account not in by_organisation.get(council.pk, [])
    assert account not in User.objects.people()
