"""Form helpers every page uses: a service's refusal shown on the form."""

from __future__ import annotations

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError


def show_service_error(form: forms.BaseForm, error: ValidationError) -> None:
    """A service's ``ValidationError`` on the form: each problem at the field it names when
    the form has that field, else at the top of the form."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for name, problems in error.error_dict.items():
        field = name if name in form.fields and name != NON_FIELD_ERRORS else None
        form.add_error(field, problems)
