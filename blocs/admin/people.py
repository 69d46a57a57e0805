"""People in the admin (only a superuser hands out superuser rights; nobody deletes an account,
the app locks it; the password shown only as set or not), and the audit trail, read only."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.db.models import Model, Q, QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from blocs import access, services
from blocs.admin.auditing import AuditedAdminMixin, admin_audit
from blocs.admin.people_form import PersonChangeForm
from blocs.admin.scoping import PERSON_NAME_ORDER, CouncilScopedMixin, ScopedAdmin
from blocs.models import AuditEntry, User
from common.admin_search import FoldedSearchMixin


@admin.register(User)
class UserAdmin(AuditedAdminMixin, CouncilScopedMixin, FoldedSearchMixin, DjangoUserAdmin):
    form = PersonChangeForm
    list_display = ["username", "person_name", "unit", "role", "is_active", "last_login"]
    list_filter = ["role", "is_active", "unit__council"]
    search_fields = ["username", "full_name", "email", "unit__name"]
    list_select_related = ["unit"]
    autocomplete_fields = ["unit"]
    # People by name in the Vietnamese alphabet (Đ after D). Not then by login: the list would
    # mark the login column as the one it is sorted by.
    ordering = [PERSON_NAME_ORDER.asc(), "pk"]  # type: ignore[list-item]
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        (_("Thông tin cá nhân"), {"fields": ("full_name", "job_title", "email")}),
        (_("Đơn vị và vai trò"), {"fields": ("unit", "role")}),
        (
            _("Quyền"),
            {"fields": ("is_active", "is_staff", "is_superuser", "groups", "user_permissions")},
        ),
        (_("Thời gian"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (
            None,
            {
                "classes": ("wide",),
                "fields": ("username", "full_name", "unit", "role", "password1", "password2"),
            },
        ),
    )

    def get_search_results(
        self, request: HttpRequest, queryset: QuerySet[User], search_term: str
    ) -> tuple[QuerySet[User], bool]:
        """The bloc-year's picker of extra secretaries offers focal points only."""
        queryset, duplicates = super().get_search_results(request, queryset, search_term)
        if (request.GET.get("model_name"), request.GET.get("field_name")) == (
            "blocyear",
            "secretaries",
        ):
            queryset = queryset.filter(role=User.Role.FOCAL_POINT, is_active=True)
        return queryset, duplicates

    @admin.display(description=_("họ và tên"), ordering=PERSON_NAME_ORDER)
    def person_name(self, user: User) -> str:
        return user.full_name

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        super().save_related(request, form, formsets, change)
        services.user_apply_role(user=form.instance)

    def log_change(self, request: HttpRequest, obj: Any, message: Any) -> Any:
        # The password page saves without save_model: its change is written here (not the hash).
        if request.path.rstrip("/").endswith("/password"):
            admin_audit(request, obj, "password")
        return super().log_change(request, obj, message)

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        """Nobody deletes an account here, a superuser neither: the person's name stays on the
        sheets, proposals and audit trail they wrote. The app locks it ("Khóa tài khoản" on the
        person's page, docs/accounts.md). No delete button, no "delete selected" action."""
        return False

    def get_readonly_fields(self, request: HttpRequest, obj: Model | None = None) -> list[str]:
        # Sign-in and sign-up times are facts Django records, never typed. Only a superuser
        # hands out superuser rights or raw permissions.
        readonly = [*super().get_readonly_fields(request, obj), "last_login", "date_joined"]
        if not request.user.is_superuser:
            readonly += ["is_superuser", "user_permissions", "groups", "is_staff"]
        return readonly


@admin.register(AuditEntry)
class AuditEntryAdmin(ScopedAdmin):
    """The history as the services wrote it: read only, for everyone."""

    list_display = [
        "created_at",
        "actor_name",
        "bloc_year",
        "context",
        "subject",
        "summary",
        "reason",
    ]
    list_filter = ["action", ("bloc_year__bloc__council", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["summary", "reason", "actor_name", "subject"]
    list_select_related = ["bloc_year__bloc"]
    date_hierarchy = "created_at"

    def get_queryset(self, request: HttpRequest) -> QuerySet[AuditEntry]:
        # Entries of no bloc-year (the organisation's rows, changed in this admin) are those of
        # the people of the admin's councils.
        queryset = admin.ModelAdmin.get_queryset(self, request)
        if request.user.is_superuser:
            return queryset
        councils = access.managed_council_ids(request.user)
        return queryset.filter(
            Q(bloc_year__bloc__council__in=councils)
            | Q(bloc_year__isnull=True, actor__unit__council__in=councils)
        )

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False
