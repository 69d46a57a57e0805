"""Forms of the pages of ``portal``."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from portal.search import LABELS

# What a person types in a search box: a name, a number, a few words.
QUERY_LENGTH = 100


class SearchForm(forms.Form):
    """The search box (read from the query string): what is typed, and optionally the one kind
    of rows to show them all."""

    q = forms.CharField(
        label=_("Từ cần tìm"),
        max_length=QUERY_LENGTH,
        required=False,
        widget=forms.SearchInput(attrs={"enterkeyhint": "search", "spellcheck": "false"}),
    )
    kind = forms.ChoiceField(
        choices=[("", ""), *LABELS.items()], required=False, widget=forms.HiddenInput
    )

    def query(self) -> str:
        """What was typed, when it is fit to search ("" otherwise: the error is at the box)."""
        self.is_valid()
        return str(self.cleaned_data.get("q", ""))

    def kind_asked(self) -> str:
        """The kind to show all of, or "" (an unknown kind is ignored)."""
        self.is_valid()
        return str(self.cleaned_data.get("kind", ""))
