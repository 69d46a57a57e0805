"""The score grid's rows, a score as read and the sheet's history rows.

A sheet has about a hundred rows of seven cells, each with a dozen attributes: as Django
template code (includes, ``with`` blocks, filters) that was most of the time of the score
entry page, the most used page of the year. The rows are Jinja2 templates
(``templates/jinja2/scoring/``, common/jinja.py), several times faster; these tags gather
what they need and render them.

``{% score_grid view layer form sheet_pk unsaved %}``: the grid, its headings, a row per section
and criterion and the totals; ``form`` is the page's ``GridForm`` (whether the person asks
questions or adds files in the rows), ``unsaved`` whether the page comes back with what was typed.
``{% cell_value line points value target %}``: a score as read (not edited), with the result
behind it (``3 / 4``, ``5 lần``), "not applicable", "to be computed" or a dash.
``{% history_rows entries %}``: the rows of the sheet's history panel.
"""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING

from django import template
from django.templatetags.l10n import unlocalize
from django.utils import formats
from django.utils.safestring import SafeString
from django.utils.timezone import localtime
from django.utils.translation import gettext_lazy, ngettext

from common.jinja import render
from scoring.models import ScoreLine
from scoring.selectors import HistoryEntry, SheetView

if TYPE_CHECKING:
    from scoring.forms import GridForm

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


def evidence_label(count: int) -> str:
    """A line's evidence files, counted: "3 minh chứng"."""
    return ngettext("%(counter)s minh chứng", "%(counter)s minh chứng", count) % {"counter": count}


@register.simple_tag
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


@register.simple_tag
def history_rows(entries: list[HistoryEntry]) -> SafeString:
    """Up to 200 rows; one save of a whole sheet writes one per line, in the same second, so
    each second is formatted once."""
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
    return render("scoring/history_rows.html", {"rows": rows})
