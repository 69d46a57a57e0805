"""``update_rows``: Django's ``bulk_update`` without its per-row expression objects.

A whole-sheet save changes every line of the sheet. ``QuerySet.bulk_update`` writes them in
one statement, but builds a ``Case(When(pk=…, then=Value(…)))`` object per row and column and
resolves each one: for 80 lines and 4 columns that was half of the save's time. This writes the
same statement (``UPDATE … SET column = CASE id WHEN … THEN … END … WHERE id IN (…)``) as a
string with parameters, in batches of the size the database allows, and casts the values as
Django does on the databases that need it (PostgreSQL).

It skips what ``bulk_update`` would also skip (signals, ``save()``) and, unlike it, takes only
plain concrete fields of the model's own table: no expressions as values, no multi-table
inheritance. Use it inside the caller's transaction.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db import connections, models


def update_rows(
    objects: Sequence[models.Model], fields: Sequence[str], using: str = "default"
) -> int:
    """Write ``fields`` of ``objects`` (instances of one model, saved before) in as few
    statements as the database allows; returns the number of rows updated."""
    if not objects or not fields:
        return 0
    connection = connections[using]
    meta = type(objects[0])._meta
    quote = connection.ops.quote_name
    pk_column = quote(meta.pk.column)
    concrete: list[models.Field[Any, Any]] = []
    for name in fields:
        field = meta.get_field(name)
        if (
            not isinstance(field, models.Field)
            or not field.concrete
            or field.primary_key
            or field.model is not type(objects[0])
            or field.column is None
        ):
            raise ValueError(f"update_rows cannot write {meta.label}.{name}")
        concrete.append(field)
    # The type Django casts to in its own CASE updates (not in django-stubs).
    casts = [
        f"CAST(%s AS {field.cast_db_type(connection)})"  # type: ignore[attr-defined]
        if connection.features.requires_casted_case_in_updates
        else "%s"
        for field in concrete
    ]
    # Each row takes two parameters per column (its key and value) and one in the IN list.
    batch = max(1, connection.ops.bulk_batch_size([meta.pk] * (2 * len(concrete) + 1), objects))
    updated = 0
    with connection.cursor() as cursor:
        for start in range(0, len(objects), batch):
            chunk = objects[start : start + batch]
            keys = [meta.pk.get_db_prep_value(item.pk, connection) for item in chunk]
            assignments, params = [], []
            for field, cast in zip(concrete, casts, strict=True):
                branches = " ".join([f"WHEN %s THEN {cast}"] * len(chunk))
                assignments.append(f"{quote(str(field.column))} = CASE {pk_column} {branches} END")
                for key, item in zip(keys, chunk, strict=True):
                    params += [
                        key,
                        field.get_db_prep_save(getattr(item, field.attname), connection),
                    ]
            placeholders = ", ".join(["%s"] * len(chunk))
            cursor.execute(
                f"UPDATE {quote(meta.db_table)} SET {', '.join(assignments)} "
                f"WHERE {pk_column} IN ({placeholders})",
                [*params, *keys],
            )
            updated += cursor.rowcount
    return updated
