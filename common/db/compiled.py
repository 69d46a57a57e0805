"""``compiled_rows``: a small read whose SQL the ORM writes once per process, not per request.

Django compiles a queryset into SQL each time it runs it. For the few small reads every page
of a kind makes, that costs more than the database's work: the ranking page's four first
questions as subqueries took Django 2 ms to compile and SQLite 0.03 ms to answer, and a
person's secretariat rights (two reads in a UNION) 0.4 ms against a few microseconds.

``compiled_rows(build, **values)`` calls ``build`` once per database vendor with a marker number
for each value, keeps the SQL and parameters Django wrote, and from then on runs that SQL with
the markers replaced by the request's values. The SQL is still the ORM's (the same models,
filters and lookups, quoted and parameterised by Django); only its compilation is shared.

Use it only for reads whose columns need no conversion from the database's types: integers,
booleans (``bool()`` them: SQLite answers 0 or 1) and nulls. Dates, decimals and JSON come
as the driver gives them, not as the model's fields would, so read those with the ORM.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db import connection
from django.db.models import QuerySet

# Numbers no row id takes: where a compiled statement takes a request's values.
_FIRST_MARKER = -7_310_000_001

_Statement = tuple[str, tuple[Any, ...], dict[int, str]]
_statements: dict[tuple[Callable[..., QuerySet[Any]], str], _Statement] = {}


def _compile(build: Callable[..., QuerySet[Any]], names: tuple[str, ...]) -> _Statement:
    markers = {name: _FIRST_MARKER - index for index, name in enumerate(names)}
    sql, params = build(**markers).query.sql_with_params()
    slots = {
        position: name
        for position, value in enumerate(params)
        for name, marker in markers.items()
        if value == marker and type(value) is int
    }
    if set(slots.values()) != set(names):
        raise ValueError(f"each value must appear in the statement once or more: {names}")
    return sql, tuple(params), slots


def compiled_rows(build: Callable[..., QuerySet[Any]], **values: int) -> list[tuple[Any, ...]]:
    """The rows of ``build(**values)`` (a ``values_list`` queryset), run from SQL compiled once
    per process and database vendor. ``build`` must be a module-level function (it is the
    cache's key) whose statement depends on the values only through query parameters."""
    key = (build, connection.vendor)
    statement = _statements.get(key)
    if statement is None:
        statement = _statements[key] = _compile(build, tuple(sorted(values)))
    sql, params, slots = statement
    arguments = [
        values[slots[position]] if position in slots else value
        for position, value in enumerate(params)
    ]
    with connection.cursor() as cursor:
        cursor.execute(sql, arguments)
        return list(cursor.fetchall())
