"""Server-rendered SVG charts: well-formed XML, labelled for screen readers, carrying the values."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from decimal import Decimal

from common.charts import (
    Bar,
    Dot,
    Point,
    Strip,
    bar_chart,
    line_chart,
    nice_range,
    strip_chart,
)

SVG = "{http://www.w3.org/2000/svg}"
D = Decimal


def parse(svg: str) -> ET.Element:
    root = ET.fromstring(svg)
    assert root.tag == f"{SVG}svg"
    assert root.get("role") == "img"
    return root


def text_of(root: ET.Element, tag: str) -> str:
    element = root.find(f"{SVG}{tag}")
    assert element is not None
    return element.text or ""


def test_a_strip_chart_is_accessible_xml_with_every_value() -> None:
    svg = strip_chart(
        [
            Strip(
                "Khối thi đua tham mưu III",
                [Dot("Sở LĐ-TB&XH", D("97.65")), Dot("Báo <Quảng Nam>", D("80.55"))],
            ),
            Strip("Khối thi đua tham mưu I", [Dot("Sở Nội vụ", D("91"))], note="tạm tính"),
        ],
        title="Tổng điểm năm 2020",
        chart_id="dist",
    )
    root = parse(svg)
    assert root.get("aria-labelledby") == "dist-title dist-desc"
    assert text_of(root, "title") == "Tổng điểm năm 2020"
    description = text_of(root, "desc")
    assert "Khối thi đua tham mưu III: 2 – 80,55 … 97,65 (89,10)" in description
    assert "Khối thi đua tham mưu I: 1 – 91,00 … 91,00 (91,00)" in description
    dots = [circle.find(f"{SVG}title") for circle in root.iter(f"{SVG}circle")]
    assert [dot.text for dot in dots if dot is not None] == [
        "Sở LĐ-TB&XH: 97,65",
        "Báo <Quảng Nam>: 80,55",
        "Sở Nội vụ: 91,00",
    ]
    labels = [text.text for text in root.iter(f"{SVG}text")]
    assert "Khối thi đua tham mưu I (tạm tính)" in labels
    assert "80" in labels and "100" in labels  # the shared axis


def test_dots_sit_in_value_order_on_the_shared_axis() -> None:
    root = parse(
        strip_chart([Strip("A", [Dot("x", D(80)), Dot("y", D(90)), Dot("z", D(100))])], title="t")
    )
    xs = [float(circle.get("cx", "0")) for circle in root.iter(f"{SVG}circle")]
    assert xs == sorted(xs) and xs[0] < xs[1] < xs[2]
    assert xs[1] - xs[0] == xs[2] - xs[1]


def test_a_line_chart_is_accessible_xml_with_every_value_and_gaps() -> None:
    svg = line_chart(
        [
            Point("2019", D("91.32"), "hạng 6/7"),
            Point("2020", D("80.55"), "hạng 7/7"),
            Point("2021", None),
            Point("2022", D("88"), "hạng 2/7"),
            Point("2023", D("90"), ""),
        ],
        title="Tổng điểm của Báo Quảng Nam qua các năm",
        chart_id="trend",
    )
    root = parse(svg)
    assert text_of(root, "title") == "Tổng điểm của Báo Quảng Nam qua các năm"
    assert text_of(root, "desc") == (
        "2019: 91,32 (hạng 6/7); 2020: 80,55 (hạng 7/7); 2021: –; 2022: 88,00 (hạng 2/7); "
        "2023: 90,00"
    )
    # The missing year breaks the line in two.
    assert len(list(root.iter(f"{SVG}polyline"))) == 2
    values = [t.text for t in root.iter(f"{SVG}text") if t.get("class") == "point-value"]
    assert values == ["91,32", "80,55", "88,00", "90,00"]
    # Higher totals are drawn higher (smaller y).
    ys = [float(circle.get("cy", "0")) for circle in root.iter(f"{SVG}circle")]
    assert ys[0] < ys[1]


def test_a_single_point_is_drawn_in_the_middle() -> None:
    root = parse(line_chart([Point("2020", D(95))], title="t", width=600))
    (circle,) = root.iter(f"{SVG}circle")
    assert float(circle.get("cx", "0")) == 48 + (600 - 48 - 28) / 2


def test_axes_use_round_steps_around_the_values() -> None:
    assert nice_range([D("83.5"), D("97.2")]) == (D(80), D(100), D(5))
    assert nice_range([D(0), D(1000)]) == (D(0), D(1000), D(200))
    low, high, step = nice_range([D(95)])
    assert low <= 95 <= high and step > 0
    assert nice_range([]) == (D(0), D(1), D(1))


def test_the_bar_chart_stays_as_it_was() -> None:
    root = parse(bar_chart([Bar("Sở A&B", D("95.5"), note="1."), Bar("Sở C", None)], title="T"))
    assert text_of(root, "desc") == "1. Sở A&B: 95,50; Sở C: –"
    assert len(list(root.iter(f"{SVG}rect"))) == 2
