"""What stands between a submitted sheet and "verified": the check-your-answers summary.

``verification_check`` reads a sheet once (its lines, its explanation requests, the bloc-year's
rules) and says what is left: lines the secretariat still has to enter, lines someone outside
the secretariat must score (the council's standing office, or a department named on the
criterion) with who and where, lines lowered below the unit's own points, questions typed but
not sent, sent but not answered, answered but not decided, and, when the bloc-year's rules say
a deduction stands only after the unit was asked, the lowered lines that never went through an
explanation round. The check page shows it; ``transitions.sheet_mark_verified`` refuses with
its ``blockers``. One rule, one place.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from blocs.models import BlocYear
from scoring.models import Criterion, ExplanationRequest, ScoreLine, ScoreSheet
from scoring.selectors.ranking_rules import explanation_required

# Who scores a criterion, as the grid and the check page name it.
SECRETARIAT_SCORED = frozenset({Criterion.ScoredBy.UNIT, Criterion.ScoredBy.BLOC})
OUTSIDE_SCORED = frozenset({Criterion.ScoredBy.COUNCIL, Criterion.ScoredBy.DEPARTMENT})

# An explanation round that ran its course: asked, answered, decided.
DECIDED: frozenset[str] = frozenset(
    {ExplanationRequest.Status.ACCEPTED, ExplanationRequest.Status.REJECTED}
)


def scorer_name(criterion: Criterion, bloc_year: BlocYear) -> str:
    """Who must score an outside line, in words: the council's standing office, or the
    department named on the criterion (in its name of that year). The bloc-year comes with its
    bloc and council loaded."""
    if criterion.scored_by == Criterion.ScoredBy.DEPARTMENT and criterion.scorer_unit is not None:
        return criterion.scorer_unit.name_in_year(bloc_year.year)
    return _("Cơ quan thường trực %(council)s") % {"council": bloc_year.bloc.council.name}


def column_url(criterion: Criterion, bloc_year: BlocYear) -> str:
    """The page where an outside scorer enters one criterion for every member of the year."""
    return reverse(
        "scoring:criterion-scores", args=[bloc_year.bloc_id, bloc_year.year, criterion.pk]
    )


@dataclass(frozen=True)
class WaitingLine:
    """A line nobody in the bloc's secretariat may score: who must, and where."""

    line: ScoreLine
    scorer: str
    url: str


@dataclass
class VerificationCheck:
    sheet: ScoreSheet
    to_verify: list[ScoreLine] = field(default_factory=list)  # the secretariat's still empty
    waiting: list[WaitingLine] = field(default_factory=list)  # an outside scorer's still empty
    lowered: list[ScoreLine] = field(default_factory=list)
    raised: list[ScoreLine] = field(default_factory=list)
    draft_questions: list[ExplanationRequest] = field(default_factory=list)
    open_questions: list[ExplanationRequest] = field(default_factory=list)
    undecided: list[ExplanationRequest] = field(default_factory=list)
    explanation_required: bool = False
    unexplained: list[ScoreLine] = field(default_factory=list)

    @property
    def blockers(self) -> list[str]:
        """Why the sheet cannot be marked verified yet, one sentence each (empty: it can)."""
        found = []
        if self.to_verify:
            found.append(
                ngettext(
                    "Còn %(count)s tiêu chí chưa thẩm định: %(codes)s.",
                    "Còn %(count)s tiêu chí chưa thẩm định: %(codes)s.",
                    len(self.to_verify),
                )
                % {"count": len(self.to_verify), "codes": _codes(self.to_verify)}
            )
        for waiting in self.waiting:
            found.append(
                _("Tiêu chí %(code)s chờ %(scorer)s chấm điểm.")
                % {"code": waiting.line.criterion.code, "scorer": waiting.scorer}
            )
        if self.draft_questions:
            found.append(
                ngettext(
                    "Có %(count)s câu hỏi giải trình đã ghi nhưng chưa gửi đơn vị: %(codes)s. "
                    "Gửi (Trả lại để giải trình) hoặc xóa câu hỏi.",
                    "Có %(count)s câu hỏi giải trình đã ghi nhưng chưa gửi đơn vị: %(codes)s. "
                    "Gửi (Trả lại để giải trình) hoặc xóa câu hỏi.",
                    len(self.draft_questions),
                )
                % {
                    "count": len(self.draft_questions),
                    "codes": _codes(q.line for q in self.draft_questions),
                }
            )
        pending = self.open_questions + self.undecided
        if pending:
            found.append(
                ngettext(
                    "Còn %(count)s giải trình chưa có ý kiến của thư ký khối.",
                    "Còn %(count)s giải trình chưa có ý kiến của thư ký khối.",
                    len(pending),
                )
                % {"count": len(pending)}
            )
        if self.unexplained:
            found.append(
                ngettext(
                    "Tiêu chí %(codes)s bị hạ điểm nhưng đơn vị chưa được yêu cầu giải trình; "
                    "quy tắc của khối: chỉ trừ điểm sau khi đơn vị được giải trình.",
                    "Các tiêu chí %(codes)s bị hạ điểm nhưng đơn vị chưa được yêu cầu giải "
                    "trình; quy tắc của khối: chỉ trừ điểm sau khi đơn vị được giải trình.",
                    len(self.unexplained),
                )
                % {"codes": _codes(self.unexplained)}
            )
        return found

    @property
    def ready(self) -> bool:
        return not self.blockers


def _codes(lines: object) -> str:
    return ", ".join(line.criterion.code for line in lines)  # type: ignore[attr-defined]


def verification_check(sheet: ScoreSheet) -> VerificationCheck:
    """The sheet's check-your-answers summary, in three queries whatever its size."""
    lines = list(
        ScoreLine.objects.filter(sheet=sheet)
        .select_related("criterion__scorer_unit")
        .prefetch_related("criterion__scorer_unit__former_names")
        .order_by("criterion__order", "criterion__pk")
    )
    requests = list(
        ExplanationRequest.objects.filter(line__sheet=sheet)
        .select_related("line__criterion")
        .order_by("line__criterion__order", "pk")
    )
    check = VerificationCheck(
        sheet=sheet, explanation_required=explanation_required(sheet.bloc_year)
    )
    statuses: dict[int, set[str]] = {}
    for request in requests:
        statuses.setdefault(request.line_id, set()).add(request.status)
        if request.status == ExplanationRequest.Status.DRAFT:
            check.draft_questions.append(request)
        elif request.status == ExplanationRequest.Status.OPEN:
            check.open_questions.append(request)
        elif request.status == ExplanationRequest.Status.ANSWERED:
            check.undecided.append(request)
    for line in lines:
        criterion = line.criterion
        if line.not_applicable:
            continue
        if line.verified_value is None:
            if criterion.scored_by in OUTSIDE_SCORED:
                check.waiting.append(
                    WaitingLine(
                        line,
                        scorer_name(criterion, sheet.bloc_year),
                        column_url(criterion, sheet.bloc_year),
                    )
                )
            else:
                check.to_verify.append(line)
            continue
        if line.self_points is None or line.verified_points is None:
            continue
        if line.verified_points < line.self_points:
            check.lowered.append(line)
            if check.explanation_required and not DECIDED & statuses.get(line.pk, set()):
                check.unexplained.append(line)
        elif line.verified_points > line.self_points:
            check.raised.append(line)
    return check
