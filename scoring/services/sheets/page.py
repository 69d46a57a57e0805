"""One press of a button on the sheet page: everything typed kept (the column, the questions
to the unit as drafts, the evidence files), then the button's own step, all or nothing."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import TypeVar

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.translation import gettext as _

from blocs.models import User
from scoring import locks
from scoring.models import ExplanationRequest, ScoreLine, ScoreSheet
from scoring.services import evidence
from scoring.services.sheets.entries import Layer, LineEntry, StateError
from scoring.services.sheets.saving import sheet_lines, write_column

T = TypeVar("T")


class UploadErrors(Exception):
    """Some evidence files chosen in the grid cannot be kept; nothing was written.
    ``by_criterion`` maps criterion ids to the reason."""

    def __init__(self, by_criterion: Mapping[int, str]) -> None:
        self.by_criterion = dict(by_criterion)
        super().__init__("; ".join(self.by_criterion.values()))


@dataclass
class PageSave:
    """What one press of a button on the sheet page kept, before its own step."""

    changed: int = 0  # lines whose points, note or reason changed
    questions: int = 0  # questions to the unit written or changed (not yet sent)
    questions_removed: int = 0
    files: int = 0  # evidence files added


@transaction.atomic
def sheet_page_save(
    *,
    sheet: ScoreSheet,
    layer: Layer | None,
    entries: Mapping[int, LineEntry],
    version: int,
    by: User | None,
    on_behalf: bool = False,
    lines: dict[int, ScoreLine] | None = None,
    questions: Mapping[int, str] | None = None,
    uploads: Mapping[int, Sequence[UploadedFile]] | None = None,
    then: Callable[[], T] | None = None,
) -> tuple[PageSave, T | None]:
    """Keep everything typed on the sheet page, then take the pressed button's own step
    (``then``), all or nothing: the column's values, the questions to the unit as drafts, the
    evidence files chosen in the rows. Every file is checked before any is stored
    (``UploadErrors``). Without a ``layer`` (the person edits no line) only the step runs."""
    saved = PageSave()
    if layer is not None:
        if lines is None:
            lines = sheet_lines(sheet)
        if uploads:
            problems = {}
            for criterion_id, files in uploads.items():
                try:
                    evidence.evidence_check(line=lines[criterion_id], uploads=files)
                except ValidationError as error:
                    problems[criterion_id] = " ".join(error.messages)
            if problems:
                raise UploadErrors(problems)
        saved.changed = write_column(
            sheet=sheet,
            layer=layer,
            entries=entries,
            version=version,
            by=by,
            on_behalf=on_behalf,
            lines=lines,
        ).changed
        if questions:
            saved.questions, saved.questions_removed = explanation_drafts_save(
                sheet=sheet, questions=questions, by=by
            )
        for criterion_id, files in (uploads or {}).items():
            for upload in files:
                evidence.evidence_add(line=lines[criterion_id], upload=upload, by=by)
                saved.files += 1
    return saved, then() if then is not None else None


@transaction.atomic
def explanation_drafts_save(
    *, sheet: ScoreSheet, questions: Mapping[int, str], by: User | None
) -> tuple[int, int]:
    """Keep the questions the secretariat typed in the grid (criterion id → text) as drafts,
    not yet sent: one per line, a blank text removes the line's draft. Returns how many
    drafts were written (or changed) and how many removed. The unit sees them only once they
    are sent."""
    # The sheet's row before its questions' rows (scoring/locks.py); already held inside
    # ``sheet_page_save`` and ``sheet_return_for_explanation``. Without it, a draft's row taken
    # before the sheet's deadlocked with a page save of the same question, and two saves of one
    # line's question at once both added a draft (the drafts are read after the lock).
    locks.lock_sheet(sheet.pk)
    if ScoreSheet.objects.filter(pk=sheet.pk, state=ScoreSheet.State.SUBMITTED).count() == 0:
        raise StateError(_("Chỉ ghi câu hỏi giải trình khi bảng điểm đang chờ thẩm định."))
    lines = sheet_lines(sheet)
    unknown = [criterion_id for criterion_id in questions if criterion_id not in lines]
    if unknown:
        raise StateError(_("Tiêu chí không có trong bảng điểm."))
    drafts = {
        request.line.criterion_id: request
        for request in ExplanationRequest.objects.filter(
            line__sheet=sheet, status=ExplanationRequest.Status.DRAFT
        ).select_related("line")
    }
    create, update, remove = [], [], []
    for criterion_id, typed in questions.items():
        text = typed.strip()
        draft = drafts.get(criterion_id)
        if draft is None and text:
            create.append(
                ExplanationRequest(
                    line=lines[criterion_id],
                    question=text,
                    asked_by=by,
                    status=ExplanationRequest.Status.DRAFT,
                )
            )
        elif draft is not None and not text:
            remove.append(draft.pk)
        elif draft is not None and draft.question != text:
            draft.question, draft.asked_by = text, by
            update.append(draft)
    ExplanationRequest.objects.bulk_create(create)
    ExplanationRequest.objects.bulk_update(update, ["question", "asked_by"])
    ExplanationRequest.objects.filter(pk__in=remove).delete()
    return len(create) + len(update), len(remove)


@transaction.atomic
def answer_drafts_save(*, sheet: ScoreSheet, answers: Mapping[int, str], by: User | None) -> int:
    """Keep the answers the unit typed (explanation id → text) as drafts, not sent, when it
    leaves the sheet page for a line's page (docs/scoring.md, "One screen that cannot lose
    input"): only on open questions of this sheet; returns how many changed. The secretariat
    never sees a draft; answering sends the texts typed then and empties the drafts."""
    locks.lock_sheet(sheet.pk)  # the sheet's row before its questions' (scoring/locks.py)
    changed = []
    for request in ExplanationRequest.objects.filter(
        line__sheet=sheet, status=ExplanationRequest.Status.OPEN, pk__in=list(answers)
    ):
        text = answers[request.pk].strip()
        if request.answer_draft != text:
            request.answer_draft = text
            changed.append(request)
    ExplanationRequest.objects.bulk_update(changed, ["answer_draft"])
    return len(changed)
