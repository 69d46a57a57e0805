"""Form helpers every page uses: a service's refusal shown on the form, the button a form was
sent with, a form sent again with what was typed, and the one date field."""

from __future__ import annotations

import calendar
import datetime
import re
from collections.abc import Mapping
from typing import Any

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.http import QueryDict
from django.utils.translation import gettext_lazy

# A date written day first, as the date fields take it (thidua/formats): 31/02/2022, 31-02-2022.
_DAY_FIRST = re.compile(r"\s*(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})\s*")


def missing_day(value: object) -> str | None:
    """What is wrong with a date written in the right form whose day does not exist
    ("31/02/2022": February 2022 has 28 days); None when the value is not such a date."""
    if not isinstance(value, str):
        return None
    match = _DAY_FIRST.fullmatch(value)
    if match is None:
        return None
    day, month, year = (int(part) for part in match.groups())
    if not datetime.MINYEAR <= year <= datetime.MAXYEAR:
        return None
    if not 1 <= month <= 12:
        return str(
            gettext_lazy("Không có tháng %(month)s: tháng từ 1 đến 12 (ngày/tháng/năm).")
            % {"month": month}
        )
    days = calendar.monthrange(year, month)[1]
    if not 1 <= day <= days:
        return str(
            gettext_lazy("Không có ngày %(value)s: tháng %(month)s năm %(year)s có %(days)s ngày.")
            % {"value": value.strip(), "month": month, "year": year, "days": days}
        )
    return None


class DayField(forms.DateField):
    """A date typed day/month/year. A day that does not exist (31/02/2022) is told as such,
    not as a wrong format; anything else unreadable keeps the field's own message."""

    def to_python(self, value: Any) -> datetime.date | None:
        try:
            return super().to_python(value)
        except ValidationError:
            problem = missing_day(value)
            if problem is None:
                raise
            raise ValidationError(problem, code="no_such_day") from None


def show_service_error(form: forms.BaseForm, error: ValidationError) -> None:
    """A service's ``ValidationError`` on the form: each problem at the field it names when
    the form has that field, else at the top of the form."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for name, problems in error.error_dict.items():
        field = name if name in form.fields and name != NON_FIELD_ERRORS else None
        form.add_error(field, problems)


class ButtonForm(forms.Form):
    """The button a page's form was sent with: the value of the field ``name`` ("" when the form
    was sent with another button, or by pressing Enter)."""

    def __init__(self, data: Mapping[str, Any] | None, *, name: str = "action") -> None:
        super().__init__(data)
        self.name = name
        self.fields[name] = forms.CharField(required=False)

    @property
    def pressed(self) -> str:
        return str(self.cleaned_data[self.name]) if self.is_valid() else ""


def pressed(data: Mapping[str, Any] | None, name: str = "action") -> str:
    """The value of the button ``name`` a form was sent with, or "" (``ButtonForm``)."""
    return ButtonForm(data, name=name).pressed


def typed(form: forms.BaseForm) -> dict[str, Any]:
    """What was typed into a bound form, unchecked, as the initial values of a new one: a form
    shown again without its errors (a "show me first" button)."""
    return {name: form[name].value() for name in form.fields}


def retyped(form: forms.BaseForm, **changes: str) -> QueryDict:
    """The data a bound form was sent with, with some fields changed: the form sent again, as
    typed, after a conflict changed its version."""
    data = form.data.copy() if isinstance(form.data, QueryDict) else QueryDict(mutable=True)
    if not isinstance(form.data, QueryDict):
        data.update(form.data)
    for name, value in changes.items():
        data[name] = value
    return data
