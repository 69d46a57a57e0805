"""The ranking page with its what-if panel, finalization, the snapshots and corrections."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from blocs import access as bloc_access
from blocs.http import AuthenticatedHttpRequest
from blocs.models import BlocYear
from common.charts import Bar, bar_chart
from common.navigation import Crumb, home_crumb
from common.numbers import format_plain
from scoring import access, rules, vote_ranking
from scoring.forms_ranking import CorrectionForm
from scoring.importer.write_bands import BANDS_ONLY
from scoring.models import RankingSnapshot, ScoreSheet
from scoring.ranking import Band, band_from_json
from scoring.rows import RankingRow
from scoring.selectors import ranking as ranking_selectors
from scoring.selectors.quotas import QuotaLine, quota_lines_of, quota_outcome
from scoring.selectors.ranking_kept import kept_ranking_input
from scoring.selectors.ranking_page import PageFacts, page_facts
from scoring.selectors.ranking_rules import rules_of
from scoring.selectors.votes import vote_rows
from scoring.selectors.what_if import what_if
from scoring.services import ranking as services
from scoring.services.ranking.votes import OPEN_STATES


def crumbs(bloc_year: BlocYear, *last: Crumb) -> list[Crumb]:
    bloc = bloc_year.bloc
    return [
        home_crumb(),
        Crumb(bloc.council.name, bloc.council.get_absolute_url()),
        Crumb(bloc.name, bloc.get_absolute_url()),
        Crumb(str(bloc_year.year), bloc_year.get_absolute_url()),
        *last,
    ]


def results_bloc_year(
    request: HttpRequest, bloc_id: int, year: int
) -> tuple[BlocYear, PageFacts] | HttpResponse:
    """The bloc-year, with what the page asks of it first (``PageFacts``), if this person may
    see its results; else a login redirect or 403."""
    bloc_year = bloc_access.get_bloc_year_for_user(request, bloc_id, year)
    facts = page_facts(bloc_year)
    if not facts.has_ranking(bloc_year):
        raise Http404
    if access.can_see_results(request.user, bloc_year):
        return bloc_year, facts
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    raise PermissionDenied


def has_ranking(bloc_year: BlocYear) -> bool:
    """Scored, frozen, or ranked by vote alone (``PageFacts.has_ranking``)."""
    return page_facts(bloc_year).has_ranking(bloc_year)


def _chart(rows: list[RankingRow]) -> str:
    if not any(row.total is not None for row in rows):
        return ""  # ranked without points (by vote, or bands only): no chart of totals
    return bar_chart(
        [
            Bar(
                label=row.name,
                value=row.total,
                note=f"{row.rank}." if row.rank else "–",
                emphasis=row.rank == 1,
            )
            for row in rows
        ],
        title=_("Tổng điểm thẩm định theo thứ hạng"),
    )


@dataclass
class Shown:
    """The ranking the page shows: the latest snapshot's, else the live one (``live`` kept for
    the what-if panel), with the sheets not yet verified."""

    rows: list[RankingRow]
    sections: list[Any]
    live: ranking_selectors.RankingInput | None = None
    unverified: int = 0
    empty_sections: str = rules.PRO_RATA  # what a section with no task counted
    # (band, cap as written: "20", "12,5") of the bands with a cap on their units
    caps: list[tuple[str, str]] = field(default_factory=list)
    vote_rule: list[str] | None = None  # ranked by vote alone: the rule in words
    points: bool = True  # some row has points (False: by vote, or a year of bands only)
    by_points: bool = True  # ranked from score sheets (False: by vote, or bands only)
    # the quotas counted across blocs, with the rows each counted (docs/ranking.md)
    quotas: list[QuotaLine] = field(default_factory=list)


def _shown(bloc_year: BlocYear, snapshot: RankingSnapshot | None, facts: PageFacts) -> Shown:
    shown = _shown_rows(bloc_year, snapshot, facts)
    shown.points = any(row.total is not None for row in shown.rows)
    return shown


def _shown_rows(bloc_year: BlocYear, snapshot: RankingSnapshot | None, facts: PageFacts) -> Shown:
    if snapshot is not None:
        return _frozen(snapshot)
    found = rules_of(bloc_year)
    if found.by_votes:
        rule = vote_ranking.explain(found.vote_bands)
        return Shown(vote_rows(bloc_year, found), [], vote_rule=rule, by_points=False)
    # The sheets' kept parts, not every line (scoring/selectors/ranking_kept.py).
    live = kept_ranking_input(bloc_year, in_force=found)
    # The quotas' preview: this year's live rows counted with the other blocs' rows.
    rows = ranking_selectors.ranking_rows(live, live.rank())
    quotas: list[QuotaLine] = []
    if facts.quotas:
        rows, quotas = quota_outcome(bloc_year, live, rows)
    # The page shows rows and sections only; criteria and points are for snapshots.
    return Shown(
        rows,
        ranking_selectors.section_heads(live),
        live,
        _unverified(bloc_year, live),
        live.settings.empty_sections,
        _capped(live.settings.bands),
        quotas=quotas,
    )


def _unverified(bloc_year: BlocYear, live: ranking_selectors.RankingInput) -> int:
    """The year's sheets not yet verified: counted with the kept parts when read with them."""
    if live.unverified is not None:
        return live.unverified
    return (
        ScoreSheet.objects.filter(bloc_year=bloc_year)
        .exclude(state__in=[ScoreSheet.State.VERIFIED])
        .count()
    )


def _frozen(snapshot: RankingSnapshot) -> Shown:
    """A snapshot's ranking: by points, by vote, or a past year's published bands."""
    settings = snapshot.data.get("settings") or {}
    if settings.get("mode") == vote_ranking.VOTES:
        bands = [vote_ranking.vote_band_from_json(band) for band in settings["vote_bands"]]
        rule = vote_ranking.explain(bands)
        return Shown(snapshot.rows, [], vote_rule=rule, by_points=False)
    if settings.get("mode") == BANDS_ONLY:
        return Shown(snapshot.rows, [], by_points=False)
    return Shown(
        snapshot.rows,
        snapshot.data.get("sections", []),
        empty_sections=settings.get("empty_sections", rules.PRO_RATA),
        caps=_capped(band_from_json(band) for band in settings.get("bands", [])),
        quotas=quota_lines_of(snapshot),
    )


def _finalizable(bloc_year: BlocYear, shown: Shown) -> bool:
    if shown.vote_rule is not None:
        return bloc_year.state in OPEN_STATES
    return bloc_year.state == BlocYear.State.SCORING


def _capped(bands: Iterable[Band]) -> list[tuple[str, str]]:
    return [
        (band.name, format_plain(band.cap_percent))
        for band in bands
        if band.cap_percent is not None
    ]


@require_safe
def ranking(request: HttpRequest, bloc_id: int, year: int) -> HttpResponse:
    found = results_bloc_year(request, bloc_id, year)
    if isinstance(found, HttpResponse):
        return found
    (bloc_year, facts), user = found, request.user
    can_manage = bloc_access.can_manage_bloc_year(user, bloc_year)
    snapshot = facts.latest_snapshot()
    shown = _shown(bloc_year, snapshot, facts)
    panel = None
    if can_manage and shown.by_points and bloc_year.state not in access.PUBLISHED_STATES:
        live = shown.live or kept_ranking_input(bloc_year)
        panel = what_if(bloc_year, live, request.GET)
    return render(
        request,
        "scoring/ranking.html",
        {
            "bloc_year": bloc_year,
            "snapshot": snapshot,
            "rows": shown.rows,
            "sections": shown.sections,
            "shown": shown,
            "empty_sections": shown.empty_sections,
            "caps": shown.caps,
            "quotas": shown.quotas,
            "chart": _chart(shown.rows),
            "unverified": shown.unverified,
            "can_manage": can_manage,
            "can_finalize": can_manage and _finalizable(bloc_year, shown),
            "can_correct": snapshot is not None and access.can_correct_results(user, bloc_year),
            # Complaints stay among the people concerned; the public never sees the button.
            "can_see_complaints": snapshot is not None
            and user.is_authenticated
            and access.can_see_complaints(user, bloc_year),
            "what_if": panel,
            "rules_change": facts.rules_change(),
            "breadcrumbs": crumbs(bloc_year, Crumb(_("Xếp hạng"))),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def finalize(request: AuthenticatedHttpRequest, bloc_id: int, year: int) -> HttpResponse:
    """Check your answers, then freeze the ranking and lock the sheets."""
    bloc_year = bloc_access.get_bloc_year_for_user(request, bloc_id, year, write=True)
    if not has_ranking(bloc_year):
        raise Http404
    if request.method == "POST":
        try:
            snapshot = services.bloc_year_finalize(bloc_year=bloc_year, by=request.user)
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
            return redirect("scoring:finalize", bloc_id, year)
        messages.success(
            request, _("Đã chốt kết quả xếp hạng (lần %(number)s).") % {"number": snapshot.number}
        )
        return redirect("scoring:ranking", bloc_id, year)
    return render(
        request,
        "scoring/finalize.html",
        {
            "bloc_year": bloc_year,
            **_finalize_context(bloc_year),
            "breadcrumbs": crumbs(
                bloc_year,
                Crumb(_("Xếp hạng"), _url("scoring:ranking", bloc_year)),
                Crumb(_("Chốt kết quả")),
            ),
        },
    )


def _finalize_context(bloc_year: BlocYear) -> dict[str, Any]:
    """What is missing (grouped by sheet with counts and links, not one line per criterion;
    for a year ranked by vote, the members without a vote result) and the rows to freeze."""
    found = rules_of(bloc_year)
    if found.by_votes:
        open_ = bloc_year.state in OPEN_STATES
        return {
            "gaps": services.FinalizationGaps(),
            "vote_problems": services.finalization_problems(bloc_year) if open_ else [],
            "rows": vote_rows(bloc_year, found),
            "by_votes": True,
            "already": not open_,
        }
    gaps = (
        services.finalization_gaps(bloc_year)
        if bloc_year.state == BlocYear.State.SCORING
        else services.FinalizationGaps()
    )
    data = ranking_selectors.ranking_input(bloc_year, in_force=found)
    return {
        "gaps": gaps,
        "rows": ranking_selectors.ranking_rows(data, data.rank()),
        "already": bloc_year.state != BlocYear.State.SCORING,
    }


def _url(name: str, bloc_year: BlocYear) -> str:
    from django.urls import reverse

    return reverse(name, args=[bloc_year.bloc_id, bloc_year.year])


@require_safe
def snapshots(request: HttpRequest, bloc_id: int, year: int) -> HttpResponse:
    """Every snapshot of the year, newest first, with what changed since the one before."""
    found = results_bloc_year(request, bloc_id, year)
    if isinstance(found, HttpResponse):
        return found
    bloc_year = found[0]
    items = list(
        RankingSnapshot.objects.filter(bloc_year=bloc_year)
        .select_related("created_by")
        .order_by("number")
    )
    history = [
        {
            "snapshot": snapshot,
            "changes": ranking_selectors.snapshot_changes(items[index - 1], snapshot)
            if index
            else [],
        }
        for index, snapshot in enumerate(items)
    ]
    return render(
        request,
        "scoring/snapshots.html",
        {
            "bloc_year": bloc_year,
            "history": list(reversed(history)),
            "breadcrumbs": crumbs(
                bloc_year,
                Crumb(_("Xếp hạng"), _url("scoring:ranking", bloc_year)),
                Crumb(_("Các lần chốt")),
            ),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def correct(request: AuthenticatedHttpRequest, bloc_id: int, year: int) -> HttpResponse:
    """A council admin corrects a finalized year: one unit's lines, a reason, a new snapshot."""
    bloc_year = bloc_access.get_bloc_year_for_user(request, bloc_id, year)
    if not access.can_correct_results(request.user, bloc_year):
        raise PermissionDenied
    if bloc_year.state not in services.FINALIZED_STATES:
        messages.error(request, _("Kết quả chưa chốt: hãy sửa trực tiếp trên bảng điểm."))
        return redirect("scoring:ranking", bloc_id, year)
    sheets = list(
        ScoreSheet.objects.filter(bloc_year=bloc_year).select_related("unit").order_by("unit__name")
    )
    form = CorrectionForm(request.POST if request.method == "POST" else request.GET, sheets=sheets)
    if request.method == "POST":
        snapshot = form.save(bloc_year=bloc_year, by=request.user)
        if snapshot is not None:
            messages.success(
                request,
                _("Đã điều chỉnh; kết quả được chốt lại (lần %(number)s).")
                % {"number": snapshot.number},
            )
            return redirect("scoring:snapshots", bloc_id, year)
    return render(
        request,
        "scoring/correct.html",
        {
            "bloc_year": bloc_year,
            "sheets": sheets,
            "chosen": form.chosen,
            "lines": form.shown_lines(),
            "errors": form.problems,
            "reason": form.typed_reason,
            "breadcrumbs": crumbs(
                bloc_year,
                Crumb(_("Xếp hạng"), _url("scoring:ranking", bloc_year)),
                Crumb(_("Điều chỉnh sau khi chốt")),
            ),
        },
    )
