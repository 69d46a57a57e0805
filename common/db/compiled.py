"""``compiled_rows``: a read whose SQL the ORM writes once per process, not once per request.

Django compiles a queryset into SQL each time it runs it. For the small reads a hot page makes
on every request, that costs more than the database's work: the ranking page's four first
questions as subqueries took Django 2 ms to compile and SQLite 0.03 ms to answer, a person's
secretariat rights (two reads in a UNION) 0.4 ms against a few microseconds, and each of the
ranking's reads (criteria, members, rules, the sheets' parts) 0.2–0.4 ms.

``compiled_rows(build, **values)`` calls ``build`` once per database vendor with a marker number
in place of each value, keeps the SQL, parameters and column converters Django made for it, and
from then on runs that SQL with the markers replaced by the request's values, converting each
column as Django would (dates, decimals, JSON). The SQL is still the ORM's: the same models,
filters and lookups, quoted and parameterised by Django; only the compilation is shared.

``build`` returns a ``values_list`` queryset whose statement depends on the values only
through its parameters (no branch on a value). The rows come as tuples, in the order of the
``values_list`` names.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db import connection
from django.db.models import QuerySet

# Numbers no row id takes: where a compiled statement takes a request's values.
_FIRST_MARKER = -7_310_000_001

Build = Callable[..., QuerySet[Any, Any]]
# position → (converters, expression), as Django's SQLCompiler.get_converters gives them
Converters = dict[int, tuple[list[Callable[..., Any]], Any]]


class _Statement:
    __slots__ = ("converters", "params", "slots", "sql")

    def __init__(self, build: Build, names: tuple[str, ...]) -> None:
        markers = {name: _FIRST_MARKER - index for index, name in enumerate(names)}
        queryset = build(**markers)
        query = queryset.query
        selected = [*query.extra_select, *query.values_select, *query.annotation_select]
        if list(queryset._fields or ()) != selected:  # type: ignore[attr-defined]
            # values_list reorders columns it selected in another order: not done here.
            raise ValueError(f"name the columns in the order Django selects them: {selected}")
        compiler = query.get_compiler(connection=connection)
        self.sql, params = compiler.as_sql()
        self.params = tuple(params)
        fields = [column[0] for column in compiler.select[: compiler.col_count]]
        self.converters: Converters = compiler.get_converters(fields)
        self.slots = {
            position: name
            for position, value in enumerate(self.params)
            for name, marker in markers.items()
            if type(value) is int and value == marker
        }
        if set(self.slots.values()) != set(names):
            raise ValueError(f"each value must appear in the statement: {names}")


_statements: dict[tuple[Build, str], _Statement] = {}


def compiled_rows(build: Build, **values: int) -> list[tuple[Any, ...]]:
    """The rows of ``build(**values)`` (a ``values_list`` queryset), run from SQL compiled once
    per process and database vendor. ``build`` is the cache's key: a module-level function."""
    key = (build, connection.vendor)
    statement = _statements.get(key)
    if statement is None:
        statement = _statements[key] = _Statement(build, tuple(sorted(values)))
    arguments = [
        values[statement.slots[position]] if position in statement.slots else value
        for position, value in enumerate(statement.params)
    ]
    with connection.cursor() as cursor:
        cursor.execute(statement.sql, arguments)
        rows = cursor.fetchall()
    if not statement.converters:
        return list(rows)
    converted = []
    for row in rows:
        values_of_row = list(row)
        for position, (converters, expression) in statement.converters.items():
            value = values_of_row[position]
            for converter in converters:
                value = converter(value, expression, connection)
            values_of_row[position] = value
        converted.append(tuple(values_of_row))
    return converted
