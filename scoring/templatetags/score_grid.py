"""The score grid's leaf rows, score cells and history rows, written in Python.

A sheet has about a hundred rows of seven cells, each with a dozen attributes: as Django
template code (includes, ``with`` blocks, filters) that was most of the time of the score
entry page, the most used page of the year. Here a row is one function building one string;
every text that comes from people or from the criteria sheet goes through ``escape``.
``templates/scoring/_grid.html`` keeps the table, its headings and the section rows.

``{% cell_value line points value target %}``: a score as read (not edited), with the result
behind it (``3 / 4``, ``5 lần``), "not applicable", "to be computed" or a dash.
``{% grid_leaf_row row layer form sheet_pk %}``: one criterion's row of the grid; ``form`` is
the page's ``GridForm`` (whether the person asks questions or adds files in the rows).
``{% history_rows entries %}``: the rows of the sheet's history panel.
"""

from __future__ import annotations

from decimal import Decimal
from functools import lru_cache
from html import escape
from typing import Any

from django import template
from django.template.defaultfilters import floatformat, linebreaksbr
from django.urls import get_script_prefix, reverse
from django.utils import formats
from django.utils.safestring import SafeString, mark_safe
from django.utils.timezone import localtime
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from blocs.models import AuditEntry
from common.numbers import format_number
from scoring import rules
from scoring.models import Criterion, ScoreLine
from scoring.selectors import SheetRow
from scoring.services.sheets import SELF, VERIFIED

register = template.Library()

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

# A line's page, reversed once per sheet (and script prefix): the placeholder id is replaced
# row by row.
PLACEHOLDER = 987654321


@register.simple_tag
def cell_value(
    line: ScoreLine | None, points: Decimal | None, value: Decimal | None, target: Decimal | None
) -> SafeString:
    return mark_safe(_cell_value(line, points, value, target))  # escaped inside


def _cell_value(
    line: ScoreLine | None, points: Decimal | None, value: Decimal | None, target: Decimal | None
) -> str:
    if line is not None and line.not_applicable:
        words = escape(_("Không áp dụng"))
        return f'<span class="muted">{words}</span>'
    if points is not None:
        method = line.criterion.method if line is not None else rules.DIRECT
        shown = format_number(points)
        if method == rules.TARGET and value is not None and target is not None:
            behind = f"{format_number(value)} / {format_number(target)}"
        elif method == rules.PER_OCCURRENCE and value is not None:
            behind = _("%(count)s lần") % {"count": floatformat(value, "0")}
        elif method == rules.RELATIVE_BEST and value is not None:
            behind = _("kết quả %(result)s") % {"result": format_number(value)}
        else:
            return shown
        return f'{shown}<div class="small muted">{escape(behind)}</div>'
    if value is not None:
        words = escape(_("chờ tính"))
        return f'<span class="muted small">{words}</span>'
    words = escape(_("chưa có"))
    return (
        '<span class="muted"><span aria-hidden="true">–</span>'
        f'<span class="visually-hidden">{words}</span></span>'
    )


@register.simple_tag
def grid_leaf_row(row: SheetRow, layer: str | None, form: Any, sheet_pk: int) -> SafeString:
    criterion: Criterion = row.criterion
    line: ScoreLine | None = row.line
    cell: Any = row.cell
    pk = criterion.pk
    na = line is not None and line.not_applicable
    difference = row.difference
    classes = f"row-leaf depth-{row.depth}"
    classes += " row-na" if na else ""
    classes += " row-diff" if difference else ""
    classes += " row-error" if cell and cell.error else ""
    ppo = criterion.points_per_occurrence
    parts = [
        f'<tr class="{classes}" data-id="{pk}" data-parent="{_text(criterion.parent_id)}"'
        f' data-kind="{criterion.kind}" data-method="{criterion.method}"'
        f' data-scored-by="{criterion.scored_by}" data-max="{criterion.max_points}"'
        f' data-ppo="{_text(ppo)}" data-self="{_text(row.self_points)}"'
        f' data-verified="{_text(row.verified_points)}" data-na="{"1" if na else ""}">',
        f'<th scope="row" class="code" id="code-{pk}">{escape(criterion.code)}</th>',
        f'<td class="title">{escape(criterion.title)}',
        *_tags(criterion),
    ]
    if criterion.guidance:
        words = escape(_("Hướng dẫn"))
        parts.append(
            f'<details class="guidance"><summary>{words}</summary>'
            f"{linebreaksbr(criterion.guidance, autoescape=True)}</details>"
        )
    if na:
        reason = escape(line.not_applicable_reason) if line is not None else ""
        words = escape(_("Không áp dụng:"))
        parts.append(f'<div class="muted">{words} {reason}</div>')
    parts.append(f'</td><td class="num">{format_number(criterion.max_points)}</td>')
    for column in (SELF, VERIFIED):
        parts.append('<td class="num score-cell">')
        if layer == column and cell:
            parts.append(_cell_input(criterion, cell, column))
        elif column == SELF:
            self_value, self_target = (line.self_value, line.self_target) if line else (None, None)
            parts.append(_cell_value(line, row.self_points, self_value, self_target))
        else:
            value, target = (line.verified_value, line.verified_target) if line else (None, None)
            parts.append(_cell_value(line, row.verified_points, value, target))
            if line is not None and line.council_adjustment:
                adjusted = _("gồm điều chỉnh của Hội đồng %(amount)s") % {
                    "amount": format_number(line.council_adjustment)
                }
                parts.append(f'<div class="muted small">{escape(adjusted)}</div>')
        parts.append("</td>")
    parts.append('<td class="num diff-cell">')
    if difference:
        direction, arrow = ("diff-down", "▼") if difference < 0 else ("diff-up", "▲")
        parts.append(
            f'<span class="diff {direction}"><span aria-hidden="true">{arrow}</span> '
            f"{format_number(difference)}</span>"
        )
    parts.append('</td><td class="text-cell">')
    parts.append(_text_cell(criterion, line, cell, layer, bool(form.ask)))
    if cell and form.upload:
        parts.append(_attach(criterion, cell))
    parts.append(_evidence_link(row, sheet_pk, saves=bool(cell) or form.answering))
    parts.append("</td></tr>")
    return mark_safe("".join(parts))  # every text is escaped above


def _text(value: object) -> str:
    """An attribute's value: nothing for None, the plain ``str`` otherwise (``12.50``)."""
    return "" if value is None else escape(str(value))


def _tags(criterion: Criterion) -> list[str]:
    tags = []
    if criterion.kind != Criterion.Kind.STANDARD:
        label = escape(criterion.get_kind_display())
        tags.append(f' <span class="tag tag-{criterion.kind}">{label}</span>')
    if criterion.method != Criterion.Method.DIRECT:
        tags.append(f' <span class="tag">{escape(criterion.get_method_display())}</span>')
    if criterion.scored_by == Criterion.ScoredBy.DEPARTMENT and criterion.scorer_unit:
        label = _("%(unit)s chấm") % {
            "unit": criterion.scorer_unit.short_name or criterion.scorer_unit.name
        }
        tags.append(f' <span class="tag">{escape(label)}</span>')
    elif criterion.scored_by != Criterion.ScoredBy.UNIT:
        tags.append(f' <span class="tag">{escape(criterion.get_scored_by_display())}</span>')
    return tags


def _cell_input(criterion: Criterion, cell: Any, column: str) -> str:
    """The input (or pass/fail choice) of an editable score, with its hint and error."""
    pk, method = criterion.pk, criterion.method
    invalid = f' aria-invalid="true" aria-describedby="e-{pk}"' if cell.error else ""
    if method == rules.PASS_FAIL:
        options = [("", "–"), ("1", _("Đạt")), ("0", _("Không đạt"))]
        choices = "".join(
            f'<option value="{value}"{" selected" if _chosen(cell.value, value) else ""}>'
            f"{escape(label)}</option>"
            for value, label in options
        )
        parts = [
            f'<select id="v-{pk}" name="v-{pk}" class="cell" data-col="{column}"'
            f' aria-labelledby="code-{pk} col-{column}"{invalid}>{choices}</select>'
        ]
    else:
        labelled = f"code-{pk} col-{column}"
        if method != rules.DIRECT:
            labelled += f" hint-{column}-{pk}"
        placeholder = ""
        if method == rules.DIRECT:
            placeholder = f' placeholder="0–{floatformat(criterion.max_points, "-2")}"'
        parts = [
            f'<input type="text" inputmode="decimal" autocomplete="off" id="v-{pk}"'
            f' name="v-{pk}" value="{escape(cell.value)}" class="cell" data-col="{column}"'
            f' aria-labelledby="{labelled}"{placeholder}{invalid}>'
        ]
        hint = f'<div class="small muted" id="hint-{column}-{pk}">'
        if method == rules.TARGET:
            label = _("Chỉ tiêu được giao, tiêu chí %(code)s") % {"code": criterion.code}
            target_word, words = escape(_("chỉ tiêu")), escape(_("kết quả / chỉ tiêu"))
            parts.append(
                '<span class="cell-sep" aria-hidden="true">/</span>'
                f'<label class="visually-hidden" for="t-{pk}">{escape(label)}</label>'
                f'<input type="text" inputmode="decimal" autocomplete="off" id="t-{pk}"'
                f' name="t-{pk}" value="{escape(cell.target)}" class="cell cell-target"'
                f' data-col="{column}-target" placeholder="{target_word}">'
                f"{hint}{words}</div>"
            )
        elif method == rules.RELATIVE_BEST:
            words = escape(_("kết quả đạt được"))
            parts.append(f"{hint}{words}</div>")
        elif method == rules.PER_OCCURRENCE:
            each = floatformat(criterion.points_per_occurrence, "-2")
            words = escape(_("số lần × %(points)s điểm") % {"points": each})
            parts.append(f"{hint}{words}</div>")
    if method != rules.DIRECT:
        parts.append(
            f'<div class="computed small" data-computed="{column}" aria-live="polite"></div>'
        )
    if cell.error:
        parts.append(f'<p class="field-error" id="e-{pk}">{escape(cell.error)}</p>')
    return "".join(parts)


def _chosen(typed: str, value: str) -> bool:
    return typed == value if value else not typed


def _text_cell(
    criterion: Criterion, line: ScoreLine | None, cell: Any, layer: str | None, can_ask: bool
) -> str:
    """The note (self layer), the reason and question (verified layer), or both as read."""
    pk, code = criterion.pk, criterion.code
    if cell and layer == SELF:
        label = _("Ghi chú tiêu chí %(code)s") % {"code": code}
        return (
            f'<label class="visually-hidden" for="x-{pk}">{escape(label)}</label>'
            f'<textarea id="x-{pk}" name="x-{pk}" rows="1" data-col="note" class="cell-text">'
            f"\n{escape(cell.text)}</textarea> "
        )
    if cell and layer == VERIFIED:
        label = _("Lý do điểm thẩm định tiêu chí %(code)s") % {"code": code}
        placeholder = escape(_("Lý do nếu khác tự chấm"))
        parts = [
            f'<label class="visually-hidden" for="x-{pk}">{escape(label)}</label>'
            f'<textarea id="x-{pk}" name="x-{pk}" rows="1" data-col="reason" class="cell-text"'
            f' placeholder="{placeholder}">\n{escape(cell.text)}</textarea>'
        ]
        if can_ask:
            question = _("Câu hỏi giải trình về tiêu chí %(code)s (gửi khi bấm Trả lại)") % {
                "code": code
            }
            words = escape(_("Yêu cầu giải trình"))
            typed = cell.question
            opened = " open" if typed.strip() else ""
            parts.append(
                f'<details class="ask"{opened}><summary>{words}</summary>'
                f'<label class="visually-hidden" for="q-{pk}">{escape(question)}</label>'
                f'<textarea id="q-{pk}" name="q-{pk}" rows="2" data-col="question"'
                f' class="cell-text">\n{escape(typed)}</textarea></details>'
            )
        if line is not None and line.note:
            words = escape(_("Đơn vị ghi:"))
            parts.append(f'<div class="muted small">{words} {escape(line.note)}</div>')
        return "".join(parts) + " "
    parts = []
    if line is not None and line.note:
        parts.append(f"<div>{escape(line.note)}</div>")
    if line is not None and line.verified_reason:
        reason = escape(line.verified_reason)
        words = escape(_("Lý do thẩm định:"))
        parts.append(f'<div class="muted small">{words} {reason}</div>')
    return "".join(parts) + " "


@lru_cache(maxsize=64)
def _line_url(sheet_pk: int, prefix: str) -> str:
    return reverse("scoring:line", args=[sheet_pk, PLACEHOLDER])


def _attach(criterion: Criterion, cell: Any) -> str:
    """Evidence files chosen in the row, uploaded with the next press of any button."""
    pk = criterion.pk
    label = _("Tệp minh chứng cho tiêu chí %(code)s (PDF, PNG, JPG)") % {"code": criterion.code}
    words = escape(_("Thêm minh chứng"))
    invalid = f' aria-invalid="true" aria-describedby="fe-{pk}"' if cell.file_error else ""
    error = (
        f'<p class="field-error" id="fe-{pk}">{escape(cell.file_error)}</p>'
        if cell.file_error
        else ""
    )
    opened = " open" if cell.file_error else ""
    return (
        f'<details class="attach"{opened}><summary>{words}</summary>'
        f'<label class="visually-hidden" for="f-{pk}">{escape(label)}</label>'
        f'<input type="file" id="f-{pk}" name="f-{pk}" multiple data-col="file"'
        f' accept=".pdf,.png,.jpg,.jpeg,application/pdf,image/png,image/jpeg"{invalid}>'
        f"{error}</details>"
    )


def _evidence_link(row: SheetRow, sheet_pk: int, *, saves: bool = False) -> str:
    """The line's page (its files, guidance and history). For a person editing the row it is
    a button of the page's form: what was typed is kept before the line's page opens."""
    if row.evidence_count:
        label = ngettext("%(counter)s minh chứng", "%(counter)s minh chứng", row.evidence_count) % {
            "counter": row.evidence_count
        }
    else:
        label = _("Minh chứng")
    if saves:
        return (
            f'<button type="submit" name="action" value="line:{row.criterion.pk}"'
            f' class="link-button small">{escape(label)}</button>'
        )
    url = _line_url(sheet_pk, get_script_prefix()).replace(str(PLACEHOLDER), str(row.criterion.pk))
    return f'<a class="small" href="{url}">{escape(label)}</a>'


@register.simple_tag
def history_rows(entries: list[AuditEntry]) -> SafeString:
    """The sheet's history table body: when, who, what, old → new for each changed field,
    and the reason. Up to 200 rows; one save of a whole sheet writes one per line, in the
    same second, so each second is formatted once."""
    labels = {key: escape(str(label)) for key, label in CHANGE_LABELS.items()}
    moments: dict[object, str] = {}
    rows = []
    for entry in entries:
        second = entry.created_at.replace(microsecond=0)
        if second not in moments:
            local = localtime(second)
            moments[second] = escape(formats.date_format(local, "SHORT_DATETIME_FORMAT"))
        changes = "".join(
            f'<div><span class="muted">{labels.get(key) or escape(key)}:</span> '
            f"{escape(_dash(pair[0]))} → {escape(_dash(pair[1]))}</div>"
            for key, pair in (entry.changes or {}).items()
        )
        rows.append(
            f"<tr><td>{moments[second]}</td><td>{escape(entry.actor_name)}</td>"
            f"<td>{escape(entry.summary)}</td><td>{changes}</td>"
            f"<td>{escape(entry.reason)}</td></tr>"
        )
    return mark_safe("".join(rows))  # every text is escaped above


def _dash(value: object) -> str:
    """``default:"–"``: an empty old or new value reads as a dash."""
    return str(value) if value else "–"
