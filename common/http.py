"""An id posted in a form field, read through a one-field form."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django import forms


class PostedIdForm(forms.Form):
    """One id sent in a form field ``name``: digits only, and at most 18 of them (past a
    BigAutoField, which SQLite could not even compare)."""

    def __init__(self, data: Mapping[str, Any] | None, *, name: str) -> None:
        super().__init__(data)
        self.name = name
        self.fields[name] = forms.RegexField(regex=r"^[0-9]{1,18}$")

    @property
    def id(self) -> int | None:
        return int(self.cleaned_data[self.name]) if self.is_valid() else None


def posted_id(data: Mapping[str, Any] | None, name: str) -> int | None:
    """An id sent in a form field: the number, or None when it is not one a row can have
    (``PostedIdForm``)."""
    return PostedIdForm(data, name=name).id
