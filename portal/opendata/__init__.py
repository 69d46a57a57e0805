"""Open data: every public table of the site, defined once and served as CSV, XLSX and JSON.

Each dataset has a fixed list of columns with stable English ``snake_case`` names (the contract
documented in ``docs/open-data.md``; ``tests/public/test_open_data.py`` lists them exactly).
Its rows come from the same selectors as the public pages, so a file never says more than the
page does:

* the organisation (councils' blocs, members, heads and deputies) is public;
* a bloc-year's ranking and its decided awards are public once its results are finally
  published (``scoring.access.PUBLISHED_STATES``), read from the latest frozen snapshot;
* a unit's history lists every year it (or a unit that became it through a merger or rename)
  was a member, with the rank, total and band only of the years whose results are public.

Open data is the same for everybody: a logged-in member who may see a provisional ranking finds
it on the ranking page, never in these files.

Formats (``render``): CSV is UTF-8 with a byte-order mark for Excel, amounts with a decimal
comma (``95,50``) as the project's other CSV files, dates ``yyyy-mm-dd``, booleans
``true``/``false``, and every text cell guarded by ``csv_safe``; XLSX has typed cells (numbers,
dates, booleans, texts that are never formulas); JSON keeps amounts as strings with a dot
(``"95.50"``) so that no decimal is lost, dates as ``"yyyy-mm-dd"``, and ``null`` for empty.

The package: ``datasets`` (the columns), ``organisation``, ``results`` and ``units`` (the rows,
from the public pages' selectors) and ``formats`` (CSV, XLSX, JSON).
"""

from __future__ import annotations

from portal.opendata.datasets import (
    BLOC_MEMBERS,
    BLOC_YEAR_AWARDS,
    BLOC_YEAR_RANKING,
    BOOLEAN,
    COUNCIL_BLOCS,
    DATASETS,
    DATE,
    DECIMAL,
    INTEGER,
    STRING,
    UNIT_AWARDS,
    UNIT_RESULTS,
    Column,
    Dataset,
    Table,
    results_public,
)
from portal.opendata.formats import FORMATS, RENDERERS, to_csv, to_json, to_xlsx
from portal.opendata.organisation import (
    bloc_members_table,
    bloc_year_members_table,
    council_blocs_table,
)
from portal.opendata.results import PublicResults, awards_table, public_results, ranking_table
from portal.opendata.units import (
    UnitHistoryRow,
    unit_awards,
    unit_awards_table,
    unit_history,
    unit_results_table,
)

__all__ = [
    "BLOC_MEMBERS",
    "BLOC_YEAR_AWARDS",
    "BLOC_YEAR_RANKING",
    "BOOLEAN",
    "COUNCIL_BLOCS",
    "DATASETS",
    "DATE",
    "DECIMAL",
    "FORMATS",
    "INTEGER",
    "RENDERERS",
    "STRING",
    "UNIT_AWARDS",
    "UNIT_RESULTS",
    "Column",
    "Dataset",
    "PublicResults",
    "Table",
    "UnitHistoryRow",
    "awards_table",
    "bloc_members_table",
    "bloc_year_members_table",
    "council_blocs_table",
    "public_results",
    "ranking_table",
    "results_public",
    "to_csv",
    "to_json",
    "to_xlsx",
    "unit_awards",
    "unit_awards_table",
    "unit_history",
    "unit_results_table",
]
