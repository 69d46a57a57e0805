"""The admin's form of a person: the password shown only as set or not, never its hash.

Django's form shows the hashing algorithm, its iterations, the salt and part of the hash; none of
it helps an admin, and it is what an attacker would want. This form says whether the person has
a password and where to send them a set-password link (the person's page in the app, "Gửi liên
kết đặt mật khẩu", docs/accounts.md); the admin's own set-password page stays behind a second
link, for a person without e-mail.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.forms import UserChangeForm
from django.forms import Widget
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _


class PasswordStateWidget(Widget):
    """Whether a password is set, a link to the app's set-password link and one to the admin's
    set-password page."""

    read_only = True

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs)
        self.has_password = False
        self.person_url = ""

    def render(
        self, name: str, value: Any, attrs: dict[str, Any] | None = None, renderer: Any = None
    ) -> SafeString:
        state = gettext("Đã đặt mật khẩu.") if self.has_password else gettext("Chưa đặt mật khẩu.")
        link = (
            format_html(
                '<p>{} <a href="{}">{}</a></p>',
                gettext("Để người dùng tự đặt mật khẩu, gửi liên kết đặt mật khẩu từ"),
                self.person_url,
                gettext("trang của người này trong ứng dụng."),
            )
            if self.person_url
            else format_html("<p>{}</p>", gettext("Người này không thuộc đơn vị nào của hội đồng."))
        )
        return format_html(
            '<div><p><strong>{}</strong></p>{}<p>{} <a class="button" href="../password/">{}</a>'
            "</p></div>",
            state,
            link,
            gettext("Người không có thư điện tử:"),
            gettext("Reset password") if self.has_password else gettext("Set password"),
        )

    def id_for_label(self, id_: str) -> None:  # type: ignore[override]
        return None


class PersonChangeForm(UserChangeForm):
    """Django's change form of a user, the password as ``PasswordStateWidget`` shows it."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields.get("password")
        if field is None:
            return
        widget = PasswordStateWidget()
        widget.has_password = self.instance.has_usable_password()
        unit = self.instance.unit
        if unit is not None and not self.instance.is_superuser:
            widget.person_url = reverse("blocs:person", args=[unit.council.code, self.instance.pk])
        field.widget = widget
        field.help_text = _("Mật khẩu không được lưu ở dạng đọc được: không ai xem được.")
