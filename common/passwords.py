"""Django's four password validators with messages written in Vietnamese first.

Django's own Vietnamese catalogue has no translation of these messages, so a council admin
setting a password in the admin would read English. The rules are Django's, unchanged
(settings ``AUTH_PASSWORD_VALIDATORS``: at least 10 characters, not like the person's name,
not one of the 20,000 most common passwords, not only digits); see docs/security.md.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from types import SimpleNamespace
from typing import Any

from django.contrib.auth import hashers, password_validation
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext


class MinimumLengthValidator(password_validation.MinimumLengthValidator):
    def get_error_message(self) -> str:
        return ngettext(
            "Mật khẩu quá ngắn: cần ít nhất %d ký tự.",
            "Mật khẩu quá ngắn: cần ít nhất %d ký tự.",
            self.min_length,
        ) % (self.min_length,)

    def get_help_text(self) -> str:
        return ngettext(
            "Mật khẩu có ít nhất %(min_length)d ký tự.",
            "Mật khẩu có ít nhất %(min_length)d ký tự.",
            self.min_length,
        ) % {"min_length": self.min_length}


def _folded(text: str) -> str:
    """“Nguyễn Thị Thủy” → “Nguyen Thi Thuy”: the way a name is typed into a password."""
    decomposed = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    return "".join(char for char in decomposed if not unicodedata.combining(char))


class UserAttributeSimilarityValidator(password_validation.UserAttributeSimilarityValidator):
    """Django's check against the username, full name and e-mail, also with the Vietnamese
    marks taken off the name."""

    DEFAULT_USER_ATTRIBUTES = ("username", "full_name", "email")

    def __init__(
        self, user_attributes: Sequence[str] = DEFAULT_USER_ATTRIBUTES, max_similarity: float = 0.7
    ) -> None:
        super().__init__(user_attributes=user_attributes, max_similarity=max_similarity)

    def validate(self, password: str, user: Any = None) -> None:
        try:
            self._validate(password, user)
        except ValidationError as error:
            # Django's labels are capitalised ("Tên đăng nhập"): inside a sentence, lower case.
            params = dict(error.params or {})
            params["verbose_name"] = str(params.get("verbose_name", "")).lower()
            raise ValidationError(error.message, code=error.code, params=params) from None

    def _validate(self, password: str, user: Any) -> None:
        super().validate(password, user)
        if user is None:
            return
        folded: Any = SimpleNamespace(
            _meta=user._meta,
            **{
                name: _folded(value) if isinstance(value, str) else value
                for name in self.user_attributes
                for value in [getattr(user, name, None)]
            },
        )
        super().validate(password, folded)

    def get_error_message(self) -> str:
        return _("Mật khẩu quá giống %(verbose_name)s.")

    def get_help_text(self) -> str:
        return _("Mật khẩu không được giống tên đăng nhập, họ tên hay thư điện tử.")


class CommonPasswordValidator(password_validation.CommonPasswordValidator):
    def get_error_message(self) -> str:
        return _("Mật khẩu này quá phổ biến, dễ bị đoán ra.")

    def get_help_text(self) -> str:
        return _("Mật khẩu không được là một mật khẩu phổ biến.")


class NumericPasswordValidator(password_validation.NumericPasswordValidator):
    def get_error_message(self) -> str:
        return _("Mật khẩu không được toàn là số.")

    def get_help_text(self) -> str:
        return _("Mật khẩu không được toàn là số.")


class Argon2idHasher(hashers.Argon2PasswordHasher):
    """Argon2id with one lane and 64 MiB, twice over (settings ``PASSWORD_HASHERS``).

    Argon2id is the first choice of OWASP's password storage cheat sheet, whose minimum is
    19 MiB, two passes, one lane; this is three times that memory. One lane rather than
    Django's eight: a login then costs one core about 0.1 s (measured on the project's 2-core
    machine), which keeps a small server answering while an office logs in at once; PBKDF2
    at Django's 1,000,000 iterations cost 0.4–0.6 s of CPU per login. Hashes stored with other
    parameters or with PBKDF2 still verify and are rewritten at the next login."""

    time_cost = 2
    memory_cost = 65536  # KiB
    parallelism = 1
