"""Upgrading a one-area database to local areas loses nothing: a database at the schema before
local areas, holding people, their assignments and a child with an assessment and a plan, is
migrated forward; afterwards one area holds every child, the area-bound assignments cover it,
and every count is what it was. Run on SQLite and, with DATABASE_URL, on PostgreSQL."""

import datetime

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.test import override_settings

from roles.models import UNNAMED_AREA, UNNAMED_ICB

#: The migrations that bring local areas; the schema before them is where the test starts.
LOCAL_AREA_MIGRATIONS = {
    ("roles", "0004_local_areas"),
    ("roles", "0005_one_local_area"),
    ("ehcp", "0015_child_area"),
    ("ehcp", "0016_children_in_the_upgrade_area"),
    ("ehcp", "0017_child_area_required"),
}
TODAY = datetime.date(2026, 11, 2)


#: The settings of a deployment upgraded into one named area (README, "Settings").
SUNDERLAND = {
    "LOCAL_AREA_NAME": "Sunderland",
    "LOCAL_AREA_CODE": "E08000024",
    "LOCAL_AREA_COUNCIL": "Sunderland City Council",
    "ICB_NAME": "NHS North East and North Cumbria Integrated Care Board",
    "ICB_CODE": "E54000050",
}


def before_local_areas() -> list[tuple[str, str]]:
    """The leaf of each app's migrations with the local-area migrations (and any that came
    after them) taken off: each app's last migration before them."""
    graph = MigrationExecutor(connection).loader.graph
    after = set()
    for node in LOCAL_AREA_MIGRATIONS:
        after |= set(graph.backwards_plan(node))
    targets = []
    for app in {app for app, _ in graph.leaf_nodes()}:
        remaining = [node for node in graph.nodes if node[0] == app and node not in after]
        leaves = [
            n for n in remaining if not any(c in remaining for c in graph.node_map[n].children)
        ]
        targets.extend(leaves or [(app, None)])
    return targets


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    # (app, None) is an app all of whose migrations came after (security's federated sign-in):
    # unapplied above, and no node of the graph to take the models' state at.
    return executor.loader.project_state([t for t in targets if t[1] is not None]).apps


def latest():
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())
    return executor.loader.project_state(executor.loader.graph.leaf_nodes()).apps


def populate(old) -> dict:
    """People, their assignments and children as an existing one-area portal holds them."""
    User = old.get_model("roles", "User")
    Organisation = old.get_model("roles", "Organisation")
    Role = old.get_model("roles", "Role")
    RoleAssignment = old.get_model("roles", "RoleAssignment")
    Child = old.get_model("ehcp", "Child")
    Assessment = old.get_model("ehcp", "Assessment")
    Plan = old.get_model("ehcp", "Plan")
    trust = Organisation.objects.create(name="A Foundation Trust", kind="nhs-trust")
    council = Organisation.objects.create(name="A Council", kind="council")
    people = {}
    for code, organisation, ends_on in (
        ("dmo", trust, None),
        ("dco", trust, None),
        ("send-officer", council, None),
        ("commissioner", trust, None),
        ("health-professional", trust, None),
        ("administrator", council, None),
        ("dco", trust, TODAY - datetime.timedelta(days=400)),  # a DCO who left
    ):
        user = User.objects.create(email=f"{code}-{len(people)}@nhs.test", full_name=code)
        people[user.pk] = RoleAssignment.objects.create(
            user=user,
            role=Role.objects.get(code=code),
            organisation=organisation,
            starts_on=TODAY - datetime.timedelta(days=800),
            ends_on=ends_on,
        )
    for n in range(3):
        child = Child.objects.create(
            first_name=f"Child{n}",
            last_name="Upgrade",
            date_of_birth=datetime.date(2018, 1, 1),
            primary_need="ASD",
        )
        assessment = Assessment.objects.create(
            child=child,
            requested_on=TODAY,
            decision_due=TODAY + datetime.timedelta(weeks=6),
            final_plan_due=TODAY + datetime.timedelta(weeks=20),
        )
        Plan.objects.create(assessment=assessment, section_c=f"Needs {n}")
    return {
        label: old.get_model(*label.split(".")).objects.count()
        for label in (
            "roles.User",
            "roles.RoleAssignment",
            "ehcp.Child",
            "ehcp.Assessment",
            "ehcp.Plan",
        )
    }


def assert_upgraded(new, counts):
    LocalArea = new.get_model("roles", "LocalArea")
    RoleAssignment = new.get_model("roles", "RoleAssignment")
    Child = new.get_model("ehcp", "Child")
    assert LocalArea.objects.count() == 1
    area = LocalArea.objects.get()
    assert {
        label: new.get_model(*label.split(".")).objects.count() for label in counts
    } == counts, "nothing lost"
    assert set(Child.objects.values_list("area_id", flat=True)) == {area.pk}
    bound = RoleAssignment.objects.exclude(role__code__in=["administrator", "health-professional"])
    assert bound.exists()
    for assignment in bound:
        assert list(assignment.areas.values_list("pk", flat=True)) == [area.pk], assignment.role
    # The roles whose reach is not by area name none.
    free = RoleAssignment.objects.filter(role__code__in=["administrator", "health-professional"])
    assert free.count() == 2
    assert not any(a.areas.exists() for a in free)
    return area


@pytest.mark.django_db(transaction=True)
@override_settings(**SUNDERLAND)
def test_a_one_area_database_becomes_the_area_the_settings_name():
    try:
        counts = populate(migrate(before_local_areas()))
        area = assert_upgraded(latest(), counts)
        assert (area.name, area.code, area.council_name) == (
            "Sunderland",
            "E08000024",
            "Sunderland City Council",
        )
        assert (area.icb.name, area.icb.code) == (
            "NHS North East and North Cumbria Integrated Care Board",
            "E54000050",
        )
    finally:
        latest()


@pytest.mark.django_db(transaction=True)
@override_settings(LOCAL_AREA_CODE="", ICB_NAME="", ICB_CODE="")
def test_without_settings_the_area_is_flagged_and_no_code_is_invented():
    try:
        counts = populate(migrate(before_local_areas()))
        area = assert_upgraded(latest(), counts)
        assert (area.name, area.code) == (UNNAMED_AREA, "")
        assert (area.icb.name, area.icb.code) == (UNNAMED_ICB, "")
    finally:
        latest()


@pytest.mark.django_db(transaction=True)
@override_settings(LOCAL_AREA_CODE="E10000001")
def test_a_code_of_the_wrong_pattern_stops_the_upgrade_with_a_clear_message():
    from django.core.exceptions import ImproperlyConfigured

    try:
        populate(migrate(before_local_areas()))
        with pytest.raises(ImproperlyConfigured, match="LOCAL_AREA_CODE 'E10000001'"):
            latest()
    finally:
        with override_settings(LOCAL_AREA_CODE=""):
            latest()


@pytest.mark.django_db(transaction=True)
def test_a_fresh_database_gets_no_invented_area():
    try:
        migrate(before_local_areas())
        new = latest()
        assert not new.get_model("roles", "LocalArea").objects.exists()
    finally:
        latest()
