"""Around the ranking in the admin: the ranking rules, saved through their service (read-only
once the bloc-year is finalized); snapshots, publications and complaints, shown only."""

from __future__ import annotations

import json
from typing import Any

from django import forms
from django.contrib import admin
from django.db.models import Model, Q, QuerySet
from django.http import HttpRequest
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from blocs import access
from blocs.admin import (
    COUNCIL_PATHS,
    ScopedAdmin,
    ViewOnlyMixin,
    acting_user,
    admin_audit,
    form_changes,
)
from scoring.models import (
    BandQuota,
    Complaint,
    ComplaintFile,
    Publication,
    RankingRules,
    RankingSnapshot,
)
from scoring.services import ranking as ranking_services

COUNCIL_PATHS.update(
    {
        BandQuota: "council",
        RankingSnapshot: "bloc_year__bloc__council",
        Publication: "bloc_year__bloc__council",
        Complaint: "bloc_year__bloc__council",
        ComplaintFile: "complaint__bloc_year__bloc__council",
    }
)
# Ranking rules are a council's defaults or a bloc-year's own (ScopedAdmin cannot follow two
# paths: RankingRulesAdmin scopes them itself).


class RankingRulesAdminForm(forms.ModelForm):
    """The checks of the ranking-rules page (known tie-breaks, bands from high to low)."""

    reason = forms.CharField(
        label=_("Lý do thay đổi"),
        help_text=_("Bắt buộc khi khối đã mở chấm điểm; báo cho các thành viên."),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    class Meta:
        model = RankingRules
        fields = [
            "council",
            "bloc_year",
            "tie_breaks",
            "bands",
            "empty_sections",
            "explanation_required",
        ]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Not sent (an older page, a script): kept as it is.
        if "empty_sections" in self.fields:
            self.fields["empty_sections"].required = False

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        bloc_year = data.get("bloc_year") or self.instance.bloc_year
        council = data.get("council") or self.instance.council
        if (bloc_year is None) == (council is None):
            raise forms.ValidationError(
                gettext("Chọn hội đồng (quy tắc mặc định) hoặc năm thi đua của khối, không cả hai.")
            )
        if bloc_year is not None and bloc_year.state in ranking_services.FINALIZED_STATES:
            raise forms.ValidationError(
                gettext("Kết quả đã chốt: không đổi quy tắc xếp hạng được nữa.")
            )
        if (
            ranking_services.change_needs_reason(bloc_year)
            and not (data.get("reason") or "").strip()
        ):
            self.add_error(
                "reason", gettext("Khối đã mở chấm điểm: ghi lý do thay đổi quy tắc xếp hạng.")
            )
        if "tie_breaks" in data and "bands" in data:
            try:
                ranking_services.check_rules(data["tie_breaks"] or [], data["bands"] or [])
            except forms.ValidationError as error:
                self.add_error(None, error)
        return data


def _rules_finalized(rules: RankingRules | None) -> bool:
    return (
        rules is not None
        and rules.bloc_year is not None
        and rules.bloc_year.state in ranking_services.FINALIZED_STATES
    )


@admin.register(RankingRules)
class RankingRulesAdmin(ScopedAdmin):
    """A council's default rules, or a bloc-year's own: saved through the ranking service
    (its checks and its entry in the history), read-only once the bloc-year is finalized."""

    form = RankingRulesAdminForm
    list_display = ["__str__", "council", "bloc_year", "explanation_required", "updated_at"]
    list_filter = ["explanation_required", ("council", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["council__name", "bloc_year__bloc__name"]
    list_select_related = ["council", "bloc_year__bloc"]
    autocomplete_fields = ["council", "bloc_year"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[RankingRules]:
        queryset = admin.ModelAdmin.get_queryset(self, request)
        if request.user.is_superuser:
            return queryset
        councils = access.managed_council_ids(request.user)
        return queryset.filter(Q(council__in=councils) | Q(bloc_year__bloc__council__in=councils))

    def get_readonly_fields(self, request: HttpRequest, obj: Model | None = None) -> list[str]:
        # Whose rules they are stays as it was created.
        readonly = list(super().get_readonly_fields(request, obj))
        return [*readonly, "council", "bloc_year"] if obj is not None else readonly

    def has_change_permission(self, request: HttpRequest, obj: RankingRules | None = None) -> bool:
        return not _rules_finalized(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: RankingRules | None = None) -> bool:
        # A bloc-year's own rules are dropped (its council's apply again); defaults stay.
        if obj is not None and (obj.bloc_year_id is None or _rules_finalized(obj)):
            return False
        return super().has_delete_permission(request, obj)

    def get_actions(self, request: HttpRequest) -> Any:
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)  # one at a time, through the service
        return actions

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        saved = ranking_services.ranking_rules_save(
            tie_breaks=form.cleaned_data["tie_breaks"] or [],
            bands=form.cleaned_data["bands"] or [],
            by=acting_user(request),
            bloc_year=obj.bloc_year,
            council=obj.council if obj.bloc_year is None else None,
            explanation_required=form.cleaned_data["explanation_required"],
            empty_sections=form.cleaned_data.get("empty_sections") or None,
            reason=form.cleaned_data.get("reason") or "",
        )
        obj.pk = saved.pk
        obj.tie_breaks, obj.bands = saved.tie_breaks, saved.bands
        obj.empty_sections = saved.empty_sections
        obj.updated_at = saved.updated_at
        obj._state.adding = False
        admin_audit(request, obj, "change" if change else "add", form_changes(form))

    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        admin_audit(request, obj, "delete")
        ranking_services.ranking_rules_reset(
            bloc_year=obj.bloc_year,
            by=acting_user(request),
        )


@admin.register(RankingSnapshot)
class RankingSnapshotAdmin(ViewOnlyMixin, ScopedAdmin):
    """A finalized ranking, as written by finalization, a correction or a complaint: never
    changed; a correction writes the next number (on the ranking page)."""

    list_display = ["bloc_year", "number", "kind", "created_at", "created_by", "row_count"]
    list_filter = [
        ("bloc_year__bloc__council", admin.RelatedOnlyFieldListFilter),
        "bloc_year__year",
        "kind",
    ]
    search_fields = ["bloc_year__bloc__name", "reason"]
    list_select_related = ["bloc_year__bloc", "created_by"]
    date_hierarchy = "created_at"
    fields = [
        "bloc_year",
        "number",
        "kind",
        "reason",
        "created_at",
        "created_by",
        "ranking_table",
        "inputs_hash",
        "data_json",
    ]
    readonly_fields = ["ranking_table", "data_json"]

    @admin.display(description=_("Số đơn vị xếp hạng"))
    def row_count(self, snapshot: RankingSnapshot) -> int:
        return len(snapshot.rows)

    @admin.display(description=_("Bảng xếp hạng"))
    def ranking_table(self, snapshot: RankingSnapshot) -> str:
        rows = format_html_join(
            "",
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            ((row.rank, row.name, row.total, row.band) for row in snapshot.rows),
        )
        return format_html(
            "<table><thead><tr><th>{}</th><th>{}</th><th>{}</th><th>{}</th></tr></thead>"
            "<tbody>{}</tbody></table>",
            gettext("Hạng"),
            gettext("Đơn vị"),
            gettext("Tổng điểm"),
            gettext("Xếp loại"),
            rows,
        )

    @admin.display(description=_("Dữ liệu đã chốt (JSON)"))
    def data_json(self, snapshot: RankingSnapshot) -> str:
        text = json.dumps(snapshot.data, ensure_ascii=False, indent=2, sort_keys=True)
        return format_html(
            "<details><summary>{}</summary><pre>{}</pre></details>", gettext("Xem"), text
        )


@admin.register(Publication)
class PublicationAdmin(ViewOnlyMixin, ScopedAdmin):
    """Provisional and final publication, done on the ranking page."""

    list_display = [
        "bloc_year",
        "provisional_at",
        "complaint_deadline",
        "final_at",
        "provisional_by",
        "final_by",
    ]
    list_filter = [
        ("bloc_year__bloc__council", admin.RelatedOnlyFieldListFilter),
        "bloc_year__year",
        ("final_at", admin.EmptyFieldListFilter),
    ]
    search_fields = ["bloc_year__bloc__name"]
    list_select_related = ["bloc_year__bloc", "provisional_by", "final_by"]


@admin.register(Complaint)
class ComplaintAdmin(ViewOnlyMixin, ScopedAdmin):
    """Complaints lodged and answered on the ranking page (an accepted one corrects the
    ranking with a new snapshot)."""

    list_display = ["created_at", "unit", "about_unit", "bloc_year", "status", "answered_at"]
    list_filter = [
        ("bloc_year__bloc__council", admin.RelatedOnlyFieldListFilter),
        "bloc_year__year",
        "status",
    ]
    search_fields = ["text", "answer", "unit__name", "about_unit__name", "bloc_year__bloc__name"]
    list_select_related = ["unit", "about_unit", "bloc_year__bloc", "answered_by"]
    date_hierarchy = "created_at"


@admin.register(ComplaintFile)
class ComplaintFileAdmin(ViewOnlyMixin, ScopedAdmin):
    """Files sent with a complaint or its answer (checked and served as evidence is)."""

    list_display = ["original_name", "complaint", "part", "content_type", "size", "uploaded_at"]
    list_filter = [
        ("complaint__bloc_year__bloc__council", admin.RelatedOnlyFieldListFilter),
        "complaint__bloc_year__year",
        "part",
    ]
    search_fields = ["original_name", "complaint__unit__name"]
    list_select_related = ["complaint__unit", "uploaded_by"]


@admin.register(BandQuota)
class BandQuotaAdmin(ViewOnlyMixin, ScopedAdmin):
    """A band quota counted across blocs: shown only; the council admin adds and changes it on
    its page (audited, settled once one of its bloc-years is finalized)."""

    list_display = ["name", "council", "year", "band", "share_percent"]
    list_filter = [("council", admin.RelatedOnlyFieldListFilter), "year"]
    search_fields = ["name", "band"]
    list_select_related = ["council"]
    fields = ["council", "year", "name", "band", "share_percent", "bloc_years", "updated_at"]
