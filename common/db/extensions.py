"""PostgreSQL extensions the search needs, as migration operations that do nothing on SQLite.

Django's ``CreateExtension`` skips other databases when it migrates forwards, but not when it
migrates backwards (it asks ``pg_extension``, which SQLite has not). These skip both ways.
``unaccent`` and ``pg_trgm`` are *trusted* extensions since PostgreSQL 13: the owner of the
database creates them without being a superuser (docs/deployment.md, docs/search.md).
"""

from __future__ import annotations

from typing import Any

from django.contrib.postgres.operations import TrigramExtension, UnaccentExtension


class _OnPostgreSQLOnly:
    def database_forwards(self, app_label: str, schema_editor: Any, *args: Any) -> None:
        if schema_editor.connection.vendor == "postgresql":
            super().database_forwards(app_label, schema_editor, *args)  # type: ignore[misc]

    def database_backwards(self, app_label: str, schema_editor: Any, *args: Any) -> None:
        if schema_editor.connection.vendor == "postgresql":
            super().database_backwards(app_label, schema_editor, *args)  # type: ignore[misc]


class Unaccent(_OnPostgreSQLOnly, UnaccentExtension):
    """``unaccent()``: text without its marks (đ → d included)."""


class Trigram(_OnPostgreSQLOnly, TrigramExtension):
    """``pg_trgm``: trigram similarity, for a query typed with a slip."""
