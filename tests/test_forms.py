"""The one date field: a date in the right form whose day does not exist is told as such."""

from __future__ import annotations

import datetime

import pytest
from django import forms

from blocs.views_deadlines import DeadlinesForm
from common.forms import DayField, missing_day


class _Form(forms.Form):
    day = DayField(error_messages={"invalid": "Nhập ngày theo dạng ngày/tháng/năm."})


def _errors(value: str) -> list[str]:
    form = _Form({"day": value})
    assert not form.is_valid()
    return [str(error) for error in form.errors["day"]]


@pytest.mark.parametrize(
    ("typed", "told"),
    [
        ("31/02/2022", "Không có ngày 31/02/2022: tháng 2 năm 2022 có 28 ngày."),
        ("29/02/2023", "Không có ngày 29/02/2023: tháng 2 năm 2023 có 28 ngày."),
        ("31-04-2021", "Không có ngày 31-04-2021: tháng 4 năm 2021 có 30 ngày."),
        (" 00/01/2021 ", "Không có ngày 00/01/2021: tháng 1 năm 2021 có 31 ngày."),
        ("12/13/2021", "Không có tháng 13: tháng từ 1 đến 12 (ngày/tháng/năm)."),
    ],
)
def test_a_day_that_does_not_exist_is_named(typed: str, told: str) -> None:
    assert _errors(typed) == [told]


@pytest.mark.parametrize("typed", ["2022/02/31", "31 tháng 2", "abc", "31/02/22"])
def test_a_date_in_another_form_keeps_the_fields_own_message(typed: str) -> None:
    assert _errors(typed) == ["Nhập ngày theo dạng ngày/tháng/năm."]


def test_days_that_exist_are_read_day_first() -> None:
    for typed, day in [
        ("29/02/2024", datetime.date(2024, 2, 29)),
        ("31.12.2021", datetime.date(2021, 12, 31)),
        ("01-03-2025", datetime.date(2025, 3, 1)),
    ]:
        form = _Form({"day": typed})
        assert form.is_valid(), form.errors
        assert form.cleaned_data["day"] == day
        assert missing_day(typed) is None


def test_the_deadlines_form_names_a_day_that_does_not_exist() -> None:
    form = DeadlinesForm({"self_assessment_due": "31/02/2022"}, year=2021)
    assert not form.is_valid()
    assert form.errors["self_assessment_due"] == [
        "Không có ngày 31/02/2022: tháng 2 năm 2022 có 28 ngày."
    ]
