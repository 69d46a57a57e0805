"""Django admin for the awards app, scoped to the councils a council admin manages.

The pages of the app are the usual way to change these rows (they check the gates, keep the
workflow and write the history); the admin is for corrections. Rule sets and award types are
the law of a period and serve every council: every council admin sees them, and only a
superuser deletes a rule set. A proposal's history is read-only here as everywhere.

The workflow's records are shown, never changed here: proposals (status, rank, votes), ballots
and their votes, and a decision's number, date and authority (its grants and the proposals it
decided follow them). An award granted by a decided proposal is read-only; one entered from
the paper records of an earlier year stays editable. Every change here is audited.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import Count, Model, QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from awards.admin_filters import AwardFilter, GrantedAwardFilter
from awards.models import (
    AwardGrant,
    AwardType,
    Ballot,
    BallotResult,
    Decision,
    Proposal,
    ProposalEvent,
    QuotaOverride,
    Registration,
    RuleSet,
    UnitYearFacts,
)
from blocs.admin import COUNCIL_PATHS, ScopedAdmin, ScopedInline, ViewOnlyMixin, all_field_names

# RuleSet and AwardType have no council: they are shared (see their admins below).
COUNCIL_PATHS.update(
    {
        QuotaOverride: "bloc_year__bloc__council",
        UnitYearFacts: "unit__council",
        Ballot: "bloc_year__bloc__council",
        BallotResult: "ballot__bloc_year__bloc__council",
        Decision: "council",
        Proposal: "bloc_year__bloc__council",
        ProposalEvent: "proposal__bloc_year__bloc__council",
        AwardGrant: "unit__council",
        Registration: "bloc_year__bloc__council",
    }
)


class SharedCatalogueMixin:
    """Rows every council admin sees: the catalogue is the same for all councils."""

    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        # Skip the council scoping of ScopedAdmin, keep Django's own queryset.
        return admin.ModelAdmin.get_queryset(self, request)  # type: ignore[arg-type]


class AwardTypeInline(admin.StackedInline):
    model = AwardType
    extra = 0
    show_change_link = True
    fieldsets = (
        (
            None,
            {
                "fields": (
                    ("code", "name"),
                    ("kind", "level", "order"),
                    ("authority", "authority_basis"),
                )
            },
        ),
        (
            _("Số lượng, thứ hạng, xếp loại"),
            {
                "classes": ("collapse",),
                "fields": (
                    ("quota_count", "quota_share_percent"),
                    ("max_rank", "rank_within_quota"),
                    "required_bands",
                    ("requires_award_code", "history_award_code", "history_years"),
                    ("history_alternative", "requires_registration"),
                    ("needs_ballot", "min_ballot_share_percent", "needs_council_vote"),
                    ("min_completing_percent", "min_advanced_percent", "advanced_strictly_above"),
                    ("min_emulation_fighters", "no_discipline"),
                ),
            },
        ),
    )


@admin.register(RuleSet)
class RuleSetAdmin(SharedCatalogueMixin, ScopedAdmin):
    list_display = [
        "name",
        "code",
        "valid_from",
        "valid_until",
        "bloc_vote_threshold_percent",
        "council_vote_threshold_percent",
        "award_count",
    ]
    list_filter = ["government_flag_also_provincial"]
    search_fields = ["code", "name", "legal_basis"]
    inlines = [AwardTypeInline]

    def get_queryset(self, request: HttpRequest) -> QuerySet[RuleSet]:
        return super().get_queryset(request).annotate(award_total=Count("award_types"))

    @admin.display(description=_("Số hình thức"), ordering="award_total")
    def award_count(self, rule_set: RuleSet) -> int:
        return rule_set.award_total  # type: ignore[attr-defined]

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        # A rule set carries the awards of past years: removing one is a superuser's act.
        return request.user.is_superuser


@admin.register(AwardType)
class AwardTypeAdmin(SharedCatalogueMixin, ScopedAdmin):
    list_display = [
        "name",
        "code",
        "rule_set",
        "kind",
        "level",
        "authority",
        "quota_count",
        "max_rank",
        "needs_ballot",
        "needs_council_vote",
        "requires_registration",
    ]
    list_filter = [
        "rule_set",
        "kind",
        "level",
        "authority",
        "needs_ballot",
        "needs_council_vote",
        "requires_registration",
    ]
    search_fields = ["code", "name", "rule_set__name", "rule_set__code"]
    list_select_related = ["rule_set"]
    ordering = ["rule_set__valid_from", "order", "pk"]


@admin.register(QuotaOverride)
class QuotaOverrideAdmin(ScopedAdmin):
    list_display = ["bloc_year", "award_type", "quota"]
    list_filter = [
        ("bloc_year__bloc__council", admin.RelatedOnlyFieldListFilter),
        "bloc_year__year",
    ]
    search_fields = ["bloc_year__bloc__name", "award_type__name"]
    list_select_related = ["bloc_year__bloc", "award_type"]
    autocomplete_fields = ["bloc_year", "award_type"]


@admin.register(UnitYearFacts)
class UnitYearFactsAdmin(ScopedAdmin):
    list_display = [
        "unit",
        "year",
        "headcount",
        "completing_tasks",
        "advanced_workers",
        "emulation_fighters",
        "under_investigation",
        "checked_at",
    ]
    list_filter = [
        ("unit__council", admin.RelatedOnlyFieldListFilter),
        "year",
        "under_investigation",
    ]
    search_fields = ["unit__name", "investigation_note"]
    list_select_related = ["unit"]
    autocomplete_fields = ["unit", "entered_by"]
    readonly_fields = ["entered_at"]
    # The secretariat's check is a step of the workflow (on the facts page).
    workflow_fields = ["checked_by", "checked_at"]


class BallotResultInline(ViewOnlyMixin, ScopedInline):
    model = BallotResult
    fields = ["award_type", "unit", "votes_for"]
    extra = 0


@admin.register(Ballot)
class BallotAdmin(ViewOnlyMixin, ScopedAdmin):
    """The bloc's vote, recorded with the minutes on the ballot page: shown only."""

    list_display = [
        "bloc_year",
        "held_on",
        "members_total",
        "members_present",
        "ballots_valid",
        "recorded_by",
    ]
    list_filter = [
        ("bloc_year__bloc__council", admin.RelatedOnlyFieldListFilter),
        "bloc_year__year",
    ]
    search_fields = ["bloc_year__bloc__name", "place", "note"]
    list_select_related = ["bloc_year__bloc", "recorded_by"]
    inlines = [BallotResultInline]


@admin.register(BallotResult)
class BallotResultAdmin(ViewOnlyMixin, ScopedAdmin):
    list_display = ["unit", "award_type", "votes_for", "ballot"]
    list_filter = [
        ("ballot__bloc_year__bloc__council", admin.RelatedOnlyFieldListFilter),
        "ballot__bloc_year__year",
        AwardFilter,
    ]
    search_fields = ["unit__name", "award_type__name", "ballot__bloc_year__bloc__name"]
    list_select_related = ["unit", "award_type", "ballot__bloc_year__bloc"]


@admin.register(Decision)
class DecisionAdmin(ScopedAdmin):
    list_display = [
        "number",
        "date",
        "authority",
        "council",
        "signer_title",
        "signer_name",
        "grant_count",
    ]
    list_filter = [("council", admin.RelatedOnlyFieldListFilter), "authority", "date"]
    search_fields = ["number", "signer_name", "signer_title"]
    list_select_related = ["council"]
    autocomplete_fields = ["council", "recorded_by"]
    readonly_fields = ["recorded_at"]
    date_hierarchy = "date"
    # Recorded on the decisions page, which grants the awards and moves the proposals: the
    # admin corrects only the signer and the file.
    workflow_fields = ["council", "number", "date", "authority", "recorded_by"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False

    def get_queryset(self, request: HttpRequest) -> QuerySet[Decision]:
        return super().get_queryset(request).annotate(grant_total=Count("grants"))

    @admin.display(description=_("Số khen thưởng"), ordering="grant_total")
    def grant_count(self, decision: Decision) -> int:
        return decision.grant_total  # type: ignore[attr-defined]


class ProposalEventInline(ViewOnlyMixin, ScopedInline):
    """Who did what, when: written by the workflow, never edited."""

    model = ProposalEvent
    fields = ["at", "action", "by", "note"]
    readonly_fields = ["at", "action", "by", "note"]
    extra = 0
    can_delete = False

    def get_queryset(self, request: HttpRequest) -> QuerySet[ProposalEvent]:
        return super().get_queryset(request).select_related("by")


@admin.register(Proposal)
class ProposalAdmin(ViewOnlyMixin, ScopedAdmin):
    """Drafted, submitted, reviewed and decided on the proposals pages: shown only."""

    list_display = ["unit", "award_type", "bloc_year", "status", "rank", "votes_for", "decision"]
    list_filter = [
        ("bloc_year__bloc__council", admin.RelatedOnlyFieldListFilter),
        "bloc_year__year",
        "status",
        AwardFilter,
    ]
    search_fields = ["unit__name", "award_type__name", "bloc_year__bloc__name", "summary"]
    list_select_related = ["unit", "award_type", "bloc_year__bloc", "decision"]
    inlines = [ProposalEventInline]


@admin.register(Registration)
class RegistrationAdmin(ViewOnlyMixin, ScopedAdmin):
    """Written on the registration pages (deadline, on-behalf and late rules): shown only."""

    list_display = ["unit", "bloc_year", "registered_at", "registered_by", "on_behalf", "late"]
    list_filter = [
        ("bloc_year__bloc__council", admin.RelatedOnlyFieldListFilter),
        "bloc_year__year",
        "late",
        "on_behalf",
    ]
    search_fields = ["unit__name", "bloc_year__bloc__name", "pledge"]
    list_select_related = ["unit", "bloc_year__bloc", "registered_by"]


@admin.register(ProposalEvent)
class ProposalEventAdmin(ViewOnlyMixin, ScopedAdmin):
    """The proposals' history as the workflow wrote it: read only."""

    list_display = ["at", "proposal", "action", "by", "note"]
    list_filter = [
        ("proposal__bloc_year__bloc__council", admin.RelatedOnlyFieldListFilter),
        "action",
    ]
    search_fields = ["note", "proposal__unit__name", "by__full_name"]
    list_select_related = [
        "proposal__unit",
        "proposal__award_type",
        "proposal__bloc_year__bloc",
        "by",
    ]
    date_hierarchy = "at"


@admin.register(AwardGrant)
class AwardGrantAdmin(ScopedAdmin):
    """Awards received: from decided proposals, or entered from the paper records of earlier
    years (needed by gates such as two years of "Tập thể lao động xuất sắc")."""

    list_display = ["unit", "year", "award_name", "award_code", "decision", "decision_text"]
    list_filter = [("unit__council", admin.RelatedOnlyFieldListFilter), "year", GrantedAwardFilter]
    search_fields = ["unit__name", "award_name", "award_code", "decision__number", "decision_text"]
    list_select_related = ["unit", "decision"]
    autocomplete_fields = ["unit", "decision"]

    def get_readonly_fields(self, request: HttpRequest, obj: AwardGrant | None = None) -> list[str]:
        readonly = list(super().get_readonly_fields(request, obj))
        if obj is not None and obj.proposal_id is not None:
            # Granted by a decided proposal: it is what the decision says.
            return readonly + [name for name in all_field_names(AwardGrant) if name not in readonly]
        return [*readonly, "proposal"]

    def has_delete_permission(self, request: HttpRequest, obj: AwardGrant | None = None) -> bool:
        if obj is not None and obj.proposal_id is not None:
            return False
        return super().has_delete_permission(request, obj)
