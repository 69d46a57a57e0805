"""The scoring's own records in the admin: seasons, sheets, lines, explanations, evidence and
peer assessments, shown and never changed here (the sheet page changes them, with their
reasons and history)."""

from __future__ import annotations

from django.contrib import admin
from django.db.models import Model, QuerySet
from django.http import HttpRequest

from blocs.admin import COUNCIL_PATHS, ScopedAdmin, ScopedInline, ViewOnlyMixin
from scoring.models import (
    Evidence,
    ExplanationRequest,
    PeerAssessment,
    ScoreLine,
    ScoreSheet,
    ScoringSeason,
)

COUNCIL_PATHS.update(
    {
        ScoringSeason: "bloc_year__bloc__council",
        ScoreSheet: "bloc_year__bloc__council",
        ScoreLine: "sheet__bloc_year__bloc__council",
        ExplanationRequest: "line__sheet__bloc_year__bloc__council",
        Evidence: "line__sheet__bloc_year__bloc__council",
        PeerAssessment: "bloc_year__bloc__council",
    }
)


@admin.register(ScoringSeason)
class ScoringSeasonAdmin(ViewOnlyMixin, ScopedAdmin):
    """Opened by the season's service (which writes every member's sheet): shown only."""

    list_display = ["bloc_year", "criteria_set", "mode", "opened_at", "opened_by"]
    list_filter = [
        ("bloc_year__bloc__council", admin.RelatedOnlyFieldListFilter),
        "bloc_year__year",
        "mode",
    ]
    search_fields = ["bloc_year__bloc__name", "criteria_set__name"]
    list_select_related = ["bloc_year__bloc", "criteria_set", "opened_by"]


class ScoreLineInline(ScopedInline):
    """The lines as recorded; points change only through the sheet page (with their history)."""

    model = ScoreLine
    fields = [
        "criterion",
        "self_points",
        "verified_points",
        "council_adjustment",
        "not_applicable",
    ]
    readonly_fields = [
        "criterion",
        "self_points",
        "verified_points",
        "council_adjustment",
        "not_applicable",
    ]
    extra = 0
    can_delete = False
    show_change_link = True

    def get_queryset(self, request: HttpRequest) -> QuerySet[ScoreLine]:
        return super().get_queryset(request).select_related("criterion")

    def has_add_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False


@admin.register(ScoreSheet)
class ScoreSheetAdmin(ViewOnlyMixin, ScopedAdmin):
    """State, points and totals change only on the sheet page, with their reason and history;
    the page is linked from here ("Xem trên trang")."""

    list_display = ["unit", "bloc_year", "state", "entered_on_behalf", "submitted_at", "updated_at"]
    list_filter = [
        ("bloc_year__bloc__council", admin.RelatedOnlyFieldListFilter),
        "bloc_year__year",
        "state",
        "entered_on_behalf",
    ]
    search_fields = ["unit__name", "bloc_year__bloc__name"]
    list_select_related = ["unit", "bloc_year__bloc"]
    readonly_fields = [
        "version",
        "submitted_at",
        "submitted_by",
        "verified_at",
        "verified_by",
        "updated_at",
        "updated_by",
        "verified_total",
        "verified_missing",
    ]
    inlines = [ScoreLineInline]


@admin.register(ScoreLine)
class ScoreLineAdmin(ViewOnlyMixin, ScopedAdmin):
    list_display = [
        "sheet",
        "criterion",
        "self_points",
        "verified_points",
        "council_adjustment",
        "not_applicable",
    ]
    list_filter = [
        ("sheet__bloc_year__bloc__council", admin.RelatedOnlyFieldListFilter),
        "sheet__bloc_year__year",
        "not_applicable",
        "criterion__kind",
    ]
    search_fields = ["sheet__unit__name", "criterion__code", "criterion__title"]
    list_select_related = ["sheet__unit", "sheet__bloc_year__bloc", "criterion"]
    # Values, points, adjustments: the sheet page changes them (with reasons and the totals).


@admin.register(ExplanationRequest)
class ExplanationRequestAdmin(ViewOnlyMixin, ScopedAdmin):
    list_display = ["line", "status", "asked_by", "asked_at", "answered_at", "decided_at"]
    list_filter = [
        ("line__sheet__bloc_year__bloc__council", admin.RelatedOnlyFieldListFilter),
        "line__sheet__bloc_year__year",
        "status",
    ]
    search_fields = ["question", "answer", "line__sheet__unit__name", "line__criterion__code"]
    list_select_related = ["line__sheet__unit", "line__sheet__bloc_year__bloc", "line__criterion"]


@admin.register(Evidence)
class EvidenceAdmin(ViewOnlyMixin, ScopedAdmin):
    list_display = ["original_name", "line", "content_type", "size", "uploaded_by", "uploaded_at"]
    list_filter = [
        ("line__sheet__bloc_year__bloc__council", admin.RelatedOnlyFieldListFilter),
        "line__sheet__bloc_year__year",
        "content_type",
    ]
    search_fields = ["original_name", "line__sheet__unit__name", "line__criterion__code"]
    list_select_related = [
        "line__sheet__unit",
        "line__sheet__bloc_year__bloc",
        "line__criterion",
        "uploaded_by",
    ]


@admin.register(PeerAssessment)
class PeerAssessmentAdmin(ViewOnlyMixin, ScopedAdmin):
    list_display = ["scorer", "scored", "bloc_year", "state", "submitted_at", "updated_at"]
    list_filter = [
        ("bloc_year__bloc__council", admin.RelatedOnlyFieldListFilter),
        "bloc_year__year",
        "state",
    ]
    search_fields = ["scorer__name", "scored__name", "bloc_year__bloc__name"]
    list_select_related = ["scorer", "scored", "bloc_year__bloc"]
