"""Charts as server-rendered SVG: no client library, readable by screen readers, sharp in print.

Every chart is an ``<svg role="img">`` labelled by its ``<title>`` and a ``<desc>`` that lists
the values the picture shows; pages add a data table next to it for those who prefer numbers.
Colours come from CSS classes (``svg.chart …``), so the print stylesheet can turn them grey.
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_CEILING, ROUND_FLOOR, Decimal

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

from common.jinja import render
from common.numbers import format_number


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
    written = [_value(bar) for bar in bars]
    description = "; ".join(
        f"{bar.note} {bar.label}: {value}".strip() for bar, value in zip(bars, written, strict=True)
    )
    rows = []
    for index, (bar, value) in enumerate(zip(bars, written, strict=True)):
        y = gap + index * (row + gap)
        length = 0 if bar.value is None else int(plot * max(Decimal(0), min(bar.value, top)) / top)
        label = f"{bar.note} {bar.label}".strip()
        if len(label) > 38:
            label = label[:37] + "…"
        rows.append(
            _BarRow(
                middle=y + row / 2,
                label=label,
                start=label_width,
                top=y,
                length=length,
                height=row,
                css="bar bar-strong" if bar.emphasis else "bar",
                value_x=label_width + length + 6,
                value=value,
            )
        )
    context = {
        "chart_id": chart_id,
        "title": title,
        "description": description,
        "width": width,
        "height": height,
        "rows": rows,
    }
    # A Jinja2 template, escaping every label itself: a fifth of the time of format_html's.
    return render("common/bar_chart.html", context)


@dataclass(frozen=True)
class _BarRow:
    middle: float
    label: str
    start: int
    top: int
    length: int
    height: int
    css: str
    value_x: int
    value: str


# ---------------------------------------------------------------------------- shared helpers


def _join(parts: Sequence[SafeString]) -> SafeString:
    """Pieces made by ``format_html`` (each value escaped there) joined into one."""
    return format_html_join("", "{}", ((part,) for part in parts))


def _svg(
    chart_id: str,
    title: str,
    description: str,
    size: tuple[int, int],
    body: SafeString,
    css: str,
) -> SafeString:
    return format_html(
        '<svg class="chart {}" role="img" aria-labelledby="{}-title {}-desc" '
        'viewBox="0 0 {} {}" width="100%" xmlns="http://www.w3.org/2000/svg">'
        '<title id="{}-title">{}</title><desc id="{}-desc">{}</desc>{}</svg>',
        css,
        chart_id,
        chart_id,
        size[0],
        size[1],
        chart_id,
        title,
        chart_id,
        description,
        body,
    )


def _clip(text: str, length: int) -> str:
    return text if len(text) <= length else text[: length - 1] + "…"


def nice_range(
    values: Sequence[Decimal], ticks: int = 5, min_span: Decimal | None = None
) -> tuple[Decimal, Decimal, Decimal]:
    """An axis ``(low, high, step)`` with round steps (1, 2, 2.5 or 5 × 10ⁿ) that holds every
    value, e.g. 83,5 … 97,2 → 80 … 100 by 5. Zero stays the floor for values that are all
    positive. ``min_span`` keeps small differences from looking large (94 → 95,4 on a scale
    of 10 points, not of 1,5)."""
    if not values:
        return Decimal(0), Decimal(1), Decimal(1)
    low, high = min(values), max(values)
    if low == high:
        pad = max(abs(low) / 20, Decimal(1))
        low, high = low - pad, high + pad
    if min_span is not None and high - low < min_span:
        pad = (min_span - (high - low)) / 2
        low, high = low - pad, high + pad
    raw = (high - low) / ticks
    magnitude = Decimal(10) ** math.floor(math.log10(raw))
    step = next(
        magnitude * factor
        for factor in (Decimal(1), Decimal(2), Decimal("2.5"), Decimal(5), Decimal(10))
        if magnitude * factor >= raw
    )
    axis_low = (low / step).to_integral_value(rounding=ROUND_FLOOR) * step
    axis_high = (high / step).to_integral_value(rounding=ROUND_CEILING) * step
    if axis_low < 0 <= low:
        axis_low = Decimal(0)
    return axis_low, axis_high, step


def _ticks(low: Decimal, high: Decimal, step: Decimal) -> list[Decimal]:
    ticks, value = [], low
    while value <= high:
        ticks.append(value)
        value += step
    return ticks


def _places(step: Decimal) -> int:
    return 0 if step == step.to_integral_value() else 2


class _Scale:
    """Maps values of ``[low, high]`` onto ``[start, start + length]`` (reversed for y)."""

    def __init__(self, low: Decimal, high: Decimal, start: float, length: float) -> None:
        self.low, self.span = low, (high - low) or Decimal(1)
        self.start, self.length = start, length

    def __call__(self, value: Decimal) -> float:
        return round(self.start + float((value - self.low) / self.span) * self.length, 1)


# ---------------------------------------------------------------------------- strip chart


@dataclass(frozen=True)
class Dot:
    label: str  # e.g. the unit's name
    value: Decimal


@dataclass(frozen=True)
class Strip:
    """One row of a strip chart: a group's values as dots on a shared axis."""

    label: str
    dots: Sequence[Dot]
    note: str = ""  # e.g. "tạm tính", written after the label

    @property
    def values(self) -> list[Decimal]:
        return [dot.value for dot in self.dots]

    @property
    def low(self) -> Decimal | None:
        return min(self.values) if self.dots else None

    @property
    def high(self) -> Decimal | None:
        return max(self.values) if self.dots else None

    @property
    def median(self) -> Decimal | None:
        return statistics.median(self.values) if self.dots else None

    @property
    def summary(self) -> str:
        """``Khối …: 7 đơn vị, 80,00 – 98,00, trung vị 90,00`` for the description."""
        if not self.dots:
            return f"{self.label}: –"
        return (
            f"{self.label}: {len(self.dots)} – {format_number(min(self.values))} … "
            f"{format_number(max(self.values))} ({format_number(self.median)})"
        )


def strip_chart(
    strips: Sequence[Strip],
    *,
    title: str,
    chart_id: str = "strip",
    width: int = 640,
    min_span: Decimal | None = None,
) -> SafeString:
    """The distribution of each group's values: a row per group with its label above, a dot
    per value and the median as a tick, on one axis shared by every row (a strip plot).

    The description gives each group's count, lowest … highest and (median); every dot carries
    its own ``<title>`` (label: value)."""
    margin, label_row, strip_row, axis_row = 24, 22, 34, 30
    low, high, step = nice_range(
        [value for strip in strips for value in strip.values], min_span=min_span
    )
    x = _Scale(low, high, margin, width - 2 * margin)
    axis_y = len(strips) * (label_row + strip_row) + 6
    places = _places(step)
    rows = []
    for index, strip in enumerate(strips):
        top = index * (label_row + strip_row)
        rows.append(
            _StripRow(
                top=top,
                centre=top + label_row + strip_row // 2,
                label=_clip(f"{strip.label} ({strip.note})" if strip.note else strip.label, 70),
                dots=[(x(dot.value), dot) for dot in strip.dots],
                median=x(strip.median) if strip.median is not None else None,
            )
        )
    context = {
        "chart_id": chart_id,
        "title": title,
        "description": "; ".join(strip.summary for strip in strips),
        "width": width,
        "height": axis_y + axis_row,
        "margin": margin,
        "axis_y": axis_y,
        "ticks": [(x(tick), format_number(tick, places)) for tick in _ticks(low, high, step)],
        "rows": rows,
    }
    # One dot per unit of the whole council on the leaders' dashboard (hundreds): a Jinja2
    # template, as fast as the strings it replaced and escaping every name itself.
    return render("common/strip_chart.html", context)


@dataclass(frozen=True)
class _StripRow:
    top: int
    centre: int
    label: str
    dots: list[tuple[float, Dot]]  # (x, dot)
    median: float | None


# ---------------------------------------------------------------------------- line chart


@dataclass(frozen=True)
class Point:
    label: str  # the x label, e.g. the year
    value: Decimal | None  # a gap in the line when None
    note: str = ""  # e.g. "hạng 2/7", written under the x label


def line_chart(
    points: Sequence[Point],
    *,
    title: str,
    chart_id: str = "line",
    width: int = 640,
    height: int = 260,
    min_span: Decimal | None = None,
) -> SafeString:
    """A value over time (e.g. a unit's total, year by year): a line through labelled points on
    an axis fitted to the values. A missing value breaks the line."""
    left, right, top, bottom = 48, 28, 28, 48
    plot_w, plot_h = width - left - right, height - top - bottom
    low, high, step = nice_range(
        [point.value for point in points if point.value is not None], min_span=min_span
    )
    y = _Scale(low, high, top + plot_h, -plot_h)
    places = _places(step)
    count = len(points)
    inset = 36  # room for the first and last values' labels, clear of the axis
    step_x = (plot_w - 2 * inset) / (count - 1) if count > 1 else 0
    xs = [
        round(left + (plot_w / 2 if count == 1 else inset + step_x * index), 1)
        for index in range(count)
    ]
    parts = [
        format_html(
            '<line x1="{}" x2="{}" y1="{}" y2="{}" class="grid"></line>'
            '<text x="{}" y="{}" text-anchor="end" dominant-baseline="middle" '
            'class="axis-label">{}</text>',
            left,
            left + plot_w,
            y(tick),
            y(tick),
            left - 6,
            y(tick),
            format_number(tick, places),
        )
        for tick in _ticks(low, high, step)
    ]
    segment: list[str] = []
    for x, point in [*zip(xs, points, strict=True), (0.0, None)]:
        if point is None or point.value is None:
            if len(segment) > 1:
                parts.append(
                    format_html('<polyline points="{}" class="line"></polyline>', " ".join(segment))
                )
            segment = []
        else:
            segment.append(f"{x},{y(point.value)}")
    for x, point in zip(xs, points, strict=True):
        parts.append(
            format_html(
                '<text x="{}" y="{}" text-anchor="middle" class="axis-label">{}</text>',
                x,
                top + plot_h + 20,
                point.label,
            )
        )
        if point.note:
            parts.append(
                format_html(
                    '<text x="{}" y="{}" text-anchor="middle" class="point-note">{}</text>',
                    x,
                    top + plot_h + 38,
                    point.note,
                )
            )
        if point.value is not None:
            parts.append(
                format_html(
                    '<circle cx="{}" cy="{}" r="5" class="line-dot"><title>{}: {}</title>'
                    '</circle><text x="{}" y="{}" text-anchor="middle" class="point-value">{}'
                    "</text>",
                    x,
                    y(point.value),
                    point.label,
                    format_number(point.value),
                    x,
                    y(point.value) - 10,
                    format_number(point.value),
                )
            )
    description = "; ".join(
        f"{point.label}: {format_number(point.value) if point.value is not None else '–'}"
        + (f" ({point.note})" if point.note else "")
        for point in points
    )
    return _svg(chart_id, title, description, (width, height), _join(parts), "line-chart")
