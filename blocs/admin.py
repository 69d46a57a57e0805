"""Django admin for the organisation, scoped to the councils a council admin manages."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.core.exceptions import ValidationError
from django.db.models import Count, Prefetch, QuerySet
from django.db.models.fields.related import ForeignKey, ManyToManyField
from django.forms import BaseInlineFormSet, ModelChoiceField, ModelForm, ModelMultipleChoiceField
from django.http import HttpRequest
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from blocs import access, deadlines, services
from blocs.models import (
    AuditEntry,
    Bloc,
    BlocYear,
    Council,
    Membership,
    Unit,
    UnitLineage,
    UnitName,
    User,
)

# The path from each model to its council, used to scope rows and choices.
COUNCIL_PATHS: dict[type, str] = {
    Council: "id",
    Unit: "council",
    Bloc: "council",
    BlocYear: "bloc__council",
    Membership: "bloc_year__bloc__council",
    UnitName: "unit__council",
    UnitLineage: "predecessor__council",
    User: "unit__council",
    AuditEntry: "bloc_year__bloc__council",
}


def scope_to_councils(queryset: QuerySet[Any], request: HttpRequest) -> QuerySet[Any]:
    """Rows of the councils this person manages (all rows for a superuser)."""
    if request.user.is_superuser:
        return queryset
    path = COUNCIL_PATHS.get(queryset.model)
    if path is None:
        return queryset.none()
    return queryset.filter(**{f"{path}__in": access.managed_council_ids(request.user)})


class CouncilScopedMixin:
    """A council admin sees and picks only rows of their own councils."""

    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        return scope_to_councils(super().get_queryset(request), request)  # type: ignore[misc]

    def formfield_for_foreignkey(
        self, db_field: ForeignKey[Any, Any], request: HttpRequest, **kwargs: Any
    ) -> ModelChoiceField[Any] | None:
        related = db_field.related_model
        if isinstance(related, type) and related in COUNCIL_PATHS:
            kwargs["queryset"] = scope_to_councils(related._default_manager.all(), request)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)  # type: ignore[misc]

    def formfield_for_manytomany(
        self, db_field: ManyToManyField[Any, Any], request: HttpRequest, **kwargs: Any
    ) -> ModelMultipleChoiceField[Any] | None:
        related = db_field.related_model
        if isinstance(related, type) and related in COUNCIL_PATHS:
            kwargs["queryset"] = scope_to_councils(related._default_manager.all(), request)
        return super().formfield_for_manytomany(db_field, request, **kwargs)  # type: ignore[misc]


class ScopedAdmin(CouncilScopedMixin, admin.ModelAdmin):
    pass


class ScopedInline(CouncilScopedMixin, admin.TabularInline):
    pass


@admin.register(Council)
class CouncilAdmin(ScopedAdmin):
    list_display = ["name", "code", "province", "valid_from", "valid_until", "successor", "is_demo"]
    list_filter = ["is_demo"]
    search_fields = ["name", "code", "province"]
    autocomplete_fields = ["successor"]


class UnitNameInline(ScopedInline):
    model = UnitName
    extra = 0


class SuccessorLinkInline(ScopedInline):
    model = UnitLineage
    fk_name = "predecessor"
    extra = 0
    verbose_name = _("đơn vị sau sắp xếp")
    verbose_name_plural = _("sắp xếp tổ chức: đơn vị này chuyển thành")
    autocomplete_fields = ["successor"]


@admin.register(Unit)
class UnitAdmin(ScopedAdmin):
    list_display = ["name", "code", "short_name", "kind", "council", "active_until"]
    list_filter = ["council", "kind", ("active_until", admin.EmptyFieldListFilter)]
    search_fields = ["name", "code", "short_name", "former_names__name"]
    list_select_related = ["council"]
    inlines = [UnitNameInline, SuccessorLinkInline]


@admin.register(UnitName)
class UnitNameAdmin(ScopedAdmin):
    list_display = ["name", "unit", "valid_from", "valid_until"]
    search_fields = ["name", "unit__name"]
    list_select_related = ["unit"]
    autocomplete_fields = ["unit"]


@admin.register(UnitLineage)
class UnitLineageAdmin(ScopedAdmin):
    list_display = ["predecessor", "kind", "successor", "effective_date"]
    list_filter = ["kind", "effective_date"]
    search_fields = ["predecessor__name", "successor__name", "note"]
    list_select_related = ["predecessor", "successor"]
    autocomplete_fields = ["predecessor", "successor"]


@admin.register(Bloc)
class BlocAdmin(ScopedAdmin):
    list_display = ["name", "code", "kind", "council"]
    list_filter = ["council", "kind"]
    search_fields = ["name", "code"]
    list_select_related = ["council"]


class MembershipFormSet(BaseInlineFormSet):
    """Checks across the rows that the database would refuse only at save time."""

    def clean(self) -> None:
        super().clean()
        units: set[int] = set()
        roles: dict[str, int] = {}
        for form in self.forms:
            if not hasattr(form, "cleaned_data") or form.cleaned_data.get("DELETE"):
                continue
            unit = form.cleaned_data.get("unit")
            role = form.cleaned_data.get("role")
            if unit is None:
                continue
            if unit.pk in units:
                raise ValidationError(gettext("%(unit)s được nhập hai lần.") % {"unit": unit})
            units.add(unit.pk)
            if role in (Membership.Role.HEAD, Membership.Role.DEPUTY):
                roles[role] = roles.get(role, 0) + 1
        if roles.get(Membership.Role.HEAD, 0) > 1:
            raise ValidationError(gettext("Mỗi năm chỉ có một Trưởng khối."))
        if roles.get(Membership.Role.DEPUTY, 0) > 1:
            raise ValidationError(gettext("Mỗi năm chỉ có một Khối phó."))


class MembershipInline(ScopedInline):
    model = Membership
    formset = MembershipFormSet
    extra = 0
    autocomplete_fields = ["unit"]


class BlocYearAdminForm(ModelForm):
    """The stage deadlines follow each other and fall in the year or the next (blocs.deadlines)."""

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        year = cleaned.get("year")
        if year:
            dates = {field: cleaned.get(field) for field in deadlines.FIELDS}
            for field, message in deadlines.deadline_errors(year=year, **dates).items():
                self.add_error(field, message)
        return cleaned


@admin.register(BlocYear)
class BlocYearAdmin(ScopedAdmin):
    form = BlocYearAdminForm
    list_display = ["bloc", "year", "state", "head_unit", "deputy_unit", "member_count"]
    list_filter = ["state", "year", "bloc__council"]
    search_fields = ["bloc__name", "bloc__code"]
    list_select_related = ["bloc"]
    autocomplete_fields = ["bloc"]
    filter_horizontal = ["secretaries"]
    inlines = [MembershipInline]

    def get_queryset(self, request: HttpRequest) -> QuerySet[BlocYear]:
        leaders = Membership.objects.filter(
            role__in=[Membership.Role.HEAD, Membership.Role.DEPUTY]
        ).select_related("unit")
        return (
            super()
            .get_queryset(request)
            .annotate(member_total=Count("memberships", distinct=True))
            .prefetch_related(Prefetch("memberships", queryset=leaders, to_attr="leaders"))
        )

    def _leader(self, bloc_year: BlocYear, role: str) -> str:
        for membership in getattr(bloc_year, "leaders", []):
            if membership.role == role:
                return membership.unit.short_name or membership.unit.name
        return "–"

    @admin.display(description=_("Trưởng khối"))
    def head_unit(self, bloc_year: BlocYear) -> str:
        return self._leader(bloc_year, Membership.Role.HEAD)

    @admin.display(description=_("Khối phó"))
    def deputy_unit(self, bloc_year: BlocYear) -> str:
        return self._leader(bloc_year, Membership.Role.DEPUTY)

    @admin.display(description=_("Số thành viên"), ordering="member_total")
    def member_count(self, bloc_year: BlocYear) -> int:
        return bloc_year.member_total  # type: ignore[attr-defined]

    def save_model(self, request: HttpRequest, obj: BlocYear, form: Any, change: bool) -> None:
        if change and set(deadlines.FIELDS) & set(form.changed_data):
            # Through the service, so that the change is in the bloc-year's audit trail.
            deadlines.deadlines_set(
                bloc_year=obj,
                by=request.user,  # type: ignore[arg-type]
                **{field: getattr(obj, field) for field in deadlines.FIELDS},
            )
        super().save_model(request, obj, form, change)


@admin.register(Membership)
class MembershipAdmin(ScopedAdmin):
    list_display = ["unit", "bloc_year", "role", "year"]
    list_filter = ["role", "year", "bloc_year__bloc__council"]
    search_fields = ["unit__name", "bloc_year__bloc__name"]
    list_select_related = ["unit", "bloc_year__bloc"]
    autocomplete_fields = ["unit", "bloc_year"]


@admin.register(User)
class UserAdmin(CouncilScopedMixin, DjangoUserAdmin):
    list_display = ["username", "full_name", "unit", "role", "is_active", "last_login"]
    list_filter = ["role", "is_active", "unit__council"]
    search_fields = ["username", "full_name", "email", "unit__name"]
    list_select_related = ["unit"]
    autocomplete_fields = ["unit"]
    ordering = ["username"]
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

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        super().save_related(request, form, formsets, change)
        services.user_apply_role(user=form.instance)

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        # Only a superuser hands out superuser rights or raw permissions.
        readonly = list(super().get_readonly_fields(request, obj))
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

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
