"""Two-factor sign-in in the Django admin: the people list says who has it, and an action
resets it for someone who lost their phone (audited, accounts.services.two_factor_remove).

django-otp's own admin pages are taken away: they show the authenticator secrets (the key and
its QR code), which nobody but the person should ever see, and they would let devices be made
or changed without the audit trail. The action is the one way to change a person's second step
in the admin."""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.db.models import Exists, OuterRef, QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts import access, services
from blocs.admin.people import UserAdmin as BlocsUserAdmin
from blocs.models import User

for _model in (TOTPDevice, StaticDevice):
    if admin.site.is_registered(_model):
        admin.site.unregister(_model)


admin.site.unregister(User)


@admin.register(User)
class UserAdmin(BlocsUserAdmin):
    actions = ["reset_two_factor"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[User]:
        authenticators = TOTPDevice.objects.filter(user=OuterRef("pk"), confirmed=True)
        return super().get_queryset(request).annotate(has_two_factor=Exists(authenticators))

    def get_list_display(self, request: HttpRequest) -> Any:
        return [*super().get_list_display(request), "two_factor"]

    @admin.display(description=gettext_lazy("Xác thực hai bước"), boolean=True)
    def two_factor(self, user: User) -> bool:
        return bool(getattr(user, "has_two_factor", False))

    @admin.action(description=gettext_lazy("Đặt lại xác thực hai bước (mất điện thoại)"))
    def reset_two_factor(self, request: HttpRequest, queryset: QuerySet[User]) -> None:
        actor = request.user
        assert isinstance(actor, User)
        done, refused = 0, 0
        for person in queryset.select_related("unit"):
            if not access.can_reset_two_factor(actor, person):
                refused += 1
                continue
            if services.two_factor_remove(person=person, by=actor):
                done += 1
        if done:
            self.message_user(
                request,
                ngettext(
                    "Đã đặt lại xác thực hai bước cho %(count)s người: lần đăng nhập sau, họ "
                    "đăng ký lại ứng dụng xác thực.",
                    "Đã đặt lại xác thực hai bước cho %(count)s người: lần đăng nhập sau, họ "
                    "đăng ký lại ứng dụng xác thực.",
                    done,
                )
                % {"count": done},
                messages.SUCCESS,
            )
        elif not refused:
            self.message_user(
                request, _("Không ai trong số đã chọn đang bật xác thực hai bước."), messages.INFO
            )
        if refused:
            self.message_user(
                request,
                _("Bạn không quản lý %(count)s người đã chọn: không đặt lại cho họ.")
                % {"count": refused},
                messages.ERROR,
            )
