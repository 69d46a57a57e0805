"""Django admin: notifications and preferences, read-only, for checking deliveries.

Notifications are people's own messages, not council records: a council admin sees those of
the people of their councils (the same scope as users); the project's superusers see all.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest

from blocs import access
from notifications.models import Notification, NotificationPreference


def _scoped(queryset: QuerySet[Any], request: HttpRequest, path: str) -> QuerySet[Any]:
    if request.user.is_superuser:
        return queryset
    return queryset.filter(**{f"{path}__in": access.managed_council_ids(request.user)})


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
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
