"""Counts over several tables in one round trip to the database.

The commissioner report asks a dozen small questions of different tables, each a
single row of counts (advice returned in time, plans issued, escalations open, annual
reviews overdue, actions done...). Asked one by one, each is a round trip of its own;
``read_together`` asks them in one statement, a cross join of one-row derived tables:

    SELECT * FROM (SELECT COUNT(...) ... FROM a WHERE ...) part0
             CROSS JOIN (SELECT COUNT(...) ... FROM b WHERE ...) part1 ...

Each derived table keeps its own plan (its own indexes), so nothing is slower than
asking separately; an aggregate with no GROUP BY always gives exactly one row, so an
empty table gives zeros, not an empty answer.

A ``Counts`` is the question: a queryset and the named ``Count`` aggregates to take
over it, with ``shape`` turning the answer into what the caller returns. ``read()``
asks it on its own (``QuerySet.aggregate``), which the apps' single-period selectors do.
Only ``Count`` is allowed: the raw cursor used here applies none of Django's value
converters, which counts (plain integers in every database) do not need. Rows are counted
with ``Count("*")``, never an unfiltered ``Count("pk")``: ``COUNT(id)`` makes PostgreSQL fetch every
counted row from the table to see its id is not null, where ``COUNT(*)`` can be answered
from an index alone (the DMO's plans waiting for sign-off at scale 100: 12.6 ms against
1.2 ms).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from django.db import connections
from django.db.models import Count, F, QuerySet, Value


@dataclass(frozen=True)
class Counts:
    rows: QuerySet
    counts: Mapping[str, Count]
    shape: Callable[[dict[str, int]], Any] = dict

    def __post_init__(self):
        for name, aggregate in self.counts.items():
            if not isinstance(aggregate, Count):
                raise TypeError(f"{name}: only Count aggregates can be read together")
            counted = aggregate.get_source_expressions()[0]
            # (Django refuses Count("*") with a filter: a filtered count reads the table
            # for its condition anyway.)
            if aggregate.filter is None and isinstance(counted, F) and counted.name in {"pk", "id"}:
                raise TypeError(
                    f'{name}: count rows with Count("*"), which an index can answer alone'
                )

    def read(self) -> Any:
        """The counts on their own: one query."""
        return self.shape(self.rows.aggregate(**self.counts))

    def read_by(self, field: str) -> dict[Any, Any]:
        """The counts for each value of ``field`` (a local area's id, on the ICB's page),
        shaped: one query, grouped, whatever the number of values. A value no row has is
        missing: ``zeros()`` stands for it."""
        # Prefixed: a count's name may be a field's ("referrals"), which annotate refuses.
        named = {f"n_{name}": aggregate for name, aggregate in self.counts.items()}
        found = {}
        for row in self.rows.order_by().values(field).annotate(**named):
            found[row[field]] = self.shape({name: row[f"n_{name}"] for name in self.counts})
        return found

    def zeros(self) -> Any:
        """The shaped counts of no rows at all."""
        return self.shape(dict.fromkeys(self.counts, 0))

    def _sql(self, prefix: str, connection) -> tuple[str, tuple]:
        # A constant to group by: Django leaves constants out of GROUP BY, so the
        # aggregate has none and gives one row even when no row matches.
        named = {f"{prefix}{name}": aggregate for name, aggregate in self.counts.items()}
        query = (
            self.rows.order_by()
            .annotate(one_row=Value(1))
            .values("one_row")
            .annotate(**named)
            .values(*named)
        )
        return query.query.get_compiler(connection=connection).as_sql()


def read_together(*parts: Counts, using: str = "default") -> list[Any]:
    """Each part's shaped counts, in the order given, from a single SQL statement."""
    if not parts:
        return []
    connection = connections[using]
    tables, params = [], []
    for index, part in enumerate(parts):
        sql, part_params = part._sql(f"c{index}_", connection)
        tables.append(f"({sql}) {connection.ops.quote_name(f'part{index}')}")
        params.extend(part_params)
    # Only SQL that Django compiled is joined here; every value travels as a parameter.
    statement = "SELECT * FROM " + " CROSS JOIN ".join(tables)  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute(statement, params)
        names = [column[0] for column in cursor.description]
        row = dict(zip(names, cursor.fetchone(), strict=True))
    return [
        part.shape({name: row[f"c{index}_{name}"] for name in part.counts})
        for index, part in enumerate(parts)
    ]
