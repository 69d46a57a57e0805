"""Django admin: notifications, preferences and the e-mail queue, read-only, for checking
deliveries; one action, "retry now", on queued and failed e-mails.

Notifications are people's own messages, not council records: a council admin sees those of
the people of their councils (the same scope as users); the project's superusers see all.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.db.models import Model, QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from blocs import access
from common.admin_search import FoldedSearchMixin
from notifications.models import Notification, NotificationPreference, OutgoingMail
from notifications.outbox import outgoing_mail_retry


def _scoped(queryset: QuerySet[Any], request: HttpRequest, path: str) -> QuerySet[Any]:
    if request.user.is_superuser:
        return queryset
    return queryset.filter(**{f"{path}__in": access.managed_council_ids(request.user)})


class ReadOnlyAdmin(FoldedSearchMixin, admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False


@admin.register(Notification)
class NotificationAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "recipient", "kind", "title", "in_app", "read_at", "email_status"]
    list_filter = ["kind", "email_status", "in_app", ("read_at", admin.EmptyFieldListFilter)]
    search_fields = ["title", "event_key", "recipient__username", "recipient__full_name"]
    date_hierarchy = "created_at"
    list_select_related = ["recipient"]
    readonly_fields = [
        "recipient",
        "kind",
        "event_key",
        "title",
        "body",
        "url",
        "created_at",
        "read_at",
        "in_app",
        "email_status",
        "emailed_at",
    ]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Notification]:
        return _scoped(super().get_queryset(request), request, "recipient__unit__council")


@admin.register(NotificationPreference)
class NotificationPreferenceAdmin(ReadOnlyAdmin):
    list_display = [
        "user",
        "in_app_enabled",
        "email_enabled",
        "email_sheets",
        "email_proposals",
        "email_deadlines",
        "updated_at",
    ]
    list_filter = ["in_app_enabled", "email_enabled"]
    search_fields = ["user__username", "user__full_name"]
    list_select_related = ["user"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[NotificationPreference]:
        return _scoped(super().get_queryset(request), request, "user__unit__council")


@admin.register(OutgoingMail)
class OutgoingMailAdmin(ReadOnlyAdmin):
    list_display = [
        "created_at",
        "to",
        "subject",
        "status",
        "attempts",
        "next_attempt_at",
        "sent_at",
        "last_error",
    ]
    list_filter = ["status"]
    search_fields = ["to", "notification__title", "notification__event_key", "recipient__username"]
    date_hierarchy = "created_at"
    list_select_related = ["notification"]
    readonly_fields = [
        "notification",
        "recipient",
        "to",
        "status",
        "attempts",
        "next_attempt_at",
        "last_attempt_at",
        "last_error",
        "claimed_by",
        "sent_at",
        "created_at",
    ]
    actions = ["retry_now"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[OutgoingMail]:
        return _scoped(super().get_queryset(request), request, "recipient__unit__council")

    @admin.display(description=_("tiêu đề"), ordering="notification__title")
    def subject(self, mail: OutgoingMail) -> str:
        return mail.notification.title

    def has_retry_permission(self, request: HttpRequest) -> bool:
        return request.user.has_perm("notifications.change_outgoingmail")

    @admin.action(description=_("Gửi lại ngay"), permissions=["retry"])
    def retry_now(self, request: HttpRequest, queryset: QuerySet[OutgoingMail]) -> None:
        selected = queryset.count()
        queued = outgoing_mail_retry(mails=queryset)
        if queued:
            self.message_user(
                request,
                ngettext(
                    "Đã xếp %(count)s thư để gửi lại ngay.",
                    "Đã xếp %(count)s thư để gửi lại ngay.",
                    queued,
                )
                % {"count": queued},
                messages.SUCCESS,
            )
        if selected > queued:
            left = selected - queued
            self.message_user(
                request,
                ngettext(
                    "%(count)s thư không xếp lại: đã gửi, đang gửi, hoặc người nhận không còn "
                    "địa chỉ thư hay tài khoản đã khóa.",
                    "%(count)s thư không xếp lại: đã gửi, đang gửi, hoặc người nhận không còn "
                    "địa chỉ thư hay tài khoản đã khóa.",
                    left,
                )
                % {"count": left},
                messages.WARNING,
            )
