"""Form helpers every page uses: a service's refusal shown on the form, the button a form was
sent with, and a form sent again with what was typed."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.http import QueryDict


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
