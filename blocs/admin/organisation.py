"""Councils, units (with their former names and reorganisation links) and blocs in the admin."""

from __future__ import annotations

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from blocs.admin.scoping import ScopedAdmin, ScopedInline
from blocs.models import Bloc, Council, Unit, UnitLineage, UnitName


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
