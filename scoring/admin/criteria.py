"""Criteria sets and criteria in the admin: read-only once the set is frozen; parents follow the
codes, and the totals kept on the sheets follow a change of the bonus cap."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.db.models import Count, Model, QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from blocs.admin import COUNCIL_PATHS, ScopedAdmin, ScopedInline, acting_user
from scoring import locks, rules, totals
from scoring.forms import clean_tiers, show_tiers, tier_field
from scoring.models import CriteriaSet, Criterion
from scoring.services import criteria as criteria_services

COUNCIL_PATHS.update({CriteriaSet: "council", Criterion: "criteria_set__council"})


CRITERION_FIELDS: list[Any] = [
    "code",
    "title",
    "max_points",
    "kind",
    "method",
    "points_per_occurrence",
    "tiers",
    "tier_unit",
    "floor_percent",
    "scored_by",
    "scorer_unit",
    "order",
]


def _is_frozen(criteria_set: CriteriaSet | None) -> bool:
    return criteria_set is not None and criteria_set.is_frozen


class CriterionInlineForm(forms.ModelForm):
    tiers = tier_field()

    class Meta:
        model = Criterion
        fields = CRITERION_FIELDS

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        show_tiers(self)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        # Said at the field, before the model's check constraint says it in English.
        if data.get("method") == rules.PER_OCCURRENCE and data.get("points_per_occurrence") is None:
            self.add_error("points_per_occurrence", gettext("Nhập số điểm cho mỗi lần."))
        clean_tiers(self, data)
        department = data.get("scored_by") == Criterion.ScoredBy.DEPARTMENT
        if department and data.get("scorer_unit") is None and "scorer_unit" not in self.errors:
            self.add_error("scorer_unit", gettext("Chọn sở, ngành được giao chấm tiêu chí này."))
        elif not department and data.get("scorer_unit") is not None:
            self.add_error(
                "scorer_unit",
                gettext("Chỉ chọn sở, ngành chấm khi tiêu chí do sở, ngành được giao chấm."),
            )
        return data


class CriterionInline(ScopedInline):
    model = Criterion
    form = CriterionInlineForm
    fk_name = "criteria_set"
    fields = CRITERION_FIELDS
    autocomplete_fields = ["scorer_unit"]
    extra = 0
    show_change_link = True
    ordering = ["order", "pk"]

    def has_add_permission(self, request: HttpRequest, obj: CriteriaSet | None = None) -> bool:
        return not _is_frozen(obj) and super().has_add_permission(request, obj)

    def has_change_permission(self, request: HttpRequest, obj: CriteriaSet | None = None) -> bool:
        return not _is_frozen(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: CriteriaSet | None = None) -> bool:
        return not _is_frozen(obj) and super().has_delete_permission(request, obj)


@admin.register(CriteriaSet)
class CriteriaSetAdmin(ScopedAdmin):
    list_display = ["name", "year", "council", "bloc_year", "criteria_count", "frozen_at"]
    list_filter = [
        ("council", admin.RelatedOnlyFieldListFilter),
        "year",
        ("frozen_at", admin.EmptyFieldListFilter),
    ]
    search_fields = ["name", "council__name", "bloc_year__bloc__name"]
    list_select_related = ["council", "bloc_year__bloc"]
    autocomplete_fields = ["council", "bloc_year"]
    # Freezing and unfreezing go through scoring (with a reason), never through this form.
    readonly_fields = ["frozen_at", "cloned_from", "created_at"]
    inlines = [CriterionInline]

    def get_queryset(self, request: HttpRequest) -> QuerySet[CriteriaSet]:
        return super().get_queryset(request).annotate(criteria_total=Count("criteria"))

    @admin.display(description=_("Số tiêu chí"), ordering="criteria_total")
    def criteria_count(self, criteria_set: CriteriaSet) -> int:
        return criteria_set.criteria_total  # type: ignore[attr-defined]

    def has_change_permission(self, request: HttpRequest, obj: CriteriaSet | None = None) -> bool:
        return not _is_frozen(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: CriteriaSet | None = None) -> bool:
        return not _is_frozen(obj) and super().has_delete_permission(request, obj)

    def save_formset(self, request: HttpRequest, form: Any, formset: Any, change: bool) -> None:
        super().save_formset(request, form, formset, change)
        touched = formset.new_objects or formset.changed_objects or formset.deleted_objects
        if formset.model is Criterion and touched:
            criteria_services.criteria_set_relink(
                criteria_set=form.instance,
                by=acting_user(request),
                summary=gettext("Sửa các tiêu chí trong trang quản trị"),
            )

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        super().save_related(request, form, formsets, change)
        if change and "bonus_cap" in form.changed_data:
            # After the set's and the criteria's rows, the sheets scored with the set in pk
            # order (scoring/locks.py), then their totals.
            totals.refresh(locks.lock_criteria_set_sheets(form.instance.pk))


class CriterionAdminForm(CriterionInlineForm):
    class Meta:
        model = Criterion
        fields = ["criteria_set", *CRITERION_FIELDS, "guidance"]

    def clean_criteria_set(self) -> CriteriaSet:
        criteria_set: CriteriaSet = self.cleaned_data["criteria_set"]
        if criteria_set.is_frozen:
            raise forms.ValidationError(
                gettext("Bảng tiêu chí đã khóa; quản trị mở khóa ở trang của bảng, có ghi lý do.")
            )
        return criteria_set


@admin.register(Criterion)
class CriterionAdmin(ScopedAdmin):
    form = CriterionAdminForm
    list_display = [
        "code",
        "title",
        "criteria_set",
        "max_points",
        "kind",
        "method",
        "scored_by",
        "scorer_unit",
    ]
    list_filter = [
        ("criteria_set__council", admin.RelatedOnlyFieldListFilter),
        "criteria_set__year",
        "kind",
        "method",
        "scored_by",
        ("scorer_unit", admin.RelatedOnlyFieldListFilter),
    ]
    search_fields = ["code", "title", "criteria_set__name"]
    list_select_related = ["criteria_set", "scorer_unit"]
    autocomplete_fields = ["criteria_set", "scorer_unit"]
    readonly_fields = ["parent"]

    def get_readonly_fields(self, request: HttpRequest, obj: Model | None = None) -> list[str]:
        # A criterion stays in its set: moving it would leave its children behind.
        readonly = list(super().get_readonly_fields(request, obj))
        return [*readonly, "criteria_set"] if obj is not None else readonly

    def has_change_permission(self, request: HttpRequest, obj: Criterion | None = None) -> bool:
        frozen = obj is not None and obj.criteria_set.is_frozen
        return not frozen and super().has_change_permission(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Criterion | None = None) -> bool:
        frozen = obj is not None and obj.criteria_set.is_frozen
        return not frozen and super().has_delete_permission(request, obj)

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        super().save_model(request, obj, form, change)
        criteria_services.criteria_set_relink(
            criteria_set=obj.criteria_set,
            by=acting_user(request),
            summary=gettext("Sửa tiêu chí %(code)s trong trang quản trị") % {"code": obj.code},
        )

    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        criteria_set = obj.criteria_set
        code = obj.code
        super().delete_model(request, obj)
        criteria_services.criteria_set_relink(
            criteria_set=criteria_set,
            by=acting_user(request),
            summary=gettext("Xóa tiêu chí %(code)s trong trang quản trị") % {"code": code},
        )
