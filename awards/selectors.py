"""Reads for the awards pages: the rule set of a year, the gates of each award, and everything
the eligibility check needs about a bloc-year, in a fixed number of queries."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import models
from django.db.models import Q

from awards import access, eligibility, periods
from awards.eligibility import Candidate, Context, Facts, Finding, Gates
from awards.models import (
    AwardGrant,
    AwardType,
    Ballot,
    Proposal,
    QuotaOverride,
    Registration,
    RuleSet,
    UnitYearFacts,
)
from blocs.access import AnyUser
from blocs.models import BlocYear, Membership
from common.collation import vietnamese_sort_key
from scoring.access import PUBLISHED_STATES
from scoring.models import RankingSnapshot
from scoring.rows import row_of


def rule_set_for_year(year: int) -> RuleSet | None:
    """The rule set in force on 31 December of ``year``: a year's results follow that year's law.
    None when no rule set covers that day (never the nearest one): see ``uncovered_reason``."""
    day = periods.year_end(year)
    return (
        RuleSet.objects.filter(Q(valid_from__isnull=True) | Q(valid_from__lte=day))
        .filter(Q(valid_until__isnull=True) | Q(valid_until__gte=day))
        .order_by("-valid_from")
        .first()
    )


def uncovered_reason(year: int) -> str:
    """In words, why no rule set judges ``year``'s awards (for a year without one)."""
    earliest = RuleSet.objects.order_by(models.F("valid_from").asc(nulls_first=True)).first()
    if earliest is None:
        return periods.uncovered_reason(year, None, "")
    return periods.uncovered_reason(year, earliest.valid_from, earliest.name)


def effective_quota(award: AwardType, members: int, override: int | None) -> int | None:
    if override is not None:
        return override
    if award.quota_count is not None:
        return award.quota_count
    if award.quota_share_percent is not None:
        return eligibility.quota_from_share(members, award.quota_share_percent)
    return None


def gates_for(
    award: AwardType,
    rule_set: RuleSet,
    *,
    members: int,
    override: int | None,
    names: dict[str, str],
) -> Gates:
    requires = eligibility.required_award_code(
        award.code,
        award.requires_award_code,
        government_flag_also_provincial=rule_set.government_flag_also_provincial,
    )
    return Gates(
        code=award.code,
        name=award.name,
        order=award.order,
        quota=effective_quota(award, members, override),
        max_rank=award.max_rank,
        rank_within_quota=award.rank_within_quota,
        required_bands=tuple(award.required_bands or ()),
        requires_award_code=requires,
        requires_award_name=names.get(requires, requires),
        history_award_code=award.history_award_code,
        history_award_name=names.get(award.history_award_code, award.history_award_code),
        history_years=award.history_years,
        history_alternative=award.history_alternative,
        needs_ballot=award.needs_ballot,
        min_ballot_share=award.min_ballot_share_percent
        if award.min_ballot_share_percent is not None
        else rule_set.bloc_vote_threshold_percent,
        ballot_strictly_above=rule_set.bloc_vote_strictly_above,
        min_completing_percent=award.min_completing_percent,
        min_advanced_percent=award.min_advanced_percent,
        advanced_strictly_above=award.advanced_strictly_above,
        min_emulation_fighters=award.min_emulation_fighters,
        no_discipline=award.no_discipline,
        requires_registration=award.requires_registration,
    )


@dataclass
class UnitInfo:
    unit_id: int
    name: str
    code: str
    rank: int | None = None
    total: Decimal | None = None
    band: str = ""
    # False when the frozen ranking has no points for the unit (ranked by vote, or a past
    # year imported with bands only): a gate on points cannot be checked.
    by_points: bool = True
    published: bool = False  # a member without points in a year with points (published band)


@dataclass
class Eligibility:
    """Everything the eligibility check needs about one bloc-year, loaded once."""

    bloc_year: BlocYear
    rule_set: RuleSet | None
    awards: list[AwardType]
    gates: dict[str, Gates]
    units: dict[int, UnitInfo]  # in rank order
    snapshot: RankingSnapshot | None
    ballot: Ballot | None
    votes: dict[tuple[str, int], int]  # (award code, unit id) → votes for
    facts: dict[int, UnitYearFacts]
    history: dict[int, dict[int, frozenset[str]]]  # unit id → year → award codes
    proposals: list[Proposal]
    quorum: bool = True
    members: int = 0
    uncovered: str = ""  # why no rule set judges the year (``uncovered_reason``), else empty
    # unit id → award codes registered (đăng ký thi đua); None: no registration data this year
    registrations: dict[int, frozenset[str]] | None = None
    context: Context = field(init=False)

    def __post_init__(self) -> None:
        by_award: dict[str, list[int]] = defaultdict(list)
        for proposal in self.proposals:
            if proposal.status != Proposal.Status.REJECTED:
                by_award[proposal.award_type.code].append(proposal.unit_id)
        self.context = Context(
            year=self.bloc_year.year,
            members=self.members,
            ballot_held=self.ballot is not None,
            quorum_met=self.quorum,
            ranks={unit_id: info.rank for unit_id, info in self.units.items()},
            proposals=dict(by_award),
            award_orders={award.code: award.order for award in self.awards},
        )

    def candidate(self, unit_id: int, award_code: str) -> Candidate:
        info = self.units[unit_id]
        facts = self.facts.get(unit_id)
        proposed = frozenset(
            code for code, units in self.context.proposals.items() if unit_id in units
        )
        return Candidate(
            unit_id=unit_id,
            name=info.name,
            rank=info.rank,
            band=info.band,
            by_points=info.by_points,
            published=info.published,
            votes_for=self.votes.get((award_code, unit_id)),
            facts=None
            if facts is None
            else Facts(
                headcount=facts.headcount,
                completing_tasks=facts.completing_tasks,
                advanced_workers=facts.advanced_workers,
                emulation_fighters=facts.emulation_fighters,
                disciplined=facts.disciplined,
                under_investigation=facts.under_investigation,
                note=facts.investigation_note,
            ),
            history=self.history.get(unit_id, {}),
            proposed=proposed,
            registered=None
            if self.registrations is None
            else self.registrations.get(unit_id, frozenset()),
        )

    def findings(self, unit_id: int, award_code: str) -> list[Finding]:
        gates = self.gates.get(award_code)
        if gates is None or unit_id not in self.units:
            return []
        return eligibility.check(self.candidate(unit_id, award_code), gates, self.context)

    def suggestions(self) -> list[tuple[AwardType, list[UnitInfo]]]:
        """Who qualifies for what, award by award in order: the units that would pass every gate
        if proposed (the first ranks within each quota, after higher awards took theirs)."""
        result = []
        taken: dict[str, list[int]] = defaultdict(list)
        for award in self.awards:
            gates = self.gates[award.code]
            chosen: list[UnitInfo] = []
            # A unit suggested for a higher award is not suggested again for a lower one, unless
            # the higher award requires this one too (a rule-set setting).
            already = {
                unit_id
                for code, units in taken.items()
                if self.gates[code].requires_award_code != award.code
                for unit_id in units
            }
            for info in self.units.values():
                if info.unit_id in already:
                    continue
                trial = Context(
                    year=self.context.year,
                    members=self.context.members,
                    ballot_held=self.context.ballot_held,
                    quorum_met=self.context.quorum_met,
                    ranks=self.context.ranks,
                    proposals={**taken, award.code: [*taken[award.code], info.unit_id]},
                    award_orders=self.context.award_orders,
                )
                candidate = self.candidate(info.unit_id, award.code)
                candidate = Candidate(
                    **{
                        **candidate.__dict__,
                        "proposed": frozenset(
                            code for code, units in trial.proposals.items() if info.unit_id in units
                        ),
                    }
                )
                if not [f for f in eligibility.check(candidate, gates, trial) if f.blocking]:
                    chosen.append(info)
                    taken[award.code].append(info.unit_id)
            result.append((award, chosen))
        return result


def eligibility_for(bloc_year: BlocYear) -> Eligibility:
    rule_set = rule_set_for_year(bloc_year.year)
    awards = (
        list(AwardType.objects.filter(rule_set=rule_set).order_by("order", "pk"))
        if rule_set
        else []
    )
    memberships = list(
        Membership.objects.filter(bloc_year=bloc_year)
        .select_related("unit")
        .prefetch_related("unit__former_names")
    )
    members = len(memberships)
    overrides = dict(
        QuotaOverride.objects.filter(bloc_year=bloc_year).values_list("award_type__code", "quota")
    )
    names = {award.code: award.name for award in awards}
    gates = {
        award.code: gates_for(
            award, rule_set, members=members, override=overrides.get(award.code), names=names
        )
        for award in awards
        if rule_set is not None
    }
    snapshot = RankingSnapshot.objects.filter(bloc_year=bloc_year).order_by("-number").first()
    rows = {row.unit_id: row for row in (snapshot.rows if snapshot else [])}
    units = {}
    for membership in memberships:
        row = rows.get(membership.unit_id)
        units[membership.unit_id] = UnitInfo(
            unit_id=membership.unit_id,
            name=membership.unit.name_in_year(bloc_year.year),
            code=membership.unit.code,
            rank=row.place if row else None,
            total=row.total if row else None,
            band=row.band if row else "",
            by_points=row is None or row.total is not None,
            published=row is not None and row.published,
        )
    ordered = dict(
        sorted(
            units.items(),
            key=lambda item: (item[1].rank or 10**6, vietnamese_sort_key(item[1].name)),
        )
    )
    ballot = Ballot.objects.filter(bloc_year=bloc_year).first()
    votes = (
        {
            (code, unit_id): votes
            for code, unit_id, votes in ballot.results.values_list(
                "award_type__code", "unit_id", "votes_for"
            )
        }
        if ballot
        else {}
    )
    unit_ids = list(units)
    facts = {
        facts.unit_id: facts
        for facts in UnitYearFacts.objects.filter(unit_id__in=unit_ids, year=bloc_year.year)
    }
    depth = max([award.history_years for award in awards] or [0])
    history: dict[int, dict[int, set[str]]] = defaultdict(lambda: defaultdict(set))
    for unit_id, year, code in AwardGrant.objects.filter(
        unit_id__in=unit_ids, year__gte=bloc_year.year - depth, year__lt=bloc_year.year
    ).values_list("unit_id", "year", "award_code"):
        history[unit_id][year].add(code)
    proposals = list(
        Proposal.objects.filter(bloc_year=bloc_year)
        .select_related("award_type", "unit")
        .order_by("award_type__order", "rank")
    )
    registrations = registered_awards(bloc_year)
    quorum = True
    if ballot is not None and rule_set is not None:
        quorum = eligibility.quorum_met(
            ballot.members_present,
            ballot.members_total,
            rule_set.quorum_numerator,
            rule_set.quorum_denominator,
        )
    return Eligibility(
        uncovered=uncovered_reason(bloc_year.year) if rule_set is None else "",
        bloc_year=bloc_year,
        rule_set=rule_set,
        awards=awards,
        gates=gates,
        units=ordered,
        snapshot=snapshot,
        ballot=ballot,
        votes=votes,
        facts=facts,
        history={
            unit_id: {year: frozenset(codes) for year, codes in years.items()}
            for unit_id, years in history.items()
        },
        proposals=proposals,
        quorum=quorum,
        members=members,
        registrations=registrations,
    )


def registered_awards(bloc_year: BlocYear) -> dict[int, frozenset[str]] | None:
    """Unit id → the award codes it registered for the bloc-year (a unit that registered
    nothing is absent); None when the bloc-year has no registration data at all: no
    registration deadline and nobody registered (``awards.registration_gate``). One query."""
    codes: dict[int, set[str]] = defaultdict(set)
    rows = Registration.objects.filter(bloc_year=bloc_year).values_list("unit_id", "awards__code")
    found = False
    for unit_id, code in rows:
        found = True
        if code:
            codes[unit_id].add(code)
    if not found and bloc_year.registration_due is None:
        return None
    return {unit_id: frozenset(values) for unit_id, values in codes.items()}


# ---------------------------------------------------------------------------- proposals' review


@dataclass
class YearRecord:
    """One earlier year of a unit, for the leaders' decision packet."""

    year: int
    bloc_name: str = ""
    rank: int | None = None
    members: int = 0
    total: Decimal | None = None
    band: str = ""
    awards: list[str] = field(default_factory=list)


def unit_past_years(unit_id: int, year: int, count: int = 3) -> list[YearRecord]:
    """The ``count`` years before ``year``: rank, total and band from the latest ranking snapshot
    of the unit's bloc-year, and the awards it received. Two queries whatever the span."""
    years = list(range(year - count, year))
    records = {past: YearRecord(year=past) for past in years}
    seen: set[int] = set()
    snapshots = (
        RankingSnapshot.objects.filter(
            bloc_year__year__in=years, bloc_year__memberships__unit_id=unit_id
        )
        .select_related("bloc_year__bloc")
        .order_by("bloc_year__year", "bloc_year_id", "-number")
    )
    for snapshot in snapshots:
        if snapshot.bloc_year_id in seen:
            continue  # an older snapshot of a bloc-year already read
        seen.add(snapshot.bloc_year_id)
        rows = snapshot.rows
        row = row_of(rows, unit_id)
        if row is None:
            continue
        record = records[snapshot.bloc_year.year]
        record.bloc_name = snapshot.bloc_year.bloc.name
        record.rank = row.place
        record.members = len(rows)
        record.total = row.total
        record.band = row.band
    for past, name in AwardGrant.objects.filter(unit_id=unit_id, year__in=years).values_list(
        "year", "award_name"
    ):
        records[past].awards.append(name)
    return [records[past] for past in reversed(years)]


@dataclass
class QueueItem:
    proposal: Proposal
    unit_name: str
    share: Decimal | None
    findings: list[Finding]

    @property
    def violations(self) -> int:
        return sum(1 for finding in self.findings if finding.blocking)


@dataclass
class QueueGroup:
    bloc_year: BlocYear
    items: list[QueueItem]


def review_queue(council_ids: frozenset[int] | set[int]) -> list[QueueGroup]:
    """Submitted proposals of these councils, by bloc-year, the longest waiting first, each with
    its findings. Two queries plus one eligibility load per bloc-year in the queue."""
    proposals = list(
        Proposal.objects.filter(
            status=Proposal.Status.SUBMITTED, bloc_year__bloc__council_id__in=council_ids
        )
        .select_related("bloc_year__bloc__council", "unit", "award_type")
        .prefetch_related("unit__former_names")
        .order_by("submitted_at", "pk")
    )
    grouped: dict[int, list[Proposal]] = defaultdict(list)
    for proposal in proposals:
        grouped[proposal.bloc_year_id].append(proposal)
    groups = []
    for items in grouped.values():
        bloc_year = items[0].bloc_year
        data = eligibility_for(bloc_year)
        groups.append(
            QueueGroup(
                bloc_year=bloc_year,
                items=[
                    QueueItem(
                        proposal=proposal,
                        unit_name=proposal.unit.name_in_year(bloc_year.year),
                        share=eligibility.ballot_share(proposal.votes_for, data.members)
                        if proposal.votes_for is not None and data.members
                        else None,
                        findings=data.findings(proposal.unit_id, proposal.award_type.code),
                    )
                    for proposal in items
                ],
            )
        )
    return groups


@dataclass(frozen=True)
class AwardsSummary:
    """The awards part of the bloc-year page: which pages this person may open, and, for those
    who see every proposal, how many there are in each status."""

    can_manage: bool
    published: bool
    statuses: list[tuple[str, str, int]]  # (status, label, count), only for managers and leaders


def awards_summary(bloc_year: BlocYear, user: AnyUser, *, can_manage: bool) -> AwardsSummary | None:
    """None (and no query) for people who do not follow this bloc-year's awards."""
    if not user.is_authenticated:
        return None
    sees_all = can_manage or access.is_council_leader(user, bloc_year.bloc.council_id)
    if not sees_all and not access.is_member_focal_point(user, bloc_year):
        return None
    statuses: list[tuple[str, str, int]] = []
    if sees_all:
        counts = dict(
            Proposal.objects.filter(bloc_year=bloc_year)
            .values_list("status")
            .annotate(count=models.Count("pk"))
            .values_list("status", "count")
        )
        statuses = [
            (value, str(label), counts[value])
            for value, label in Proposal.Status.choices
            if counts.get(value)
        ]
    return AwardsSummary(
        can_manage=can_manage,
        published=bloc_year.state in PUBLISHED_STATES,
        statuses=statuses,
    )
