import datetime

import pytest
from django.db import IntegrityError

from roles.models import Role, RoleAssignment, RoleCode, User
from tests.factories import RoleAssignmentFactory


@pytest.mark.django_db
def test_every_role_code_has_a_role_with_responsibilities():
    roles = {role.code: role for role in Role.objects.all()}

    assert set(roles) == set(RoleCode.values)
    for role in roles.values():
        assert role.responsibility_list, role.code
    assert "Chairs the bi-monthly SEND Health Café" in roles["dco"].responsibility_list


@pytest.mark.django_db
def test_email_is_the_sign_in_name_in_any_case():
    User.objects.create_user("Jo.Bloggs@NHS.test", "a-long-test-password-1", full_name="Jo")

    assert User.objects.get_by_natural_key("jo.bloggs@nhs.test").full_name == "Jo"
    with pytest.raises(IntegrityError):
        User.objects.create(email="JO.BLOGGS@nhs.test", full_name="Another Jo")


@pytest.mark.django_db
def test_an_assignment_cannot_end_before_it_starts():
    with pytest.raises(IntegrityError):
        RoleAssignmentFactory(
            starts_on=datetime.date(2026, 3, 1), ends_on=datetime.date(2026, 2, 28)
        )


@pytest.mark.django_db
def test_createsuperuser_makes_an_administrator_not_an_all_powerful_account():
    user = User.objects.create_superuser(
        "first.admin@nhs.test", "a-long-test-password-1", full_name="First Admin"
    )

    assert RoleAssignment.objects.current().get(user=user).role.code == RoleCode.ADMINISTRATOR
    assert user.has_perm("roles.use_admin_site")
    # No clinical power comes with it.
    assert not user.has_perm("roles.some_permission_nobody_defined")
