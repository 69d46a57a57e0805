"""Charts as server-rendered SVG: no client library, readable by screen readers, sharp in print."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

from thidua.lib.numbers import format_number


@dataclass(frozen=True)
class Bar:
    label: str
    value: Decimal | None
    note: str = ""  # e.g. the rank, shown before the label
    emphasis: bool = False


def _value(bar: Bar) -> str:
    return format_number(bar.value) if bar.value is not None else "–"


def bar_chart(
    bars: Sequence[Bar],
    *,
    title: str,
    scale_max: Decimal | None = None,
    width: int = 720,
    chart_id: str = "chart",
) -> SafeString:
    """Horizontal bars, one per item, each labelled with its value.

    The SVG carries a title and a description listing every value, so a screen reader gets the
    numbers the picture shows.
    """
    label_width, value_width, row, gap = 260, 70, 26, 6
    plot = width - label_width - value_width
    values = [bar.value for bar in bars if bar.value is not None]
    top = scale_max or (max(values) if values else Decimal(1))
    if top <= 0:
        top = Decimal(1)
    height = len(bars) * (row + gap) + gap
    description = "; ".join(f"{bar.note} {bar.label}: {_value(bar)}".strip() for bar in bars)
    rows = []
    for index, bar in enumerate(bars):
        y = gap + index * (row + gap)
        length = 0 if bar.value is None else int(plot * max(Decimal(0), min(bar.value, top)) / top)
        label = f"{bar.note} {bar.label}".strip()
        if len(label) > 38:
            label = label[:37] + "…"
        rows.append(
            (
                y + row / 2,
                label,
                label_width,
                y,
                length,
                row,
                "bar bar-strong" if bar.emphasis else "bar",
                label_width + length + 6,
                _value(bar),
            )
        )
    body = format_html_join(
        "",
        '<text x="0" y="{}" dominant-baseline="middle" class="bar-label">{}</text>'
        '<rect x="{}" y="{}" width="{}" height="{}" class="{}" rx="2"></rect>'
        '<text x="{}" y="{}" dominant-baseline="middle" class="bar-value">{}</text>',
        ((r[0], r[1], r[2], r[3], r[4], r[5], r[6], r[7], r[0], r[8]) for r in rows),
    )
    return format_html(
        '<svg class="chart" role="img" aria-labelledby="{}-title {}-desc" viewBox="0 0 {} {}" '
        'width="100%" xmlns="http://www.w3.org/2000/svg">'
        '<title id="{}-title">{}</title><desc id="{}-desc">{}</desc>{}</svg>',
        chart_id,
        chart_id,
        width,
        height,
        chart_id,
        title,
        chart_id,
        description,
        body,
    )
