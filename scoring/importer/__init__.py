"""The bloc-year workbook contract (docs/import-format.md): past years' Excel records in.

``read`` turns a workbook into plain data and lists every problem (no database); ``write``
checks that data against the database and writes it in one transaction. The command
``import_bloc_year`` and the upload page both call ``import_bloc_year`` below.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.utils.translation import gettext as _

from blocs.models import User
from scoring.importer.contract import ImportFailed, Problem, Reading, WorkbookData
from scoring.importer.read import read_workbook
from scoring.importer.write import CouncilChoice, ImportResult, bloc_year_import, database_problems
from scoring.services.sheets import EntryErrors, SheetConflict

__all__ = [
    "CouncilChoice",
    "ImportFailed",
    "ImportResult",
    "Problem",
    "Reading",
    "WorkbookData",
    "import_bloc_year",
    "read_workbook",
]


def import_bloc_year(
    content: bytes, *, filename: str, choice: CouncilChoice, by: User | None
) -> ImportResult:
    """Read, check and write a bloc-year workbook.

    Raises ``ImportFailed`` with every problem (the workbook's and the database's together);
    then nothing was written.
    """
    reading = read_workbook(content, filename=filename)
    if reading.problems:
        _council, found = database_problems(reading.data, choice)
        raise ImportFailed([*reading.problems, *found])
    try:
        return bloc_year_import(data=reading.data, choice=choice, by=by, filename=filename)
    except (ValidationError, IntegrityError, EntryErrors, SheetConflict) as error:
        # The checks above should leave nothing for the services to refuse; if one still does
        # (a change made meanwhile by someone else), the transaction was rolled back.
        detail = "; ".join(error.messages) if isinstance(error, ValidationError) else str(error)
        raise ImportFailed(
            [
                Problem(
                    _("Không ghi được dữ liệu (%(detail)s); chưa có gì được ghi. Hãy thử lại.")
                    % {"detail": detail}
                )
            ]
        ) from error
