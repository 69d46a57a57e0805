"""The score sheet page's content, its grid, and a score as read.

A sheet has about a hundred rows of seven cells, each with a dozen attributes: as Django
template code (includes, ``with`` blocks, filters) that was most of the time of the score
entry page, the most used page of the year. The page's content and its grid are Jinja2
templates (``templates/jinja2/scoring/``, common/jinja.py), several times faster; these tags
gather what they need and render them.

``{% sheet_page %}``: the sheet page's content (notices, totals, explanations, the grid, the
buttons, the history panel) from the context its view built; ``score_grid`` renders the grid
(its headings, a row per section and criterion, the totals) for it.
``{% cell_value line points value target %}``: a score as read (not edited), with the result
behind it (``3 / 4``, ``5 lần``), "not applicable", "to be computed" or a dash.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

from django import template
from django.templatetags.l10n import unlocalize
from django.utils import formats
from django.utils.safestring import SafeString
from django.utils.timezone import localtime
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from blocs import deadlines
from common.jinja import local_date, render
from scoring.models import ScoreLine, ScoreSheet
from scoring.selectors import HistoryEntry, SheetView

if TYPE_CHECKING:
    from scoring.forms import GridForm

register = template.Library()

Change = tuple[str, object, object]  # what changed, old and new

# Audit entries store stable keys of what changed; the history panel shows words.
CHANGE_LABELS = {
    "value": gettext_lazy("số nhập"),
    "target": gettext_lazy("chỉ tiêu"),
    "note": gettext_lazy("ghi chú"),
    "reason": gettext_lazy("lý do"),
    "council_adjustment": gettext_lazy("điều chỉnh"),
    "code": gettext_lazy("mã"),
    "title": gettext_lazy("nội dung"),
    "max_points": gettext_lazy("điểm tối đa"),
}


def evidence_label(count: int) -> str:
    """A line's evidence files, counted: "3 minh chứng"."""
    return ngettext("%(counter)s minh chứng", "%(counter)s minh chứng", count) % {"counter": count}


def score_grid(
    view: SheetView, layer: str | None, form: GridForm, sheet_pk: int, unsaved: bool
) -> SafeString:
    criteria_set = view.criteria_set
    bonus_cap = criteria_set.bonus_cap
    return render(
        "scoring/grid.html",
        {
            "rows": view.rows,
            "layer": layer,
            "ask": bool(form.ask),
            "upload": bool(form.upload),
            # Answering a question, the row's page is a button too: the answer is kept first.
            "answering": bool(form.answering),
            "sheet_pk": sheet_pk,
            "evidence_label": evidence_label,
            "totals": view.final_totals,
            "self_totals": view.self_totals,
            "started": view.verification_started,
            "bonus_cap": bonus_cap,
            "bonus_cap_attr": "" if bonus_cap is None else unlocalize(bonus_cap),
            "step_attr": unlocalize(criteria_set.step),
            "unsaved": unsaved,
        },
    )


@register.simple_tag
def cell_value(
    line: ScoreLine | None, points: Decimal | None, value: Decimal | None, target: Decimal | None
) -> SafeString:
    context = {"line": line, "points": points, "value": value, "target": target}
    return render("scoring/score_cell.html", context)


def history_table(entries: list[HistoryEntry]) -> list[tuple[str, HistoryEntry, list[Change]]]:
    """The history panel's rows: (when, entry, [(what, old, new)]). Up to 200 rows; one save
    of a whole sheet writes one per line, in the same second, so each second is formatted
    once."""
    labels = {key: str(label) for key, label in CHANGE_LABELS.items()}
    moments: dict[object, str] = {}
    rows = []
    for entry in entries:
        second = entry.created_at.replace(microsecond=0)
        if second not in moments:
            moments[second] = formats.date_format(localtime(second), "SHORT_DATETIME_FORMAT")
        changes = [
            (labels.get(key) or key, pair[0], pair[1])
            for key, pair in (entry.changes or {}).items()
        ]
        rows.append((moments[second], entry, changes))
    return rows


@dataclass(frozen=True)
class SheetWords:
    """The sheet page's words with a count (Python's ngettext: a Jinja2 template's plural
    would not reach the catalogue) and its sentences too long for a template line."""

    errors: str
    self_missing: str
    combined_missing: str
    verified_missing: str
    others_note: str
    accept: str
    history: str
    verify_hint: str
    conflict: str = ""
    late: str = ""


def _missing(count: int) -> str:
    return ngettext("thiếu %(counter)s tiêu chí", "thiếu %(counter)s tiêu chí", count) % {
        "counter": count
    }


def sheet_words(context: template.Context) -> SheetWords:
    view: SheetView = context["view"]
    sheet = view.sheet
    errors, others, to_accept = (
        context["errors_count"],
        view.self_split.others_lines,
        context["to_accept"],
    )
    conflict, late = context["conflict"], ""
    due = sheet.bloc_year.self_assessment_due
    if sheet.state == ScoreSheet.State.DRAFT and deadlines.is_late(due, deadlines.today()):
        late = _(
            "Đã hết hạn tự chấm điểm (hết ngày %(day)s). Đơn vị không sửa hay gửi bảng tự chấm "
            "được nữa; thư ký khối vẫn nhập thay và gửi được, bảng sẽ được ghi là nộp muộn."
        ) % {"day": local_date(due, "SHORT_DATE_FORMAT")}
    return SheetWords(
        errors=ngettext(
            "Có %(counter)s chỗ cần sửa; chưa có gì được lưu",
            "Có %(counter)s chỗ cần sửa; chưa có gì được lưu",
            errors,
        )
        % {"counter": errors},
        self_missing=_missing(view.self_totals.missing),
        combined_missing=_missing(view.self_split.combined.missing),
        verified_missing=_missing(view.final_totals.missing),
        others_note=ngettext(
            "“Tổng tự chấm” chỉ gồm các tiêu chí đơn vị tự chấm, đúng như đơn vị nhập và gửi; "
            "%(counter)s tiêu chí do thư ký khối, Hội đồng hoặc cơ quan khác chấm được tính "
            "riêng ở “Điểm do khối chấm”.",
            "“Tổng tự chấm” chỉ gồm các tiêu chí đơn vị tự chấm, đúng như đơn vị nhập và gửi; "
            "%(counter)s tiêu chí do thư ký khối, Hội đồng hoặc cơ quan khác chấm được tính "
            "riêng ở “Điểm do khối chấm”.",
            others,
        )
        % {"counter": others},
        accept=ngettext(
            "Chấp nhận điểm tự chấm của %(counter)s tiêu chí chưa thẩm định",
            "Chấp nhận điểm tự chấm của %(counter)s tiêu chí chưa thẩm định",
            to_accept,
        )
        % {"counter": to_accept},
        history=ngettext(
            "%(counter)s thay đổi gần nhất", "%(counter)s thay đổi gần nhất", len(view.history)
        )
        % {"counter": len(view.history)},
        verify_hint=_(
            "Nhập điểm thẩm định khi khác điểm tự chấm (kèm lý do), ghi câu hỏi ở “Yêu cầu giải "
            "trình” nếu cần đơn vị giải thích. Mọi nút bên dưới đều lưu những gì bạn đã nhập "
            "trước khi thực hiện."
        ),
        conflict=_(
            "%(who)s đã lưu bảng này lúc %(when)s, sau khi bạn mở trang. Những gì bạn nhập vẫn "
            "còn nguyên bên dưới; chưa có gì của bạn được lưu."
        )
        % {
            "who": conflict.updated_by.get_full_name() if conflict.updated_by else "",
            "when": local_date(conflict.updated_at, "SHORT_DATETIME_FORMAT"),
        }
        if conflict
        else "",
        late=late,
    )


@register.simple_tag(takes_context=True)
def sheet_page(context: template.Context) -> SafeString:
    """The sheet page's content from the context its view built (views/sheets.py, ``_render``):
    one Jinja2 template, with the grid's."""
    view: SheetView = context["view"]
    sheet, layer, form = view.sheet, context["layer"], context["form"]
    names = [
        "sheet",
        "view",
        "form",
        "layer",
        "conflict",
        "conflict_changes",
        "problems",
        "errors_count",
        "posted_reason",
        "posted_notes",
        "posted_answers",
        "can_submit",
        "can_verify",
        "can_answer",
        "can_reopen",
        "can_recall",
        "to_accept",
        "on_behalf",
        "columns",
    ]
    page = {name: context[name] for name in names}
    page.update(
        # The page comes back with what was typed: the script warns before leaving it.
        grid=score_grid(
            view, layer, form, sheet.pk, bool(page["errors_count"] or page["conflict"])
        ),
        history=history_table(view.history),
        words=sheet_words(context),
        bonus_cap=view.criteria_set.bonus_cap,
        csrf_token=str(context["csrf_token"]),
    )
    return render("scoring/sheet_page.html", page)
