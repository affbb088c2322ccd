"""Loading the signed-in user for each request, with the roles they hold today."""

import datetime

import pytest
from django.utils import timezone

from roles.backends import EmailPasswordBackend
from roles.models import Role, RoleCode, User
from roles.selectors import current_role_codes
from tests.factories import RoleAssignmentFactory, UserFactory

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate


def holds(user, code, **dates):
    RoleAssignmentFactory(user=user, role=Role.objects.get(code=code), **dates)


def test_the_user_comes_with_the_roles_held_today_in_one_query(django_assert_num_queries):
    user = UserFactory()
    day = datetime.timedelta(days=1)
    holds(user, RoleCode.DMO)
    holds(user, RoleCode.CLINICAL_LEAD, starts_on=TODAY() - 10 * day, ends_on=TODAY())
    holds(user, RoleCode.DCO, starts_on=TODAY() - 10 * day, ends_on=TODAY() - day)  # ended
    holds(user, RoleCode.COMMISSIONER, starts_on=TODAY() + day)  # not yet

    with django_assert_num_queries(1):
        loaded = EmailPasswordBackend().get_user(user.pk)
        codes = current_role_codes(loaded)

    assert codes == {RoleCode.DMO, RoleCode.CLINICAL_LEAD}
    assert codes == current_role_codes(User.objects.get(pk=user.pk))  # read on its own


def test_someone_with_no_role_today_holds_none(django_assert_num_queries):
    user = UserFactory()
    holds(
        user,
        RoleCode.DMO,
        starts_on=TODAY() - datetime.timedelta(days=9),
        ends_on=TODAY() - datetime.timedelta(days=1),
    )
    with django_assert_num_queries(1):
        assert current_role_codes(EmailPasswordBackend().get_user(user.pk)) == frozenset()


def test_an_inactive_or_missing_user_is_not_signed_in():
    user = UserFactory(is_active=False)
    holds(user, RoleCode.DMO)
    assert EmailPasswordBackend().get_user(user.pk) is None
    assert EmailPasswordBackend().get_user(999_999) is None


def test_a_role_asked_about_on_another_day_is_read_afresh(django_assert_num_queries):
    user = UserFactory()
    holds(user, RoleCode.DMO, starts_on=TODAY() + datetime.timedelta(days=5))
    loaded = EmailPasswordBackend().get_user(user.pk)
    assert current_role_codes(loaded) == frozenset()
    with django_assert_num_queries(1):
        later = current_role_codes(loaded, TODAY() + datetime.timedelta(days=6))
    assert later == {RoleCode.DMO}
