"""SQLite for the laptop demo and the test suite, with what Django's backend lacks:

* the Vietnamese collation that name columns declare (PostgreSQL has it from ICU);
* ``thidua_fold``, the search's folding of text without case and marks (PostgreSQL has
  ``unaccent``: common/search.py);
* the real limit on query parameters of SQLite ≥ 3.32 (32766, not Django's historical 999),
  so that a full score sheet is written in one statement, as on PostgreSQL.
"""

from __future__ import annotations

import sqlite3
from typing import Any

from django.db.backends.sqlite3 import base, features

from common.collation import VIETNAMESE, compare_vietnamese
from common.search import SQLITE_FUNCTION, fold_or_none


class DatabaseFeatures(features.DatabaseFeatures):
    max_query_params = 32766 if sqlite3.sqlite_version_info >= (3, 32) else 999


class DatabaseWrapper(base.DatabaseWrapper):
    features_class = DatabaseFeatures

    def get_new_connection(self, conn_params: Any) -> Any:
        connection = super().get_new_connection(conn_params)
        connection.create_collation(VIETNAMESE, compare_vietnamese)
        connection.create_function(SQLITE_FUNCTION, 1, fold_or_none, deterministic=True)
        return connection
