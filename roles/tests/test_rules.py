"""Who may do what, role by role, including people whose role has ended or not started."""

import datetime

import pytest
import time_machine
from django.utils import timezone

from roles.models import RoleCode
from roles.selectors import current_holders, current_role_codes
from tests.factories import UserFactory, person_holding

ALL_ROLES = list(RoleCode)

# permission -> the roles that have it. Every role not listed must not have it.
EXPECTED = {
    "roles.view_role_directory": set(ALL_ROLES),
    "roles.view_role_history": set(ALL_ROLES),
    "roles.use_admin_site": {RoleCode.ADMINISTRATOR},
    "roles.change_roleassignment": {RoleCode.ADMINISTRATOR},
    "roles.add_user": {RoleCode.ADMINISTRATOR},
    "service_status.view_status": {RoleCode.ADMINISTRATOR},
    "django_celery_beat.change_periodictask": {RoleCode.ADMINISTRATOR},
}
NOBODY = ["roles.delete_roleassignment", "roles.delete_user", "roles.add_role", "roles.delete_role"]


@pytest.mark.django_db
@pytest.mark.parametrize("code", ALL_ROLES)
@pytest.mark.parametrize("permission", sorted(EXPECTED))
def test_each_role_has_exactly_its_permissions(code, permission):
    user = person_holding(code)

    assert user.has_perm(permission) is (code in EXPECTED[permission])


@pytest.mark.django_db
@pytest.mark.parametrize("permission", NOBODY)
def test_history_is_never_deleted_not_even_by_an_administrator(permission):
    assert not person_holding(RoleCode.ADMINISTRATOR).has_perm(permission)


@pytest.mark.django_db
@pytest.mark.parametrize("permission", sorted(EXPECTED) + NOBODY)
def test_a_user_with_no_role_may_do_nothing(permission):
    assert not UserFactory().has_perm(permission)


@pytest.mark.django_db
def test_an_assignment_that_ended_yesterday_gives_nothing():
    today = timezone.localdate()
    user = person_holding(
        RoleCode.ADMINISTRATOR,
        starts_on=today - datetime.timedelta(days=100),
        ends_on=today - datetime.timedelta(days=1),
    )

    assert current_role_codes(user) == frozenset()
    assert not user.has_perm("roles.use_admin_site")


@pytest.mark.django_db
def test_an_assignment_that_starts_tomorrow_gives_nothing_yet():
    user = person_holding(
        RoleCode.ADMINISTRATOR, starts_on=timezone.localdate() + datetime.timedelta(days=1)
    )

    assert not user.has_perm("roles.use_admin_site")


@pytest.mark.django_db
def test_the_last_day_and_the_first_day_are_both_inside_the_assignment():
    today = timezone.localdate()
    ends_today = person_holding(
        RoleCode.DMO, starts_on=today - datetime.timedelta(days=9), ends_on=today
    )
    starts_today = person_holding(RoleCode.DCO, starts_on=today)

    assert current_role_codes(ends_today) == {RoleCode.DMO}
    assert current_role_codes(starts_today) == {RoleCode.DCO}


@pytest.mark.django_db
def test_the_day_changes_at_midnight_in_london_not_utc():
    # 23:30 UTC on 30 June is 00:30 on 1 July in London (BST): an assignment ending on
    # 30 June has ended.
    with time_machine.travel(datetime.datetime(2026, 6, 30, 23, 30, tzinfo=datetime.UTC)):
        user = person_holding(
            RoleCode.DMO, starts_on=datetime.date(2026, 1, 1), ends_on=datetime.date(2026, 6, 30)
        )
        assert timezone.localdate() == datetime.date(2026, 7, 1)
        assert current_role_codes(user) == frozenset()


@pytest.mark.django_db
def test_inactive_accounts_hold_no_role():
    user = person_holding(RoleCode.ADMINISTRATOR)
    user.is_active = False
    user.save()

    assert not user.has_perm("roles.use_admin_site")


@pytest.mark.django_db
def test_a_person_may_see_their_own_page_even_without_a_role(no_role_user, dmo):
    assert no_role_user.has_perm("roles.view_person", no_role_user)
    assert not no_role_user.has_perm("roles.view_person", dmo)
    assert dmo.has_perm("roles.view_person", no_role_user)


@pytest.mark.django_db
def test_several_roles_at_once_add_up():
    user = person_holding(RoleCode.DCO)
    person_holding(RoleCode.ADMINISTRATOR, user=user)

    assert current_role_codes(user) == {RoleCode.DCO, RoleCode.ADMINISTRATOR}
    assert user.has_perm("roles.use_admin_site")


@pytest.mark.django_db
def test_current_holders_lists_only_todays_active_holders(dmo):
    today = timezone.localdate()
    person_holding(
        RoleCode.DMO,
        starts_on=today - datetime.timedelta(days=90),
        ends_on=today - datetime.timedelta(days=1),
    )
    closed = person_holding(RoleCode.DMO)
    closed.is_active = False
    closed.save()

    assert list(current_holders(RoleCode.DMO)) == [dmo]
