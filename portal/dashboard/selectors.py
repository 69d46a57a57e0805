"""The leaders' dashboard's data: a council's year at a glance.

For leaders (their council and the councils it succeeded) and council admins (the councils they
manage): every bloc's place in the cycle, the units behind their deadlines, the proposals
waiting for the leaders, the counts per award, the Government-flag share check, the spread of
the totals in each bloc, and one unit's totals over the years. Everything is read in a fixed
number of queries, whatever the number of blocs, units and years.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from typing import Any

from django.db.models import (
    Count,
    OuterRef,
    Subquery,
)
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils.safestring import SafeString
from django.utils.translation import get_language, gettext_noop
from django.utils.translation import gettext as _

from awards.eligibility import GOVERNMENT_FLAG, Finding, government_flag_warning
from awards.models import AwardType, Proposal
from awards.selectors import rule_set_for_year
from blocs import deadlines
from blocs.models import BlocYear, Council, Membership
from blocs.selectors import CycleStep, cycle_steps, unit_names_on
from common.charts import Dot, Strip, strip_chart
from common.collation import vietnamese_sort_key
from common.jinja import render as render_jinja
from common.paging import Page, page_of
from portal.dashboard.councils import CouncilYear, choose, with_activity
from portal.dashboard.totals import CouncilTotals, council_totals
from portal.trend import MIN_SPAN, UnitTrend, unit_trend
from scoring.models import RankingSnapshot, ScoreSheet
from scoring.rows import rows_from_json

Sheet = ScoreSheet.State
SENT_STATES = {Sheet.SUBMITTED, Sheet.RETURNED, Sheet.VERIFIED, Sheet.FINALIZED}
VERIFIED_STATES = {Sheet.VERIFIED, Sheet.FINALIZED}
SUBMITTED = Proposal.Status.SUBMITTED
# Proposals the leaders have seen: every status but the secretariat's drafts.
SENT_PROPOSALS = {
    Proposal.Status.SUBMITTED,
    Proposal.Status.RETURNED,
    Proposal.Status.APPROVED,
    Proposal.Status.REJECTED,
}


# ---------------------------------------------------------------------------- data


@dataclass(frozen=True)
class LateItem:
    """A unit (or a whole bloc) behind a deadline that has passed."""

    bloc_year: BlocYear
    unit_name: str  # "" when the bloc itself is late (its proposals)
    what: str
    due: datetime.date
    days_over: int
    url: str


@dataclass
class BlocSummary:
    bloc_year: BlocYear
    steps: list[CycleStep]
    stages: list[deadlines.StageDeadline]  # the three deadlines
    members: int = 0
    sheets: int = 0
    sent: int = 0
    verified: int = 0
    late_now: int = 0  # units behind a deadline today
    marked_late: int = 0  # sheets and proposals sent after their deadline
    waiting: int = 0  # proposals waiting for the leaders
    scores: list[Dot] = field(default_factory=list)
    scores_final: bool = False  # from a frozen ranking, not live verified totals
    incomplete: int = 0  # live sheets whose verified total is not complete yet

    @property
    def mini_steps(self) -> SafeString:
        return mini_steps(self.bloc_year.state, get_language())

    @property
    def next_deadline(self) -> deadlines.StageDeadline | None:
        """The first stage still open with a date."""
        return next((stage for stage in self.stages if stage.days_left is not None), None)

    @property
    def strip(self) -> Strip:
        return Strip(
            label=self.bloc_year.bloc.name,
            dots=self.scores,
            note="" if self.scores_final else str(_("tạm tính")),
        )


@lru_cache(maxsize=64)
def mini_steps(state: str, language: str | None) -> SafeString:
    """The row of cycle steps of a bloc card. It depends on the state alone, and a council's
    dashboard shows dozens of cards: built once per state and language, not per card."""
    return render_jinja("portal/mini_steps.html", {"steps": cycle_steps(state)})


@dataclass(frozen=True)
class AwardCount:
    award: AwardType
    proposed: int  # sent (drafts left out): waiting + returned + approved + rejected
    waiting: int
    returned: int  # returned to the bloc to complete, not sent again yet
    approved: int
    rejected: int
    decided: int  # approved ones with a decision (part of ``approved``)


@dataclass(frozen=True)
class CouncilWarning:
    council: Council
    finding: Finding


@dataclass
class Dashboard:
    years: list[int]
    year: int | None
    councils: list[Council]  # the chosen council (a list: the template names each)
    blocs: list[BlocSummary]
    late: list[LateItem]
    awards: list[AwardCount]
    warnings: list[CouncilWarning]
    units: list[tuple[int, str]]  # the chooser of the trend: members that year
    trend: UnitTrend | None = None
    council_choices: list[Council] = field(default_factory=list)  # every council with years
    # The whole council's year (``blocs`` and ``late`` are the page's): portal.dashboard.totals
    page: Page | None = None
    bloc_count: int = 0
    late_count: int = 0
    waiting: int = 0
    marked_late: int = 0

    @property
    def council(self) -> Council | None:
        return self.councils[0] if self.councils else None

    @property
    def is_demo(self) -> bool:
        return any(council.is_demo for council in self.councils)

    @property
    def distribution(self) -> list[BlocSummary]:
        return [bloc for bloc in self.blocs if bloc.scores]

    @cached_property  # the template asks twice (whether, then what)
    def distribution_chart(self) -> SafeString | None:
        rows = self.distribution
        if not rows:
            return None
        return strip_chart(
            [bloc.strip for bloc in rows],
            title=_("Tổng điểm các đơn vị trong từng khối, năm %(year)s") % {"year": self.year},
            chart_id="distribution",
            min_span=MIN_SPAN,
        )


# ---------------------------------------------------------------------------- selector


def dashboard_data(
    *,
    council_ids: frozenset[int],
    year: int | None,
    unit_id: int | None,
    today: datetime.date,
    council_code: str | None = None,
    preferred_council_id: int | None = None,
    page: str | None = None,
) -> Dashboard:
    """The dashboard of one council's year in a fixed number of queries: the council of
    ``council_code`` and ``year`` when they exist among these councils, otherwise the latest
    year with activity (``councils.choose``). The figures count the whole council's year in
    SQL (``totals``); the cards, lists and chart show one ``page`` of its blocs
    (``common.paging``). ``unit_id`` must be a unit of these councils (else ``Http404``)."""
    # One row per council, year and activity (a few per council-year, whatever the number of
    # blocs), the council's own columns included: no second query for the councils.
    fields = [field.attname for field in Council._meta.concrete_fields]
    activity = list(
        with_activity(BlocYear.objects.filter(bloc__council_id__in=council_ids))
        .order_by()
        .values_list("year", "sent_any", "proposed_any", *(f"bloc__council__{f}" for f in fields))
        .distinct()
    )
    choices = {row[3]: Council.from_db("default", fields, row[3:]) for row in activity}
    council_id = next((pk for pk, c in choices.items() if c.code == council_code), None)
    chosen = choose(
        _council_years(activity),
        council_id=council_id,
        year=year,
        preferred_council_id=preferred_council_id,
    )
    council_id, year = chosen if chosen is not None else (None, None)
    years = sorted({row[0] for row in activity if row[3] == council_id}, reverse=True)
    of_year = (
        BlocYear.objects.filter(bloc__council_id=council_id, year=year)
        if council_id is not None and year is not None
        else BlocYear.objects.none()
    )
    totals = council_totals(of_year, today)
    council = choices.get(council_id or 0)
    shown = page_of(
        totals.blocs,
        page,
        keep={"council": council.code if council else "", "year": year, "unit": unit_id},
    )
    bloc_years = list(
        of_year.select_related("bloc__council")
        # The card's proposals waiting for the leaders and sent late, in the same query.
        .annotate(
            waiting=_proposals_of_bloc(status=Proposal.Status.SUBMITTED),
            proposals_late=_proposals_of_bloc(submitted_late=True),
        )
        .order_by("bloc__code", "bloc__name", "pk")[shown.start : shown.end]
    )
    blocs = {
        bloc_year.pk: BlocSummary(
            bloc_year=bloc_year,
            steps=cycle_steps(bloc_year.state),
            stages=deadlines.stage_deadlines(bloc_year, today),
            marked_late=bloc_year.proposals_late,
            waiting=bloc_year.waiting,
        )
        for bloc_year in bloc_years
    }
    names = _member_names(bloc_years, year)
    for bloc_year_id, _unit_id in names:
        blocs[bloc_year_id].members += 1
    late = _sheets(blocs, names, today)
    _final_scores(blocs, names)
    late += _late_blocs(blocs.values(), today)
    late.sort(
        key=lambda item: (
            -item.days_over,
            vietnamese_sort_key(item.bloc_year.bloc.name),
            vietnamese_sort_key(item.unit_name),
        )
    )
    units = sorted(
        {unit: name for (_bloc_year, unit), name in names.items()}.items(),
        key=lambda item: vietnamese_sort_key(item[1]),
    )
    for bloc in blocs.values():
        bloc.scores.sort(key=lambda dot: (-dot.value, vietnamese_sort_key(dot.label)))
    trend = unit_trend(unit_id, council_ids) if unit_id is not None else None
    if trend is not None and trend.unit.pk not in dict(units):
        # A unit of another year or bloc page (before a merger, say) stays selectable.
        units.insert(0, (trend.unit.pk, trend.unit.name))
    awards, warnings = _awards(council, totals, year)
    return Dashboard(
        years=years,
        year=year,
        councils=[council] if council is not None else [],
        blocs=list(blocs.values()),
        late=late,
        awards=awards,
        warnings=warnings,
        units=units,
        trend=trend,
        council_choices=sorted(choices.values(), key=lambda c: vietnamese_sort_key(c.name)),
        page=shown,
        bloc_count=totals.blocs,
        late_count=totals.late,
        waiting=totals.waiting,
        marked_late=totals.marked_late,
    )


def _proposals_of_bloc(**conditions: object) -> Coalesce:
    """The number of the bloc-year's proposals meeting ``conditions`` (a subquery)."""
    proposals = (
        Proposal.objects.filter(bloc_year=OuterRef("pk"), **conditions)
        .order_by()
        .values("bloc_year")
        .annotate(number=Count("pk"))
        .values("number")
    )
    return Coalesce(Subquery(proposals), 0)


def _council_years(rows: Iterable[tuple[Any, ...]]) -> list[CouncilYear]:
    """Each council's years, active when one of its bloc-years that year is (a sheet sent or
    a proposal made: ``councils.with_activity``). Rows: year, sent_any, proposed_any, the
    council's id, …"""
    active: dict[tuple[int, int], bool] = {}
    for year, sent_any, proposed_any, council_id, *_council in rows:
        key = (council_id, year)
        active[key] = active.get(key, False) or bool(sent_any or proposed_any)
    return [CouncilYear(council, year, value) for (council, year), value in active.items()]


def _member_names(bloc_years: Sequence[BlocYear], year: int | None) -> dict[tuple[int, int], str]:
    """(bloc-year id, unit id) → the unit's name in that year.

    Plain rows rather than units with their former names prefetched: a council's year has
    hundreds of members, and a prefetch builds a queryset for each one."""
    if year is None:
        return {}
    members = list(
        Membership.objects.filter(bloc_year__in=bloc_years)
        .order_by()
        .values_list("bloc_year_id", "unit_id", "unit__name")
    )
    former = unit_names_on(
        {unit_id for _by, unit_id, _name in members}, datetime.date(year, 12, 31)
    )
    return {
        (bloc_year_id, unit_id): former.get(unit_id, name)
        for bloc_year_id, unit_id, name in members
    }


def _sheets(
    blocs: dict[int, BlocSummary], names: dict[tuple[int, int], str], today: datetime.date
) -> list[LateItem]:
    """Count the sheets of each bloc, find the late ones, and take the live verified totals
    kept on each sheet (scoring/totals.py): one query, without reading a line."""
    sheets = (
        ScoreSheet.objects.filter(bloc_year_id__in=list(blocs))
        .values(
            "pk",
            "bloc_year_id",
            "unit_id",
            "state",
            "submitted_late",
            "verified_total",
            "verified_missing",
        )
        .order_by("pk")
    )
    late = []
    for sheet in sheets:
        bloc = blocs[sheet["bloc_year_id"]]
        bloc_year, state = bloc.bloc_year, sheet["state"]
        name = names.get((bloc_year.pk, sheet["unit_id"]), "")
        bloc.sheets += 1
        bloc.sent += state in SENT_STATES
        bloc.verified += state in VERIFIED_STATES
        bloc.marked_late += sheet["submitted_late"]
        if sheet["verified_total"] is not None:
            bloc.scores.append(Dot(name, sheet["verified_total"]))
        elif sheet["verified_missing"]:
            bloc.incomplete += 1
        item = _late_sheet(bloc_year, sheet, name, today)
        if item is not None:
            bloc.late_now += 1
            late.append(item)
    return late


def _late_sheet(
    bloc_year: BlocYear, sheet: Mapping[str, Any], name: str, today: datetime.date
) -> LateItem | None:
    """Not sent past the self-assessment deadline, or not verified past the verification one
    (a unit late for both is listed once, for the first)."""
    state = sheet["state"]
    checks = [
        (deadlines.SELF_ASSESSMENT, state == Sheet.DRAFT, gettext_noop("Chưa gửi bảng tự chấm")),
        (
            deadlines.VERIFICATION,
            state not in VERIFIED_STATES,
            gettext_noop("Chưa thẩm định xong bảng điểm"),
        ),
    ]
    for stage, pending, what in checks:
        due = getattr(bloc_year, stage)
        if pending and not deadlines.stage_over(bloc_year, stage) and deadlines.is_late(due, today):
            # Translated and linked only when late: the dashboard reads every sheet of the year.
            url = reverse("scoring:sheet", args=[sheet["pk"]])
            return LateItem(bloc_year, name, _(what), due, -deadlines.days_left(due, today), url)
    return None


def _late_blocs(blocs: Iterable[BlocSummary], today: datetime.date) -> list[LateItem]:
    """Blocs late as a whole: scoring not even opened past the self-assessment deadline, or
    results published but no proposals sent past the proposals deadline."""
    items = []
    for bloc in blocs:
        bloc_year = bloc.bloc_year
        checks = [
            (
                deadlines.SELF_ASSESSMENT,
                bloc_year.state in (BlocYear.State.SETUP, BlocYear.State.UNDERWAY),
                _("Khối chưa mở chấm điểm"),
                reverse("scoring:progress", args=[bloc_year.bloc_id, bloc_year.year]),
            ),
            (
                deadlines.PROPOSALS,
                bloc_year.state == BlocYear.State.PUBLISHED,
                _("Khối chưa trình đề nghị khen thưởng"),
                reverse("awards:proposals", args=[bloc_year.bloc_id, bloc_year.year]),
            ),
        ]
        for stage, pending, what, url in checks:
            due = getattr(bloc_year, stage)
            if pending and deadlines.is_late(due, today):
                bloc.late_now += 1
                items.append(
                    LateItem(bloc_year, "", what, due, -deadlines.days_left(due, today), url)
                )
    return items


def _final_scores(blocs: dict[int, BlocSummary], names: dict[tuple[int, int], str]) -> None:
    """Where a ranking was frozen, its latest snapshot's totals replace the live ones."""
    latest = RankingSnapshot.objects.filter(bloc_year=OuterRef("bloc_year")).order_by("-number")
    snapshots = RankingSnapshot.objects.filter(
        bloc_year_id__in=list(blocs), number=Subquery(latest.values("number")[:1])
    ).values("bloc_year_id", "data__rows")
    for snapshot in snapshots:
        bloc = blocs[snapshot["bloc_year_id"]]
        bloc.scores = [
            Dot(names.get((bloc.bloc_year.pk, row.unit_id), row.name), row.total)
            for row in rows_from_json(snapshot["data__rows"])
            if row.total is not None
        ]
        bloc.scores_final, bloc.incomplete = True, 0


def _awards(
    council: Council | None, totals: CouncilTotals, year: int | None
) -> tuple[list[AwardCount], list[CouncilWarning]]:
    """Counts per award of the year's rule set over the whole council, and its Government-flag
    share (as the council view counts it: sent, not rejected)."""
    rule_set = rule_set_for_year(year) if year is not None and council is not None else None
    if rule_set is None or council is None:
        return [], []
    counts = totals.proposals
    Status = Proposal.Status
    awards = [
        AwardCount(
            award=award,
            proposed=sum(counts[award.code][status] for status in SENT_PROPOSALS),
            waiting=counts[award.code][Status.SUBMITTED],
            returned=counts[award.code][Status.RETURNED],
            approved=counts[award.code][Status.APPROVED],
            rejected=counts[award.code][Status.REJECTED],
            decided=counts[award.code]["decided"],
        )
        for award in rule_set.award_types.order_by("order", "pk")
    ]
    flags = sum(counts[GOVERNMENT_FLAG][status] for status in SENT_PROPOSALS - {Status.REJECTED})
    finding = government_flag_warning(flags, totals.blocs, rule_set.government_flag_warning_percent)
    return awards, [CouncilWarning(council, finding)] if finding is not None else []
