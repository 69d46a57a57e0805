"""The database's side of the search: the same folding in SQL as in Python on both databases,
the PostgreSQL extensions, and their migration doing nothing on SQLite."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import pytest
from django.contrib.postgres.operations import UnaccentExtension
from django.db import OperationalError, connection
from django.db.migrations.state import ProjectState
from django.db.models import Value

from blocs.models import Unit
from common.db.extensions import Trigram, Unaccent
from common.search import Folded, fold
from tests.factories import UnitFactory
from tests.search.test_folding import VOWELS

pytestmark = pytest.mark.django_db

SAMPLES = [
    *(letter for letters in VOWELS.values() for letter in letters + letters.upper()),
    "đ",
    "Đ",
    "Sở Lao động - Thương binh và Xã hội",
    "Đài PT-TH Quảng Nam",
    "Ủy ban nhân dân tỉnh",
    "05/BC-KTĐ",
    "Nguyễn Thị Ngọc Hường",
]


def test_the_database_folds_text_as_python_does() -> None:
    """``Folded`` (lower(unaccent()) on PostgreSQL, thidua_fold on SQLite) agrees with ``fold``
    on every Vietnamese letter and on real names."""
    unit = UnitFactory.create()
    for sample in SAMPLES:
        in_sql = Unit.objects.filter(pk=unit.pk).values_list(Folded(Value(sample)), flat=True)
        assert in_sql.get() == fold(sample), sample


def test_a_name_column_folds_too() -> None:
    """A column with the Vietnamese collation, not only a literal."""
    unit = UnitFactory.create(name="Sở Giáo dục và Đào tạo")
    assert Unit.objects.filter(pk=unit.pk).values_list(Folded("name"), flat=True).get() == (
        "so giao duc va dao tao"
    )


@pytest.mark.postgres
def test_postgresql_has_the_search_extensions() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only")
    with connection.cursor() as cursor:
        cursor.execute("SELECT extname FROM pg_extension WHERE extname IN ('unaccent', 'pg_trgm')")
        assert {row[0] for row in cursor.fetchall()} == {"unaccent", "pg_trgm"}


def test_the_extensions_migration_does_nothing_on_sqlite() -> None:
    """Forwards and backwards; Django's own operation asks ``pg_extension`` going back, which
    SQLite has not."""
    if connection.vendor != "sqlite":
        pytest.skip("SQLite only")
    state = ProjectState()
    editor: Any = SimpleNamespace(connection=connection)  # all the operations read of it here
    for operation in (Unaccent(), Trigram()):
        operation.database_forwards("portal", editor, state, state)
        operation.database_backwards("portal", editor, state, state)
    with pytest.raises(OperationalError, match="pg_extension"):
        UnaccentExtension().database_backwards("portal", editor, state, state)
