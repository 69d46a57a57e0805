"""The password forms of Django's own views, in Vietnamese, writing through the people
service (``password_set``: the audit trail, and a reset clears the login throttling)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth import forms as auth_forms
from django.contrib.auth import password_validation
from django.utils.translation import gettext_lazy

from blocs.people import services

PASSWORD_MISMATCH = gettext_lazy("Hai mật khẩu mới không giống nhau; hãy nhập lại cả hai.")


def _new_password_fields() -> tuple[forms.CharField, forms.CharField]:
    first = forms.CharField(
        label=gettext_lazy("Mật khẩu mới"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=password_validation.password_validators_help_text_html(),
        error_messages={"required": gettext_lazy("Nhập mật khẩu mới.")},
    )
    second = forms.CharField(
        label=gettext_lazy("Nhập lại mật khẩu mới"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        error_messages={"required": gettext_lazy("Nhập lại mật khẩu mới.")},
    )
    return first, second


class PasswordResetRequestForm(auth_forms.PasswordResetForm):
    """ "Quên mật khẩu?": the address the link goes to. The answer never says whether an
    account has it (Django's view shows the same page either way)."""

    email = forms.EmailField(
        label=gettext_lazy("Thư điện tử"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        error_messages={
            "required": gettext_lazy("Nhập địa chỉ thư điện tử của tài khoản."),
            "invalid": gettext_lazy(
                "Địa chỉ thư điện tử không hợp lệ, ví dụ đúng: daumoi@syt.quangnam.gov.vn."
            ),
        },
    )


class RulesAtTheFirstField:
    """A password the rules refuse (too short, too like the login name…) is said at the first
    field, where it was typed, not at the confirmation (Django's place)."""

    def validate_password_for_user(self, user: Any, password_field_name: str = "") -> None:
        super().validate_password_for_user(user, "new_password1")  # type: ignore[misc]


class NewPasswordForm(RulesAtTheFirstField, auth_forms.SetPasswordForm):
    """The page the e-mailed link opens (a reset, or a new account's first password)."""

    error_messages = {"password_mismatch": PASSWORD_MISMATCH}
    new_password1, new_password2 = _new_password_fields()

    def save(self, commit: bool = True) -> Any:
        return services.password_set(
            person=self.user, password=self.cleaned_data["new_password1"], how="reset"
        )


class ChangePasswordForm(RulesAtTheFirstField, auth_forms.PasswordChangeForm):
    """A signed-in person's new password, with the current one."""

    error_messages = {
        "password_mismatch": PASSWORD_MISMATCH,
        "password_incorrect": gettext_lazy("Mật khẩu hiện tại không đúng; hãy nhập lại."),
    }
    old_password = forms.CharField(
        label=gettext_lazy("Mật khẩu hiện tại"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password", "autofocus": True}),
        error_messages={"required": gettext_lazy("Nhập mật khẩu hiện tại.")},
    )
    new_password1, new_password2 = _new_password_fields()
    field_order = ["old_password", "new_password1", "new_password2"]

    def save(self, commit: bool = True) -> Any:
        return services.password_set(
            person=self.user, password=self.cleaned_data["new_password1"], how="change"
        )
