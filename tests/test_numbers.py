"""common/numbers.py: the one place numbers are written for people (and the JSON amount)."""

from __future__ import annotations

import ast
from decimal import Decimal
from pathlib import Path

import pytest
from django.utils import translation

from common.numbers import (
    decimal_text,
    format_input,
    format_number,
    format_percent,
    format_plain,
    format_vietnamese,
    rounded,
)
from reports.builders.blocks import vn

ROOT = Path(__file__).resolve().parent.parent
APPS = (
    "awards",
    "blocs",
    "common",
    "notifications",
    "portal",
    "reports",
    "scoring",
    "demo",
    "thidua",
)


def test_rounding_is_half_up_everywhere() -> None:
    assert rounded(Decimal("42.855")) == Decimal("42.86")
    assert rounded("0.125") == Decimal("0.13")
    assert rounded(Decimal("2.5"), 0) == Decimal(3)
    assert format_percent(Decimal("0.625")) == "0,63%"
    assert format_vietnamese(Decimal("-0.125")) == "-0,13"


@pytest.mark.parametrize("language", ["vi", "en"])
def test_page_numbers_follow_the_language_and_documents_stay_vietnamese(language: str) -> None:
    with translation.override(language):
        page = format_number(Decimal("1234.5"))
        assert format_vietnamese(Decimal("1234.5")) == "1.234,50"
        assert format_vietnamese(Decimal("1234.5"), grouping=False) == "1234,50"
        assert format_vietnamese(Decimal("1234.5"), 0) == "1.235"
        assert format_plain(Decimal("7.250")) == "7,25"
        assert format_percent(Decimal("200") / 3) == "66,67%"
        assert decimal_text(Decimal("95.5")) == "95.50"
    assert page == {"vi": "1.234,50", "en": "1,234.50"}[language]


def test_none_and_blank_are_written_as_nothing() -> None:
    assert format_number(None) == format_number("") == ""
    assert format_vietnamese(None) == ""
    assert format_vietnamese("", empty="–") == "–"
    assert decimal_text(None) is None and decimal_text("") is None
    assert format_input(None) == ""


def test_a_string_from_a_snapshot_is_read_as_the_amount_it_holds() -> None:
    with translation.override("vi"):
        assert format_number("11.50") == "11,50"
    assert format_vietnamese("9.7") == "9,70"
    assert decimal_text("9.7") == "9.70"


def test_plain_amounts_have_no_trailing_zeros_nor_exponent() -> None:
    assert format_plain(Decimal("100")) == "100"
    assert format_plain(Decimal("10.00")) == "10"
    assert format_plain(Decimal("0.50")) == "0,5"
    assert format_plain(Decimal("1E+1")) == "10"


def test_an_input_is_given_back_in_the_languages_decimal_mark() -> None:
    with translation.override("vi"):
        assert format_input(Decimal("7.25")) == "7,25"
        assert format_input("10.00") == "10"
    with translation.override("en"):
        assert format_input(Decimal("7.25")) == "7.25"


def test_shares_drop_the_decimals_they_do_not_need() -> None:
    assert format_percent(Decimal(50)) == "50%"
    assert format_percent(Decimal("66.5")) == "66,5%"
    assert format_percent(Decimal("100.00")) == "100%"
    assert format_percent(Decimal(0)) == "0%"
    assert format_percent(Decimal(5) * 100 / 7) == "71,43%"


def test_the_documents_helper_writes_through_the_number_module() -> None:
    assert vn(None) == vn("") == "–"
    assert vn("1000") == "1.000,00"
    assert vn(Decimal("95.5")) == "95,50"
    assert vn(Decimal("1234.4"), 0) == "1.234"


def number_writers(source: str, name: str) -> list[str]:
    """Places that write a number for people by hand: a decimal comma swapped in
    (``.replace(".", ",")``), or thousands grouped with the format mini-language (``:,``)."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr == "replace"
            and [getattr(arg, "value", None) for arg in node.args] == [".", ","]
        ):
            found.append(f"{name}:{node.lineno} replaces the decimal point")
        if (
            isinstance(node, ast.FormattedValue)
            and isinstance(node.format_spec, ast.JoinedStr)
            and any(
                isinstance(part, ast.Constant) and str(part.value).startswith(",")
                for part in node.format_spec.values
            )
        ):
            found.append(f"{name}:{node.lineno} groups thousands")
    return found


def test_numbers_are_written_for_people_only_in_the_number_module() -> None:
    found = [
        place
        for app in APPS
        for path in sorted((ROOT / app).rglob("*.py"))
        if "migrations" not in path.parts and path != ROOT / "common" / "numbers.py"
        for place in number_writers(
            path.read_text(encoding="utf-8"), path.relative_to(ROOT).as_posix()
        )
    ]
    # The bench prints its own sizes for the developer who runs it (a count, in English).
    assert [place for place in found if not place.startswith("demo/management/")] == []


def test_the_check_finds_a_number_written_by_hand() -> None:
    source = 'x = f"{1:.2f}".replace(".", ",")\ny = f"{2:,.2f}"\nz = f"{3:.2f}"\n'
    assert number_writers(source, "probe.py") == [
        "probe.py:1 replaces the decimal point",
        "probe.py:2 groups thousands",
    ]
