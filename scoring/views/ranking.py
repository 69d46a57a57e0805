"""The ranking page with its what-if panel, finalization, the snapshots and corrections."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from blocs import access as bloc_access
from blocs.http import AuthenticatedHttpRequest
from blocs.models import BlocYear
from common.charts import Bar, bar_chart
from common.navigation import Crumb, home_crumb
from common.numbers import format_number, format_plain
from scoring import access, rules
from scoring.forms_ranking import CorrectionForm
from scoring.models import Criterion, RankingSnapshot, ScoreSheet, ScoringSeason
from scoring.ranking import Ranked, UnitScores
from scoring.rows import RankingRow
from scoring.selectors import ranking as ranking_selectors
from scoring.services import ranking as services
from scoring.services.sheets import LineEntry


def crumbs(bloc_year: BlocYear, *last: Crumb) -> list[Crumb]:
    bloc = bloc_year.bloc
    return [
        home_crumb(),
        Crumb(bloc.council.name, bloc.council.get_absolute_url()),
        Crumb(bloc.name, bloc.get_absolute_url()),
        Crumb(str(bloc_year.year), bloc_year.get_absolute_url()),
        *last,
    ]


def results_bloc_year(request: HttpRequest, bloc_id: int, year: int) -> BlocYear | HttpResponse:
    """The bloc-year if this person may see its results; else a login redirect or 403."""
    bloc_year = bloc_access.get_bloc_year_for_user(request, bloc_id, year)
    if not ScoringSeason.objects.filter(bloc_year=bloc_year).exists():
        raise Http404
    if access.can_see_results(request.user, bloc_year):
        return bloc_year
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    raise PermissionDenied


def _chart(rows: list[RankingRow]) -> str:
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


@dataclass(frozen=True)
class WhatIfRow:
    row: Ranked  # the unit in the ranking that would result
    before: Ranked  # …and in the ranking now
    moved: int  # ranks gained (negative: lost)


@dataclass
class WhatIf:
    """The what-if panel: the choices, and once chosen the ranking that would result."""

    units: list[UnitScores]
    options: list[tuple[int, str]]  # (criterion id, label) of every leaf
    errors: list[str] = field(default_factory=list)
    unit: UnitScores | None = None
    leaf: Criterion | None = None
    points: Decimal | None = None
    current: Decimal | None = None
    rows: list[WhatIfRow] = field(default_factory=list)


def _what_if(
    request: HttpRequest, bloc_year: BlocYear, data: ranking_selectors.RankingInput
) -> WhatIf:
    """The what-if panel: one line's points changed, the resulting ranking, nothing saved."""
    panel = WhatIf(
        units=data.units,
        # Labels built here, not by template filters per option: 80 criteria on every view.
        options=[
            (
                leaf.pk,
                _("%(code)s. %(title)s (tối đa %(max)s)")
                % {
                    "code": leaf.code,
                    "title": Truncator(leaf.title).chars(70),
                    "max": format_number(leaf.max_points),
                },
            )
            for leaf in data.leaves
        ],
    )
    unit_id, criterion_id, text = (
        request.GET.get(key, "") for key in ("unit", "criterion", "points")
    )
    if not (unit_id.isdigit() and criterion_id.isdigit() and text):
        return panel
    leaves = {leaf.pk: leaf for leaf in data.leaves}
    units = {unit.unit_id: unit for unit in data.units}
    leaf, unit = leaves.get(int(criterion_id)), units.get(int(unit_id))
    if leaf is None or unit is None:
        panel.errors.append(_("Chọn đơn vị và tiêu chí trong danh sách."))
        return panel
    try:
        points = rules.parse_amount(text)
        if points is None or points < 0 or points > leaf.max_points:
            raise rules.InputError(
                _("Điểm phải từ 0 đến %(max)s.") % {"max": format_plain(leaf.max_points)}
            )
    except rules.InputError as error:
        panel.errors.append(str(error))
        return panel
    before = {row.unit_id: row for row in data.rank()}
    changed = ranking_selectors.ranking_input(
        bloc_year, overrides={(unit.unit_id, leaf.pk): points}
    )
    after = changed.rank()
    panel.unit, panel.leaf, panel.points = unit, leaf, points
    panel.current = data.points.get(unit.unit_id, {}).get(leaf.pk)
    panel.rows = [
        WhatIfRow(
            row=row,
            before=before[row.unit_id],
            moved=(before[row.unit_id].rank or len(after) + 1) - (row.rank or len(after) + 1),
        )
        for row in after
    ]
    return panel


@require_safe
def ranking(request: HttpRequest, bloc_id: int, year: int) -> HttpResponse:
    found = results_bloc_year(request, bloc_id, year)
    if isinstance(found, HttpResponse):
        return found
    bloc_year = found
    user = request.user
    can_manage = bloc_access.can_manage_bloc_year(user, bloc_year)
    snapshot = services.latest_snapshot(bloc_year)
    live = None
    if snapshot is not None:
        rows, sections = snapshot.rows, snapshot.data.get("sections", [])
    else:
        live = ranking_selectors.ranking_input(bloc_year)
        # The page shows rows and sections only; criteria and points are for snapshots.
        rows = ranking_selectors.ranking_rows(live, live.rank())
        sections = ranking_selectors.section_heads(live)
    what_if = None
    if can_manage and bloc_year.state not in access.PUBLISHED_STATES:
        live = live or ranking_selectors.ranking_input(bloc_year)
        what_if = _what_if(request, bloc_year, live)
    unverified = (
        ScoreSheet.objects.filter(bloc_year=bloc_year)
        .exclude(state__in=[ScoreSheet.State.VERIFIED])
        .count()
        if snapshot is None
        else 0
    )
    return render(
        request,
        "scoring/ranking.html",
        {
            "bloc_year": bloc_year,
            "snapshot": snapshot,
            "rows": rows,
            "sections": sections,
            "chart": _chart(rows),
            "unverified": unverified,
            "can_manage": can_manage,
            "can_finalize": can_manage and bloc_year.state == BlocYear.State.SCORING,
            "can_correct": snapshot is not None and access.can_correct_results(user, bloc_year),
            # Complaints stay among the people concerned; the public never sees the button.
            "can_see_complaints": snapshot is not None
            and user.is_authenticated
            and access.can_see_complaints(user, bloc_year),
            "what_if": what_if,
            "rules_change": ranking_selectors.rules_change(bloc_year),
            "breadcrumbs": crumbs(bloc_year, Crumb(_("Xếp hạng"))),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def finalize(request: AuthenticatedHttpRequest, bloc_id: int, year: int) -> HttpResponse:
    """Check your answers, then freeze the ranking and lock the sheets."""
    bloc_year = bloc_access.get_bloc_year_for_user(request, bloc_id, year, write=True)
    if not ScoringSeason.objects.filter(bloc_year=bloc_year).exists():
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
    # What is missing, grouped by sheet with counts and links (not one line per criterion).
    gaps = (
        services.finalization_gaps(bloc_year)
        if bloc_year.state == BlocYear.State.SCORING
        else services.FinalizationGaps()
    )
    data = ranking_selectors.ranking_input(bloc_year)
    return render(
        request,
        "scoring/finalize.html",
        {
            "bloc_year": bloc_year,
            "gaps": gaps,
            "rows": ranking_selectors.ranking_rows(data, data.rank()),
            "already": bloc_year.state != BlocYear.State.SCORING,
            "breadcrumbs": crumbs(
                bloc_year,
                Crumb(_("Xếp hạng"), _url("scoring:ranking", bloc_year)),
                Crumb(_("Chốt kết quả")),
            ),
        },
    )


def _url(name: str, bloc_year: BlocYear) -> str:
    from django.urls import reverse

    return reverse(name, args=[bloc_year.bloc_id, bloc_year.year])


@require_safe
def snapshots(request: HttpRequest, bloc_id: int, year: int) -> HttpResponse:
    """Every snapshot of the year, newest first, with what changed since the one before."""
    found = results_bloc_year(request, bloc_id, year)
    if isinstance(found, HttpResponse):
        return found
    bloc_year = found
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
    chosen = form.chosen
    errors: list[str] = []
    typed: dict[int, str] = {}
    reason = ""
    if request.method == "POST" and chosen is not None:
        reason = form.reason_text
        entries: dict[int, LineEntry] = {}
        lines_typed = list(chosen.lines.select_related("criterion"))
        texts = form.amounts([line.criterion_id for line in lines_typed])
        for line in lines_typed:
            text = texts[line.criterion_id]
            typed[line.criterion_id] = text
            try:
                value = rules.parse_amount(text)
            except rules.InputError as error:
                errors.append(f"{line.criterion.code}: {error}")
                continue
            if value is not None and value != line.verified_value:
                entries[line.criterion_id] = LineEntry(value, line.verified_target)
        if not errors:
            try:
                snapshot = services.ranking_correct(
                    bloc_year=bloc_year,
                    corrections={chosen.pk: entries},
                    reason=reason,
                    by=request.user,
                )
            except ValidationError as error:
                errors.extend(error.messages)
            else:
                messages.success(
                    request,
                    _("Đã điều chỉnh; kết quả được chốt lại (lần %(number)s).")
                    % {"number": snapshot.number},
                )
                return redirect("scoring:snapshots", bloc_id, year)
    lines = (
        list(chosen.lines.select_related("criterion").order_by("criterion__order"))
        if chosen
        else []
    )
    for line in lines:
        stored = format_plain(line.verified_value) if line.verified_value is not None else ""
        line.typed = typed.get(line.criterion_id, stored)  # type: ignore[attr-defined]
    return render(
        request,
        "scoring/correct.html",
        {
            "bloc_year": bloc_year,
            "sheets": sheets,
            "chosen": chosen,
            "lines": lines,
            "errors": errors,
            "reason": reason,
            "breadcrumbs": crumbs(
                bloc_year,
                Crumb(_("Xếp hạng"), _url("scoring:ranking", bloc_year)),
                Crumb(_("Điều chỉnh sau khi chốt")),
            ),
        },
    )
