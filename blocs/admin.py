"""Django admin for the organisation, scoped to the councils a council admin manages.

The admin may not bypass the rules (docs/security.md, "The Django admin"): workflow state,
scores, totals, snapshots and issued documents are read-only in every admin form
(``workflow_fields``, or ``ViewOnlyMixin`` for rows only the services write); what stays
editable is written to the audit trail with its old and new values (``AuditedAdminMixin``).
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Count, Prefetch, Q, QuerySet
from django.db.models.fields.related import ForeignKey, ManyToManyField
from django.db.models.functions import Collate
from django.forms import BaseInlineFormSet, ModelChoiceField, ModelForm, ModelMultipleChoiceField
from django.http import HttpRequest
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from blocs import access, deadlines, services
from blocs.audit import audit_record
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
from common.collation import VIETNAMESE

# Person names have no collation of their own in the database: the admin sorts them with one.
PERSON_NAME_ORDER = Collate("full_name", VIETNAMESE)

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


def _by_name(queryset: QuerySet[Any]) -> QuerySet[Any]:
    """People in a picker by name, in the Vietnamese alphabet (other rows keep their order:
    the names of units, blocs and councils sort in Vietnamese in the database already)."""
    if queryset.model is User:
        return queryset.order_by(PERSON_NAME_ORDER.asc(), "username")
    return queryset


class CouncilScopedMixin:
    """A council admin sees and picks only rows of their own councils."""

    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        return scope_to_councils(super().get_queryset(request), request)  # type: ignore[misc]

    def formfield_for_foreignkey(
        self, db_field: ForeignKey[Any, Any], request: HttpRequest, **kwargs: Any
    ) -> ModelChoiceField[Any] | None:
        related = db_field.related_model
        if isinstance(related, type) and related in COUNCIL_PATHS:
            kwargs["queryset"] = _by_name(
                scope_to_councils(related._default_manager.all(), request)
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)  # type: ignore[misc]

    def formfield_for_manytomany(
        self, db_field: ManyToManyField[Any, Any], request: HttpRequest, **kwargs: Any
    ) -> ModelMultipleChoiceField[Any] | None:
        related = db_field.related_model
        if isinstance(related, type) and related in COUNCIL_PATHS:
            kwargs["queryset"] = _by_name(
                scope_to_councils(related._default_manager.all(), request)
            )
        return super().formfield_for_manytomany(db_field, request, **kwargs)  # type: ignore[misc]


# From finalization on, a bloc-year's results stand on its members: they are not changed here.
RESULTS_STATES = frozenset(
    {
        BlocYear.State.FINALIZED,
        BlocYear.State.PROVISIONAL,
        BlocYear.State.PUBLISHED,
        BlocYear.State.PROPOSED,
        BlocYear.State.DECIDED,
    }
)


def _results_stand(bloc_year: BlocYear | None) -> bool:
    return bloc_year is not None and bloc_year.state in RESULTS_STATES


# Values never written to the audit trail, only that they changed.
SECRET_FIELDS = frozenset({"password", "password1", "password2"})


def _plain(value: Any) -> Any:
    """A value as the audit trail keeps it (JSON): names of rows, text of dates and numbers."""
    if value is None or isinstance(value, bool | int | str):
        return value
    if isinstance(value, Decimal | datetime.date | datetime.time):
        return str(value)
    if isinstance(value, models.Model):
        return str(value)
    if isinstance(value, QuerySet | list | tuple | set):
        return [_plain(item) for item in value]
    if hasattr(value, "name") and hasattr(value, "url"):  # a file
        return value.name or ""
    return str(value)


def bloc_year_of(obj: Any) -> BlocYear | None:
    """The bloc-year a row belongs to, for the audit trail (none for the organisation's rows)."""
    if isinstance(obj, BlocYear):
        return obj
    for path in ("bloc_year", "sheet", "line", "proposal", "ballot"):
        related = getattr(obj, path, None) if hasattr(obj, f"{path}_id") else None
        if related is not None:
            return bloc_year_of(related)
    return None


def admin_audit(
    request: HttpRequest,
    obj: Any,
    action: str,
    changes: dict[str, Any] | None = None,
    *,
    keep_bloc_year: bool = True,
) -> None:
    """One entry of the audit trail for a change made in the admin."""
    meta = obj._meta
    summaries = {
        "add": gettext("Trang quản trị: thêm %(model)s “%(object)s”"),
        "change": gettext("Trang quản trị: sửa %(model)s “%(object)s”"),
        "delete": gettext("Trang quản trị: xóa %(model)s “%(object)s”"),
        "password": gettext("Trang quản trị: đặt mật khẩu cho “%(object)s”"),
    }
    audit_record(
        actor=request.user if request.user.is_authenticated else None,
        bloc_year=bloc_year_of(obj) if keep_bloc_year else None,
        context=f"admin:{meta.label_lower}:{obj.pk}",
        action=f"admin.{action}",
        subject=str(obj)[:60],
        summary=summaries[action] % {"model": meta.verbose_name, "object": obj},
        changes=changes or {},
    )


def form_changes(form: Any) -> dict[str, Any]:
    """``{field: [old, new]}`` for the fields the form changed."""
    changes: dict[str, Any] = {}
    for name in form.changed_data:
        if name in SECRET_FIELDS:
            changes[name] = ["***", "***"]
            continue
        field = form.fields.get(name)
        old = form.initial.get(name)
        manager = field.queryset.model._default_manager if hasattr(field, "queryset") else None
        if manager is not None and old is not None:
            # A related row is in the initial data by its key: named here by the row itself.
            if isinstance(old, list | tuple):
                old = [
                    item if isinstance(item, models.Model) else manager.filter(pk=item).first()
                    for item in old
                ]
            elif not isinstance(old, models.Model):
                old = manager.filter(pk=old).first()
        changes[name] = [_plain(old), _plain(form.cleaned_data.get(name))]
    return changes


class AuditedAdminMixin:
    """Every add, change and delete made in the admin writes an entry of the audit trail."""

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        super().save_model(request, obj, form, change)  # type: ignore[misc]
        admin_audit(request, obj, "change" if change else "add", form_changes(form))

    def save_formset(self, request: HttpRequest, form: Any, formset: Any, change: bool) -> None:
        super().save_formset(request, form, formset, change)  # type: ignore[misc]
        for obj in formset.new_objects:
            admin_audit(request, obj, "add", {"__parent__": [None, str(form.instance)]})
        for obj, changed in formset.changed_objects:
            by_instance = {sub.instance.pk: sub for sub in formset.forms if sub.instance.pk}
            sub_form = by_instance.get(obj.pk)
            changes = form_changes(sub_form) if sub_form is not None else {}
            admin_audit(request, obj, "change", changes or dict.fromkeys(changed))
        for obj in formset.deleted_objects:
            admin_audit(request, obj, "delete", keep_bloc_year=not isinstance(obj, BlocYear))

    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        # Written first: the entry of a deleted bloc-year would go with it, so it keeps none.
        admin_audit(request, obj, "delete", keep_bloc_year=not isinstance(obj, BlocYear))
        super().delete_model(request, obj)  # type: ignore[misc]

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> None:
        for obj in queryset:
            admin_audit(request, obj, "delete", keep_bloc_year=not isinstance(obj, BlocYear))
        super().delete_queryset(request, queryset)  # type: ignore[misc]


class WorkflowFieldsMixin:
    """``workflow_fields`` are read-only in every form of this admin: the services change them."""

    workflow_fields: Sequence[str] = ()

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        readonly = list(super().get_readonly_fields(request, obj))  # type: ignore[misc]
        return readonly + [name for name in self.workflow_fields if name not in readonly]


class ViewOnlyMixin:
    """Rows only the app's services write (workflow, derived data, history): shown, never
    added, changed or deleted here, by anyone."""

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        readonly = list(super().get_readonly_fields(request, obj))  # type: ignore[misc]
        names = all_field_names(self.model)  # type: ignore[attr-defined]
        return readonly + [name for name in names if name not in readonly]


def all_field_names(model: type[models.Model]) -> list[str]:
    """Every field a form of the model could show (non-editable ones included; not the key)."""
    fields = [*model._meta.fields, *model._meta.many_to_many]
    return [field.name for field in fields if not field.auto_created]


class ScopedAdmin(AuditedAdminMixin, WorkflowFieldsMixin, CouncilScopedMixin, admin.ModelAdmin):
    pass


class ScopedInline(WorkflowFieldsMixin, CouncilScopedMixin, admin.TabularInline):
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

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return not _results_stand(obj) and super().has_add_permission(request, obj)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return not _results_stand(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return not _results_stand(obj) and super().has_delete_permission(request, obj)


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
    # The cycle moves through the app (opening the season, finalizing, publishing, proposing),
    # each step with its checks and its entry in the history: never a free dropdown here.
    workflow_fields = ["state"]

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        # Deleting a year would take its sheets, results and papers with it: only while the
        # year is being set up.
        if obj is not None and obj.state != BlocYear.State.SETUP:
            return False
        return super().has_delete_permission(request, obj)

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
    """Memberships of a year whose results are finalized are read-only."""

    list_display = ["unit", "bloc_year", "role", "year"]
    list_filter = ["role", "year", "bloc_year__bloc__council"]
    search_fields = ["unit__name", "bloc_year__bloc__name"]
    list_select_related = ["unit", "bloc_year__bloc"]
    autocomplete_fields = ["unit", "bloc_year"]

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        stands = obj is not None and _results_stand(obj.bloc_year)
        return not stands and super().has_change_permission(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        stands = obj is not None and _results_stand(obj.bloc_year)
        return not stands and super().has_delete_permission(request, obj)


@admin.register(User)
class UserAdmin(AuditedAdminMixin, CouncilScopedMixin, DjangoUserAdmin):
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

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
