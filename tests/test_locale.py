"""Vietnamese formats, sorting and official dates."""

from __future__ import annotations

import ast
import datetime
import gettext
from decimal import Decimal
from pathlib import Path

import pytest
from django import forms
from django.utils import translation

from blocs.models import Unit
from common.collation import vietnamese_sort_key
from common.dates import official_date, official_date_line
from common.numbers import format_number
from tests.factories import CouncilFactory, UnitFactory

LOCALE = Path(__file__).resolve().parent.parent / "locale"
NAMES = [
    "Hà Nội",
    "Đà Nẵng",
    "Cần Thơ",
    "An Giang",
    "Bắc Ninh",
    "Bạc Liêu",
    "Điện Biên",
    "Uông Bí",
    "Ủy ban",
]
EXPECTED = [
    "An Giang",
    "Bạc Liêu",
    "Bắc Ninh",
    "Cần Thơ",
    "Đà Nẵng",
    "Điện Biên",
    "Hà Nội",
    "Uông Bí",
    "Ủy ban",
]


class ScoreForm(forms.Form):
    points = forms.DecimalField(localize=True, max_digits=7, decimal_places=2)
    day = forms.DateField()


def test_day_first_dates_and_comma_decimals_are_accepted() -> None:
    with translation.override("vi"):
        form = ScoreForm({"points": "95,5", "day": "31/12/2025"})
        assert form.is_valid(), form.errors
        assert form.cleaned_data == {"points": Decimal("95.5"), "day": datetime.date(2025, 12, 31)}
        form = ScoreForm({"points": "95,50", "day": "01/12/2025"})
        assert form.is_valid() and form.cleaned_data["day"] == datetime.date(2025, 12, 1)


def test_numbers_print_the_vietnamese_way() -> None:
    with translation.override("vi"):
        assert format_number(Decimal("1234.5"), 1) == "1.234,5"
        assert format_number(Decimal("95.5")) == "95,50"
    with translation.override("en"):
        assert format_number(Decimal("1234.5"), 1) == "1,234.5"


def test_official_dates_pad_days_and_the_first_two_months() -> None:
    assert official_date(datetime.date(2021, 1, 5)) == "ngày 05 tháng 01 năm 2021"
    assert official_date(datetime.date(2021, 3, 2)) == "ngày 02 tháng 3 năm 2021"
    assert (
        official_date_line("Quảng Nam", datetime.date(2021, 12, 15))
        == "Quảng Nam, ngày 15 tháng 12 năm 2021"
    )


def test_sort_key_follows_the_vietnamese_alphabet() -> None:
    assert sorted(NAMES, key=vietnamese_sort_key) == EXPECTED


@pytest.mark.django_db
def test_the_database_sorts_names_in_vietnamese_order() -> None:
    council = CouncilFactory.create()
    for name in NAMES:
        UnitFactory.create(council=council, name=name)
    assert list(Unit.objects.order_by("name").values_list("name", flat=True)) == EXPECTED


def _po_entries(path: Path) -> list[dict[str, str]]:
    """Entries of a .po file: msgctxt, msgid, msgstr (plural forms joined), flags."""
    entries: list[dict[str, str]] = []
    current: dict[str, str] = {}
    key = ""
    for line in [*path.read_text(encoding="utf-8").splitlines(), ""]:
        if not line.strip():
            if current:
                entries.append(current)
            current, key = {}, ""
        elif line.startswith("#,"):
            current["flags"] = line
        elif line.startswith("#"):
            continue
        elif line.startswith('"'):
            current[key] += line[1:-1]
        else:
            key, _space, value = line.partition(" ")
            key = "msgstr" if key.startswith("msgstr") else key
            current[key] = current.get(key, "") + ("\x00" if key in current else "") + value[1:-1]
    return [entry for entry in entries if entry.get("msgid")]


def test_the_english_catalogue_translates_every_string() -> None:
    entries = _po_entries(LOCALE / "en" / "LC_MESSAGES" / "django.po")
    assert entries
    untranslated = [entry["msgid"] for entry in entries if not entry["msgstr"].replace("\x00", "")]
    fuzzy = [entry["msgid"] for entry in entries if "fuzzy" in entry.get("flags", "")]
    assert untranslated == [], "run `make messages` and translate these"
    assert fuzzy == [], "review these fuzzy translations"


def test_the_compiled_english_catalogue_is_up_to_date() -> None:
    entries = _po_entries(LOCALE / "en" / "LC_MESSAGES" / "django.po")
    with (LOCALE / "en" / "LC_MESSAGES" / "django.mo").open("rb") as handle:
        compiled = gettext.GNUTranslations(handle)
    # Every singular entry of the .po says the same in the .mo: run `make messages` after editing.
    for entry in entries:
        if "msgid_plural" in entry or "msgctxt" in entry:
            continue
        msgid = ast.literal_eval(f'"{entry["msgid"]}"')
        assert compiled.gettext(msgid) == ast.literal_eval(f'"{entry["msgstr"]}"'), msgid


def test_amounts_are_rounded_half_up_not_cut() -> None:
    with translation.override("vi"):
        assert format_number(Decimal("42.857")) == "42,86"
        assert format_number(Decimal("42.855")) == "42,86"
        assert format_number(Decimal("42.854")) == "42,85"
