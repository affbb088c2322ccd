"""On PostgreSQL every statement binds its parameters on the server, and psycopg prepares one
once a connection has run it a few times, so PostgreSQL stops planning what every page asks
again and again (send_portal/settings.py; docs/PERFORMANCE.md, seventh round). A prepared
statement is one plan for every person: each must still get their own rows."""

import pytest
from django.db import connection

from ehcp import selectors
from ehcp.tests.factories import ChildFactory, make_plan_waiting_for_sign_off
from roles.models import RoleCode
from tests.factories import LocalAreaFactory, person_holding


def prepared(text: str) -> int:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_prepared_statements WHERE statement LIKE %s",
            [f"%{text}%"],
        )
        return cursor.fetchone()[0]


@pytest.mark.django_db
def test_on_postgresql_the_queue_is_prepared_once_and_each_dmo_gets_their_own_areas():
    if connection.vendor != "postgresql":
        pytest.skip(
            "prepared statements are PostgreSQL's; set DATABASE_URL to a PostgreSQL database"
        )
    sunderland, gateshead = LocalAreaFactory(name="Sunderland"), LocalAreaFactory(name="Gateshead")
    theirs = {}
    for area in (sunderland, gateshead):
        plan = make_plan_waiting_for_sign_off(child=ChildFactory(area=area))
        theirs[area] = (person_holding(RoleCode.DMO, areas=[area]), plan.pk)

    def queue(area) -> list[int]:
        dmo, _ = theirs[area]
        return [plan.pk for plan in selectors.sign_off_queue(dmo)[:25]]

    assert prepared("waiting_version_hash") == 0
    for _ in range(6):  # psycopg prepares a statement once it has run 5 times on a connection
        assert queue(sunderland) == [theirs[sunderland][1]]
    assert prepared("waiting_version_hash") == 1
    # The same prepared statement serves another area's DMO, with their own plan only.
    assert queue(gateshead) == [theirs[gateshead][1]]
    assert prepared("waiting_version_hash") == 1
