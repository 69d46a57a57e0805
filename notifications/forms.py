"""The preferences form: channels, and which topics come by e-mail; the list's page a button
was pressed on."""

from __future__ import annotations

from django import forms

from notifications.models import NotificationPreference
from notifications.services import PREFERENCE_FIELDS


class PreferencesForm(forms.ModelForm):
    class Meta:
        model = NotificationPreference
        fields = PREFERENCE_FIELDS


def page_number(value: str | None) -> int:
    """A page of the list: 1 when none is given or it is not a number."""
    try:
        return max(1, int(value or 1))
    except ValueError:
        return 1


class PageForm(forms.Form):
    """The page of the list a button was pressed on, to go back to it."""

    page = forms.CharField(required=False)

    @property
    def number(self) -> int:
        return page_number(self.cleaned_data["page"] if self.is_valid() else None)
