"""Reads a page makes on every request, their SQL worked out once per process.

Django builds a queryset and compiles its SQL afresh each time the queryset runs: for the
plan page's reads by the plan's id that was about a fifth of the page's work, for SQL that
is the same on every request but for that id. A ``PreparedRead`` builds its queryset once,
with a marker in the place of the one value that varies, keeps the
compiled SQL and, on each call, runs that SQL with the real value. Django still builds the
model instances from the rows (the related objects of ``select_related``, the fields of
``only``, the annotations), exactly as for the queryset itself.

The queryset must depend on nothing but the value: anything else it reads when it is built
(today's date, a setting, the person asking) would be kept from the first call. The value
is a whole number (a record's id), checked as one.
"""

from __future__ import annotations

import copy
import operator
from collections.abc import Callable

from django.db import connections
from django.db.models import QuerySet

# A value no record's id takes, put in the value's place when the SQL is compiled, then
# found again among the compiled parameters. Within a 32-bit integer: a value out of its
# field's range is dropped by Django from the SQL (as matching nothing), so would not be found.
_MARKER = -1_987_654_321


class PreparedRead:
    """``build(value)`` is a queryset of one shape whatever ``value`` is; ``read(value)`` is
    the list it returns, from the database Django's router chooses for it."""

    def __init__(self, build: Callable[[int], QuerySet]):
        self._build = build
        # (the queryset built with the marker, a compiler that has compiled it, its SQL, its
        # parameters, where the marker is among them), from the first read on.
        self._compiled: tuple | None = None

    def _compile(self) -> tuple:
        queryset = self._build(_MARKER)
        compiler = queryset.query.get_compiler(using=queryset.db)
        sql, params = compiler.as_sql()
        # The driver may have wrapped the value in a type of its own (psycopg's Int8 for a
        # big integer's column): the value put in its place is wrapped the same way.
        positions = tuple(
            (n, type(param))
            for n, param in enumerate(params)
            if isinstance(param, int) and param == _MARKER
        )
        if not positions:
            raise ValueError("The read's queryset does not use its value.")
        self._compiled = (queryset, compiler, sql, tuple(params), positions)
        return self._compiled

    def read(self, value: int) -> list:
        value = operator.index(value)
        queryset, compiler, sql, params, positions = self._compiled or self._compile()
        params = list(params)
        for position, wrapped in positions:
            params[position] = wrapped(value)
        # A copy of the compiler that answers with the kept SQL and this value, on this
        # thread's connection: Django's iteration over the queryset (which asks the query
        # for its compiler, runs it, then builds the instances from what the compiler
        # selected) does the rest.
        runner = copy.copy(compiler)
        runner.connection = connections[queryset.db]
        runner.as_sql = lambda *args, **kwargs: (sql, params)
        fresh = queryset.all()
        fresh.query.get_compiler = lambda *args, **kwargs: runner
        return list(fresh)
