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

Formats (``RENDERERS``): XLSX has typed cells (numbers, dates, booleans, texts that are never
formulas), the easiest for people; the CSV for Excel (Việt Nam) (``excel.csv``) is UTF-8 with a
byte-order mark, ';' separator, amounts with a bare decimal comma (``95,50``) and Vietnamese
headers (``glossary``), what Excel set to Vietnamese opens as numbers by double-click; the CSV
for programs (``csv``) is RFC 4180: UTF-8 without a byte-order mark, ',' separator, a decimal
point, the English names; JSON keeps amounts as strings with a dot (``"95.50"``) so that no
decimal is lost. Dates are ``yyyy-mm-dd`` and every text cell of a CSV is guarded by
``csv_safe``.

The package: ``datasets`` (the columns), ``organisation``, ``results`` and ``units`` (the rows,
from the public pages' selectors), ``formats`` (XLSX, the two CSV, JSON) and ``glossary`` (the
columns explained in Vietnamese: the Excel headers and the open-data page).
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
from portal.opendata.formats import (
    EXCEL_CSV,
    FORMATS,
    RENDERERS,
    to_csv,
    to_excel_csv,
    to_json,
    to_xlsx,
)
from portal.opendata.glossary import GLOSSARY, TYPE_LABELS, DocumentedDataset, documented
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
    "EXCEL_CSV",
    "FORMATS",
    "GLOSSARY",
    "INTEGER",
    "RENDERERS",
    "STRING",
    "TYPE_LABELS",
    "UNIT_AWARDS",
    "UNIT_RESULTS",
    "Column",
    "Dataset",
    "DocumentedDataset",
    "PublicResults",
    "Table",
    "UnitHistoryRow",
    "awards_table",
    "bloc_members_table",
    "bloc_year_members_table",
    "council_blocs_table",
    "documented",
    "public_results",
    "ranking_table",
    "results_public",
    "to_csv",
    "to_excel_csv",
    "to_json",
    "to_xlsx",
    "unit_awards",
    "unit_awards_table",
    "unit_history",
    "unit_results_table",
]
