"""Every writer of a sheet checks the sheet's state itself, after taking its row
(scoring/locks.py): a step committed in between (marking verified, sending) cannot let an
earlier page write onto a sheet that no longer takes it."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from scoring.models import ScoreSheet
from scoring.services import evidence as evidence_services
from scoring.services import sheets as services
from scoring.services.sheets import VERIFIED, EntryErrors, LineEntry, StateError
from tests.conftest import ScoringWorld

pytestmark = pytest.mark.django_db
D = Decimal


def test_no_file_is_added_to_a_sheet_being_verified(scoring_world: ScoringWorld) -> None:
    line = scoring_world.submitted_sheet.lines.select_related("sheet__bloc_year").first()
    assert line is not None
    with pytest.raises(ValidationError, match="đang nhập hoặc đang giải trình"):
        evidence_services.evidence_add(
            line=line, upload=SimpleUploadedFile("a.pdf", b"%PDF-1.4 a"), by=None
        )


def test_no_line_is_marked_not_applicable_on_a_verified_sheet(
    scoring_world: ScoringWorld,
) -> None:
    sheet = scoring_world.submitted_sheet
    line = sheet.lines.select_related("criterion", "sheet__bloc_year").get(criterion__code="I.1")
    ScoreSheet.objects.filter(pk=sheet.pk).update(state=ScoreSheet.State.VERIFIED)
    with pytest.raises(StateError, match="mở lại việc thẩm định"):
        services.line_set_not_applicable(line=line, not_applicable=True, reason="x", by=None)
    line.refresh_from_db()
    assert not line.not_applicable


def test_questions_are_kept_only_while_the_sheet_waits_for_verification(
    scoring_world: ScoringWorld,
) -> None:
    sheet = scoring_world.draft_sheet
    criterion_id = scoring_world.leaf.pk
    with pytest.raises(StateError, match="đang chờ thẩm định"):
        services.explanation_drafts_save(sheet=sheet, questions={criterion_id: "Hỏi"}, by=None)


def test_a_verified_value_that_the_councils_adjustment_would_take_below_zero_is_refused(
    scoring_world: ScoringWorld,
) -> None:
    sheet = scoring_world.submitted_sheet
    line = sheet.lines.select_related("criterion", "sheet__bloc_year").get(criterion__code="I.1")
    version = ScoreSheet.objects.get(pk=sheet.pk).version
    services.sheet_save(
        sheet=sheet,
        layer=VERIFIED,
        entries={line.criterion_id: LineEntry(D("5.5"), None, "")},
        version=version,
        by=None,
    )
    line.refresh_from_db()
    services.line_council_adjust(line=line, amount=D("-2"), reason="Chậm hồ sơ", by=None)
    with pytest.raises(EntryErrors) as refused:
        services.sheet_save(
            sheet=sheet,
            layer=VERIFIED,
            entries={line.criterion_id: LineEntry(D("1"), None, "Thiếu biên bản")},
            version=ScoreSheet.objects.get(pk=sheet.pk).version,
            by=None,
        )
    assert "điều chỉnh của Hội đồng (-2)" in refused.value.by_criterion[line.criterion_id]
    line.refresh_from_db()
    assert line.final_points == D("3.5")
