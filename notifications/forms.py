"""The preferences form: channels, and which topics come by e-mail."""

from __future__ import annotations

from django import forms

from notifications.models import NotificationPreference
from notifications.services import PREFERENCE_FIELDS


class PreferencesForm(forms.ModelForm):
    class Meta:
        model = NotificationPreference
        fields = PREFERENCE_FIELDS
