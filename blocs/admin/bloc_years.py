"""Bloc-years and their members in the admin: the state moves only through the app, the stage
deadlines through their service, and the members change here only while the year is being set
up (the women's share never: the app derives it)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db.models import Count, Prefetch, QuerySet
from django.forms import BaseInlineFormSet, ModelForm
from django.http import HttpRequest
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from blocs import deadlines
from blocs.admin.scoping import ScopedAdmin, ScopedInline, acting_user
from blocs.models import BlocYear, Membership, Unit, User

# Members change in the admin only while the year is being set up: from then on each member has
# its sheet, its facts and its "my work", which a membership added or removed here would leave
# disagreeing. After setup the app changes members: a reorganisation (while the year has not
# started scoring, blocs.reorganisation) and the next year's opening (portal.rollover).
MEMBERS_FIXED_HELP = _(
    "Năm thi đua đã qua giai đoạn chuẩn bị: thành viên không sửa ở đây. Thay đổi thành viên do "
    "sắp xếp tổ chức ghi ở trang “Sắp xếp tổ chức” của hội đồng (khi năm chưa chấm điểm); "
    "thành viên của năm sau được chọn khi mở năm sau (trang “Mở năm …” của khối)."
)
# The women's share is the app's: copied from the unit's staff figures of the year
# (awards.services.facts), or from an import. Never typed in the admin.
DERIVED_FIELDS = ["women_share"]


def members_fixed(bloc_year: BlocYear | None) -> bool:
    """The year is past setup: its members are not added, removed or changed in the admin."""
    return bloc_year is not None and bloc_year.state != BlocYear.State.SETUP


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
            # A read-only row (a year past setup) is not validated: Django gives its initial
            # data as cleaned data, the unit as its key.
            unit_pk = unit.pk if isinstance(unit, Unit) else unit
            if unit_pk in units:
                raise ValidationError(gettext("%(unit)s được nhập hai lần.") % {"unit": unit})
            units.add(unit_pk)
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
    workflow_fields = DERIVED_FIELDS

    def has_add_permission(self, request: HttpRequest, obj: BlocYear | None = None) -> bool:
        return not members_fixed(obj) and super().has_add_permission(request, obj)

    def has_change_permission(self, request: HttpRequest, obj: BlocYear | None = None) -> bool:
        return not members_fixed(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: BlocYear | None = None) -> bool:
        return not members_fixed(obj) and super().has_delete_permission(request, obj)


# Who may be picked as an extra secretary of a bloc-year: active focal points.
SECRETARY_CHOICES = {"role": User.Role.FOCAL_POINT, "is_active": True}


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
    # Extra secretaries are searched by name (the server sorts in the Vietnamese alphabet; the
    # two-box picker re-sorted its options in the browser's order) and are focal points only:
    # leaders and council admins have rights of their own (UserAdmin.get_search_results).
    autocomplete_fields = ["bloc", "secretaries"]
    inlines = [MembershipInline]
    # The cycle moves through the app (opening the season, finalizing, publishing, proposing),
    # each step with its checks and its entry in the history: never a free dropdown here.
    workflow_fields = ["state"]

    def formfield_for_manytomany(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        field = super().formfield_for_manytomany(db_field, request, **kwargs)
        if db_field.name == "secretaries" and field is not None:
            field.queryset = field.queryset.filter(**SECRETARY_CHOICES)  # type: ignore[union-attr]
        return field

    def get_readonly_fields(self, request: HttpRequest, obj: BlocYear | None = None) -> list[str]:
        """Once the year is under way its bloc and year are what every sheet, result and paper
        of it refers to: fixed; so are its members (the note says where they change)."""
        readonly = list(super().get_readonly_fields(request, obj))
        if members_fixed(obj):
            readonly += [name for name in ("bloc", "year") if name not in readonly]
            readonly.append("members_note")
        return readonly

    @admin.display(description=_("Thành viên"))
    def members_note(self, bloc_year: BlocYear) -> str:
        return str(MEMBERS_FIXED_HELP)

    def has_delete_permission(self, request: HttpRequest, obj: BlocYear | None = None) -> bool:
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
                by=acting_user(request),
                **{field: getattr(obj, field) for field in deadlines.FIELDS},
            )
        super().save_model(request, obj, form, change)


@admin.register(Membership)
class MembershipAdmin(ScopedAdmin):
    """Memberships of a year past setup are read-only; a new one goes only into a year being
    set up."""

    list_display = ["unit", "bloc_year", "role", "year", "women_share"]
    list_filter = ["role", "year", "bloc_year__bloc__council"]
    search_fields = ["unit__name", "bloc_year__bloc__name"]
    list_select_related = ["unit", "bloc_year__bloc"]
    autocomplete_fields = ["unit", "bloc_year"]
    workflow_fields = DERIVED_FIELDS

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        if db_field.name == "bloc_year" and field is not None:
            field.queryset = field.queryset.filter(state=BlocYear.State.SETUP)  # type: ignore[union-attr]
            field.help_text = MEMBERS_FIXED_HELP
        return field

    def has_change_permission(self, request: HttpRequest, obj: Membership | None = None) -> bool:
        fixed = obj is not None and members_fixed(obj.bloc_year)
        return not fixed and super().has_change_permission(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Membership | None = None) -> bool:
        fixed = obj is not None and members_fixed(obj.bloc_year)
        return not fixed and super().has_delete_permission(request, obj)
