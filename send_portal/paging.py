"""Pages of long worklists whose rows are wide: the page is chosen on the ids alone.

Sorting and counting a worklist joined to its plans and children makes the database
join every matching row (a region has tens of thousands) before keeping 25. Here it
counts and orders the narrow rows, takes the 25 ids of the page, then loads those 25
rows with everything they join (one query more, a few rows wide).
"""

from __future__ import annotations

from django.core.paginator import Page, Paginator
from django.db.models import QuerySet

from send_portal.forms import whole_number


def page_by_ids(ordered: QuerySet, number, per_page: int) -> Page:
    """Page ``number`` of ``ordered`` (a queryset with its order_by), as Paginator.get_page
    gives it, its rows loaded with ``ordered``'s select_related and annotations."""
    if ordered.query.distinct:
        # SELECT DISTINCT of the ids alone could not be ordered by the other columns.
        return Paginator(ordered, per_page).get_page(number)
    page = Paginator(ordered.values_list("pk", flat=True), per_page).get_page(number)
    ids = list(page.object_list)
    rows = {row.pk: row for row in ordered.filter(pk__in=ids)} if ids else {}
    page.object_list = [rows[pk] for pk in ids if pk in rows]
    return page


#: More pages than any list of the portal has; a larger ``?page=`` is no page number.
MAX_PAGE = 1_000_000


def requested_page(request, default: int = 1) -> int:
    """The page number a list's ``?page=`` asks for, from 1 to ``MAX_PAGE``; ``default``
    for anything else (letters, "²", 99999999999999999999, which would take the database
    past its largest OFFSET: "bigint out of range" on PostgreSQL)."""
    return whole_number(request.GET.get("page"), default=default, low=1, high=MAX_PAGE)


def page_with_total(rows: list, number: int, per_page: int, total: int) -> Page:
    """Page ``number`` of a list whose ``rows`` were fetched already (one page of them,
    ``per_page`` at most) and whose ``total`` came with them, such as a window count on
    each row: the Page that Paginator would give, without a second query to count.

    ``number`` is taken as asked (no clamping to the last page, unlike get_page): the
    caller sees an empty page past the end and chooses where to send the reader.
    """
    paginator = Paginator([], per_page)
    # Paginator.count is a cached_property: setting it spares the COUNT(*) that the empty
    # list stands in for, and the page numbers come from the real total.
    paginator.count = total
    return Page(rows, number, paginator)
