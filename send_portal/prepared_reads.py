"""Reads a page makes on every request, their SQL worked out once per process.

Django builds a queryset and compiles its SQL afresh each time the queryset runs: for the
plan page's reads by the plan's id that was about a fifth of the page's work, for SQL that
is the same on every request but for that id. A ``PreparedRead`` builds its queryset once,
with markers in the places of the values that vary, keeps the compiled SQL and, on each
call, runs that SQL with the real values. Django still builds the model instances (or the
rows of ``values()``) from what is read (the related objects of ``select_related``, the
fields of ``only``, the annotations), exactly as for the queryset itself.

The values are whole numbers (records' ids), checked as such: each one a single number, or
a tuple of them (the ids of an ``__in`` lookup, such as a person's local areas). The SQL
is kept for each shape of the values (how many ids each tuple holds) and each set of
``literals``: what Django writes into the SQL itself rather than passing as a parameter
(a page's ``LIMIT`` and ``OFFSET``), given by keyword and handed to ``build`` as they are.

The queryset must depend on nothing but its values and literals: anything else it reads
when it is built (today's date, a setting, the person asking) would be kept from the first
call.
"""

from __future__ import annotations

import copy
import operator
from collections.abc import Callable, Hashable

from django.core.exceptions import EmptyResultSet
from django.db import connections
from django.db.models import QuerySet

# The values no record's id takes, put in the values' places when the SQL is compiled (the
# n-th value's is ``_MARKER - n``), then found again among the compiled parameters. Within
# a 32-bit integer: a value out of its field's range is dropped by Django from the SQL (as
# matching nothing), so would not be found.
_MARKER = -1_987_654_321

#: Shapes kept per read: each tuple's length and each set of literals (a page of a list)
#: compiles its own SQL. Bounded: emptied when full.
SHAPES_KEPT = 256

# What a shape whose queryset matches nothing whatever its values is kept as: an empty
# ``__in`` (someone who reaches no local area) is decided by Django before any SQL.
_NOTHING = object()


def _whole_numbers(value) -> int | tuple[int, ...]:
    if isinstance(value, tuple):
        return tuple(operator.index(item) for item in value)
    return operator.index(value)


class PreparedRead:
    """``build(*values, **literals)`` is a queryset of one shape for values of one shape;
    ``read(*values, **literals)`` is the list it returns, from the database Django's router
    chooses for it."""

    def __init__(self, build: Callable[..., QuerySet]):
        self._build = build
        # For each shape: the queryset built with markers, a compiler that has compiled it,
        # its SQL, its parameters, and where each value goes among them; or ``_NOTHING``.
        self._compiled: dict[Hashable, tuple | object] = {}

    def _compile(self, values: tuple, literals: dict) -> tuple | object:
        slot = 0
        markers = []
        for value in values:
            if isinstance(value, tuple):
                markers.append(tuple(_MARKER - n for n in range(slot, slot + len(value))))
                slot += len(value)
            else:
                markers.append(_MARKER - slot)
                slot += 1
        queryset = self._build(*markers, **literals)
        compiler = queryset.query.get_compiler(using=queryset.db)
        try:
            sql, params = compiler.as_sql()
        except EmptyResultSet:
            return _NOTHING
        # The driver may have wrapped a value in a type of its own (psycopg's Int8 for a
        # big integer's column): the value put in its place is wrapped the same way.
        positions = tuple(
            (n, type(param), _MARKER - param)
            for n, param in enumerate(params)
            if isinstance(param, int) and _MARKER - slot < param <= _MARKER
        )
        if {place for _n, _type, place in positions} != set(range(slot)):
            raise ValueError("The read's queryset does not use its value (or one of its values).")
        return (queryset, compiler, sql, tuple(params), positions)

    def read(self, *values, **literals) -> list:
        values = tuple(_whole_numbers(value) for value in values)
        shape = (
            tuple(len(value) if isinstance(value, tuple) else None for value in values),
            tuple(sorted(literals.items())),
        )
        compiled = self._compiled.get(shape)
        if compiled is None:
            compiled = self._compile(values, literals)
            if len(self._compiled) >= SHAPES_KEPT:
                self._compiled.clear()
            self._compiled[shape] = compiled
        if compiled is _NOTHING:
            return []
        queryset, compiler, sql, params, positions = compiled
        flat = [
            item for value in values for item in (value if isinstance(value, tuple) else (value,))
        ]
        params = list(params)
        for position, wrapped, place in positions:
            params[position] = wrapped(flat[place])
        # A copy of the compiler that answers with the kept SQL and these values, on this
        # thread's connection: Django's iteration over the queryset (which asks the query
        # for its compiler, runs it, then builds the instances from what the compiler
        # selected) does the rest.
        runner = copy.copy(compiler)
        runner.connection = connections[queryset.db]
        runner.as_sql = lambda *args, **kwargs: (sql, params)
        fresh = queryset.all()
        fresh.query.get_compiler = lambda *args, **kwargs: runner
        return list(fresh)
