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


# --- The user query, compiled once a day ---------------------------------------------------


def every_field(user) -> dict:
    return {field.attname: getattr(user, field.attname) for field in User._meta.concrete_fields}


def test_the_compiled_query_loads_the_same_user_as_the_orm():
    user = UserFactory(full_name="Dr Dee Emmo")
    holds(user, RoleCode.DMO)
    loaded = EmailPasswordBackend().get_user(user.pk)
    read = User.objects.get(pk=user.pk)

    assert every_field(loaded) == every_field(read)  # dates, booleans and all, on any database
    assert not loaded._state.adding and loaded._state.db == read._state.db
    assert loaded.check_password("password") is False  # a real, usable user object
    loaded.full_name = "Dr Dee Emmo-Smith"
    loaded.save(update_fields=["full_name"])
    assert User.objects.get(pk=user.pk).full_name == "Dr Dee Emmo-Smith"


def test_the_query_is_compiled_once_a_day_and_each_request_still_reads_the_database(
    monkeypatch, django_assert_num_queries
):
    import time_machine

    from roles import backends

    built = []
    build = backends._user_with_roles_and_areas
    monkeypatch.setattr(
        backends, "_user_with_roles_and_areas", lambda today: built.append(today) or build(today)
    )
    monkeypatch.setattr(backends, "_compiled", {})
    user = UserFactory()
    holds(user, RoleCode.DMO)

    for _ in range(3):
        with django_assert_num_queries(1):
            assert current_role_codes(EmailPasswordBackend().get_user(user.pk)) == {RoleCode.DMO}
    assert built == [TODAY()]

    # A role ended between two requests is seen on the next: the SQL is kept, not the answer.
    user.role_assignments.update(ends_on=TODAY() - datetime.timedelta(days=1))
    assert current_role_codes(EmailPasswordBackend().get_user(user.pk)) == frozenset()

    # Tomorrow the query is compiled again, for tomorrow's roles.
    holds(user, RoleCode.DCO, starts_on=TODAY() + datetime.timedelta(days=1))
    tomorrow = timezone.now() + datetime.timedelta(days=1)
    with time_machine.travel(tomorrow, tick=False):
        loaded = EmailPasswordBackend().get_user(user.pk)
        assert current_role_codes(loaded) == {RoleCode.DCO}
    assert built == [TODAY(), TODAY() + datetime.timedelta(days=1)]


@pytest.mark.parametrize("session_value", ["not-a-number", "", None, "12; DROP TABLE x"])
def test_a_user_id_that_is_not_a_number_signs_nobody_in(session_value):
    assert EmailPasswordBackend().get_user(session_value) is None


def test_on_postgresql_the_user_query_is_prepared_and_not_planned_each_request(
    django_assert_num_queries,
):
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip(
            "prepared statements are PostgreSQL's; set DATABASE_URL to a PostgreSQL database"
        )
    user = UserFactory()
    holds(user, RoleCode.DMO)
    other = UserFactory()
    holds(other, RoleCode.DCO)

    def prepared_user_queries() -> int:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT count(*) FROM pg_prepared_statements WHERE statement LIKE %s",
                ["%role_codes_today%"],
            )
            return cursor.fetchone()[0]

    assert prepared_user_queries() == 0
    for _ in range(6):  # psycopg prepares a statement once it has run 5 times on a connection
        EmailPasswordBackend().get_user(user.pk)
    assert prepared_user_queries() == 1
    # One statement for everyone: another person's request uses it, and reads their roles.
    loaded = EmailPasswordBackend().get_user(other.pk)
    assert current_role_codes(loaded) == {RoleCode.DCO}
    assert prepared_user_queries() == 1
    # While queries are logged (DEBUG, query counts) the query is counted with its SQL: a
    # prepared statement's run has none for Django to log.
    with django_assert_num_queries(1) as captured:
        EmailPasswordBackend().get_user(other.pk)
    assert "role_codes_today" in captured.captured_queries[0]["sql"]
