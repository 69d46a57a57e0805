"""The leaders' dashboard's two long lists, written in Python: the chart's data table (a row
per unit of the year, hundreds in a province) and the unit chooser of the trend (an option
per unit). As template loops they were a third of the page's time; every name is escaped.
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape
from typing import TYPE_CHECKING

from django import template
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from common.numbers import format_number

if TYPE_CHECKING:
    from portal.dashboard import BlocSummary

register = template.Library()


@register.simple_tag
def distribution_rows(blocs: Sequence[BlocSummary]) -> SafeString:
    """A ``tbody`` per bloc: its name, lowest, median and highest total heading its units'
    rows, each unit with its total."""
    provisional = escape(_("tạm tính"))
    parts = []
    for bloc in blocs:
        strip = bloc.strip
        spread = _("thấp nhất %(low)s · trung vị %(median)s · cao nhất %(high)s") % {
            "low": format_number(strip.low),
            "median": format_number(strip.median),
            "high": format_number(strip.high),
        }
        note = "" if bloc.scores_final else f' <span class="muted small">({provisional})</span>'
        heading = (
            f'<th scope="rowgroup" rowspan="{len(bloc.scores)}">'
            f"{escape(bloc.bloc_year.bloc.name)}{note}"
            f'<div class="muted small">{escape(spread)}</div></th>'
        )
        rows = "".join(
            f"<tr>{heading if index == 0 else ''}<td>{escape(dot.label)}</td>"
            f'<td class="num">{format_number(dot.value)}</td></tr>'
            for index, dot in enumerate(bloc.scores)
        )
        parts.append(f"<tbody>{rows}</tbody>")
    return mark_safe("".join(parts))  # every name is escaped above


@register.simple_tag
def unit_options(units: Sequence[tuple[int, str]], chosen: int | None) -> SafeString:
    """The trend's unit chooser: an option per unit, the chosen one selected."""
    return mark_safe(  # every name is escaped
        "".join(
            f'<option value="{unit_id}"{" selected" if unit_id == chosen else ""}>'
            f"{escape(name)}</option>"
            for unit_id, name in units
        )
    )
