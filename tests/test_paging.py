"""Pages chosen on the ids alone, rows loaded after (send_portal/paging.py)."""

import pytest
from django.core.paginator import Paginator

from roles.models import Organisation
from send_portal.paging import page_by_ids, page_with_total

pytestmark = pytest.mark.django_db


@pytest.fixture
def organisations():
    # Created in an order different from the one the list sorts by.
    for name in ["Gateshead", "Sunderland", "Blyth", "Durham", "Alnwick", "Consett", "Ebchester"]:
        Organisation.objects.create(name=name, kind="provider")
    return Organisation.objects.order_by("name")


@pytest.mark.parametrize("number", [1, 2, 3, "2", "not a number", 99])
def test_each_page_is_the_one_paginator_gives_in_the_same_order(organisations, number):
    plain = Paginator(organisations, 3).get_page(number)
    by_ids = page_by_ids(organisations, number, 3)

    assert list(by_ids.object_list) == list(plain.object_list)
    assert (by_ids.number, by_ids.paginator.count) == (plain.number, plain.paginator.count)


def test_the_rows_are_loaded_in_one_query_after_the_count_and_the_ids(
    organisations, django_assert_num_queries
):
    with django_assert_num_queries(3):
        page = page_by_ids(organisations, 1, 3)
        names = [organisation.name for organisation in page.object_list]
    assert names == ["Alnwick", "Blyth", "Consett"]


def test_an_empty_list_gives_an_empty_first_page(django_assert_num_queries):
    with django_assert_num_queries(1):
        page = page_by_ids(Organisation.objects.order_by("name"), 1, 3)
    assert list(page.object_list) == [] and page.number == 1


def test_a_distinct_list_is_paged_as_it_is(organisations):
    distinct = organisations.filter(name__gte="C").distinct()
    page = page_by_ids(distinct, 1, 3)
    assert [o.name for o in page.object_list] == ["Consett", "Durham", "Ebchester"]
    assert page.paginator.count == 5


@pytest.mark.parametrize("number", [1, 2, 3])
def test_a_page_whose_total_came_with_its_rows_numbers_as_paginator_does(number):
    everything = list(range(7))
    plain = Paginator(everything, 3).page(number)

    page = page_with_total(list(plain.object_list), number, 3, total=7)

    assert list(page.object_list) == list(plain.object_list)
    assert (page.number, page.paginator.count, page.paginator.num_pages) == (number, 7, 3)
    assert (page.has_next(), page.has_previous()) == (plain.has_next(), plain.has_previous())
    assert (page.start_index(), page.end_index()) == (plain.start_index(), plain.end_index())


def test_a_page_with_its_total_runs_no_query(django_assert_num_queries):
    with django_assert_num_queries(0):
        page = page_with_total([], 1, 10, total=0)
        assert (page.paginator.num_pages, page.has_next()) == (1, False)
