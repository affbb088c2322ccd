"""Counts over several tables in one statement (send_portal/counts.py)."""

import pytest
from django.db.models import Count, Max, Q

from meetings.models import Action
from roles.models import Organisation
from send_portal.counts import Counts, read_together

pytestmark = pytest.mark.django_db


def organisations(**filters):
    return Counts(
        Organisation.objects.filter(**filters),
        {"all": Count("*"), "active": Count("pk", filter=Q(is_active=True))},
    )


def test_several_tables_are_read_in_one_statement(django_assert_num_queries):
    Organisation.objects.create(name="South Tyneside ICB", kind="icb", is_active=True)
    Organisation.objects.create(name="Old trust", kind="provider", is_active=False)
    with django_assert_num_queries(1):
        together = read_together(
            organisations(),
            Counts(Action.objects.all(), {"open": Count("*")}, shape=lambda c: c["open"]),
            organisations(kind="icb"),
        )
    assert together == [{"all": 2, "active": 1}, 0, {"all": 1, "active": 1}]


def test_together_gives_the_same_as_each_on_its_own():
    Organisation.objects.create(name="A", kind="icb", is_active=True)
    parts = [organisations(), organisations(kind="provider"), organisations(name="A")]
    assert read_together(*parts) == [part.read() for part in parts]


def test_a_table_with_no_matching_rows_counts_zero_rather_than_losing_the_row():
    assert read_together(organisations(name="nobody"), organisations()) == [
        {"all": 0, "active": 0},
        {"all": 0, "active": 0},
    ]


def test_values_travel_as_parameters_not_in_the_sql(django_assert_num_queries):
    quoted = "O'Brien'); DROP TABLE roles_organisation; --"
    Organisation.objects.create(name=quoted, kind="icb", is_active=True)
    assert read_together(organisations(name=quoted)) == [{"all": 1, "active": 1}]
    assert Organisation.objects.filter(name=quoted).exists()


def test_only_counts_can_be_read_together():
    with pytest.raises(TypeError, match="only Count"):
        Counts(Action.objects.all(), {"latest": Max("due_on")})


def test_nothing_asked_makes_no_query(django_assert_num_queries):
    with django_assert_num_queries(0):
        assert read_together() == []


def test_rows_are_counted_with_a_star_which_an_index_can_answer():
    with pytest.raises(TypeError, match='Count\\("\\*"\\)'):
        Counts(Action.objects.all(), {"open": Count("pk")})
    Counts(Action.objects.all(), {"open": Count("*"), "done": Count("pk", filter=Q(pk=1))})
