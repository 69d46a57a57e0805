"""The forms of two-factor sign-in: a code, and the enrolment's key with its first code."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts import twofactor
from blocs.models import User

CODE_ATTRS = {
    "autocomplete": "one-time-code",
    "autocapitalize": "none",
    "autocorrect": "off",
    "spellcheck": "false",
    "class": "code-input",
}


class CodeForm(forms.Form):
    """A code from the authenticator app, or one of the recovery codes."""

    code = forms.CharField(
        label=_("Mã xác thực"),
        max_length=32,
        help_text=_(
            "6 chữ số trong ứng dụng xác thực trên điện thoại; hoặc một mã dự phòng "
            "(8 ký tự) nếu không có điện thoại bên mình."
        ),
        error_messages={"required": _("Nhập mã xác thực.")},
        widget=forms.TextInput(attrs=CODE_ATTRS),
    )

    def clean_code(self) -> str:
        code = twofactor.clean_code(self.cleaned_data["code"])
        if not code:
            raise forms.ValidationError(_("Nhập mã xác thực."), code="required")
        return code


class EnrolForm(forms.Form):
    """The new key (signed, in a hidden field) and the first code the app shows for it."""

    key = forms.CharField(widget=forms.HiddenInput)
    code = forms.CharField(
        label=_("Mã 6 số trong ứng dụng"),
        max_length=16,
        error_messages={"required": _("Nhập mã 6 số mà ứng dụng hiện cho Thi đua.")},
        widget=forms.TextInput(attrs={**CODE_ATTRS, "inputmode": "numeric"}),
    )

    def __init__(self, *args: Any, person: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.person = person

    def clean_key(self) -> str:
        key = twofactor.unsign_key(self.cleaned_data["key"], self.person)
        if key is None:
            raise forms.ValidationError(
                _("Mã khóa này đã quá hạn. Hãy quét mã QR mới bên dưới rồi nhập lại mã."),
                code="expired",
            )
        return key

    def clean_code(self) -> str:
        code = twofactor.clean_code(self.cleaned_data["code"])
        if not twofactor.is_app_code(code):
            raise forms.ValidationError(_("Mã gồm đúng 6 chữ số, ví dụ 123456."), code="invalid")
        return code

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        key, code = cleaned.get("key"), cleaned.get("code")
        if key and code:
            step = twofactor.key_matches(key, code)
            if step is None:
                self.add_error(
                    "code",
                    _(
                        "Mã không khớp. Kiểm tra giờ trên điện thoại (đặt tự động) và nhập mã "
                        "đang hiện, trước khi nó đổi."
                    ),
                )
            cleaned["step"] = step
        return cleaned
