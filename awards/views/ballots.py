"""The secret ballot of the year-end conference: the tally page, the blank ballot paper and the
tally sheet (biên bản kiểm phiếu).

Candidates come from the finalized ranking (the units that would qualify for each award); the
secretariat may add any member. Only counts are stored: no ballot is linked to a voter.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from awards import access, eligibility
from awards.forms_ballots import BallotForm, GridUnit
from awards.models import AwardType, Ballot
from awards.selectors import Eligibility, UnitInfo, eligibility_for
from blocs.http import AuthenticatedHttpRequest
from blocs.models import BlocYear
from common.dates import official_date_line
from common.navigation import Crumb, home_crumb
from scoring.forms_ranking import field_summary
from scoring.services.ranking import FINALIZED_STATES

MAX_COPIES = 60


def ballot_crumbs(bloc_year: BlocYear) -> list[Crumb]:
    bloc = bloc_year.bloc
    return [
        home_crumb(),
        Crumb(bloc.name, bloc.get_absolute_url()),
        Crumb(str(bloc_year.year), bloc_year.get_absolute_url()),
        Crumb(_("Bỏ phiếu kín")),
    ]


# ---------------------------------------------------------------------------- reading


def ballot_awards(data: Eligibility) -> list[AwardType]:
    """The awards the bloc votes on, highest first."""
    return [award for award in data.awards if award.needs_ballot]


def suggested_candidates(data: Eligibility) -> dict[str, list[UnitInfo]]:
    """Per award, the units that would qualify on every gate but the ballot itself (which is
    what the ballot is about), in rank order."""
    unballoted = dataclasses.replace(
        data,
        gates={
            code: dataclasses.replace(gates, needs_ballot=False)
            for code, gates in data.gates.items()
        },
    )
    return {award.code: units for award, units in unballoted.suggestions()}


@dataclass(frozen=True)
class Outcome:
    votes: int
    share: Decimal
    passed: bool


def outcome(data: Eligibility, award_code: str, unit_id: int) -> Outcome | None:
    votes = data.votes.get((award_code, unit_id))
    if votes is None:
        return None
    share = eligibility.ballot_share(votes, data.members)
    # Pass or fail on the exact share; the shown share is rounded (5/7 → 71,43 %).
    shown = share.quantize(Decimal("0.01"), ROUND_HALF_UP)
    return Outcome(votes, shown, eligibility.ballot_passed(data.gates[award_code], share))


@dataclass(frozen=True)
class Quorum:
    met: bool
    present: int
    total: int
    numerator: int
    denominator: int


def quorum(data: Eligibility) -> Quorum | None:
    if data.ballot is None or data.rule_set is None:
        return None
    rule_set = data.rule_set
    return Quorum(
        met=data.quorum,
        present=data.ballot.members_present,
        total=data.ballot.members_total,
        numerator=rule_set.quorum_numerator,
        denominator=rule_set.quorum_denominator,
    )


@dataclass(frozen=True)
class Threshold:
    percent: Decimal
    strictly_above: bool

    @property
    def places(self) -> int:
        """Decimals worth printing: 50 %, but 66,67 %."""
        return 0 if self.percent == self.percent.to_integral_value() else 2


def thresholds(data: Eligibility, awards: list[AwardType]) -> dict[str, Threshold]:
    return {
        award.code: Threshold(
            data.gates[award.code].min_ballot_share, data.gates[award.code].ballot_strictly_above
        )
        for award in awards
    }


@dataclass
class CandidateLine:
    unit: UnitInfo
    outcome: Outcome | None


@dataclass
class AwardCandidates:
    award: AwardType
    quota: int | None
    threshold: Threshold
    lines: list[CandidateLine]


def candidates_by_award(
    data: Eligibility, awards: list[AwardType], *, recorded: bool
) -> list[AwardCandidates]:
    """The candidates of each award: those recorded in the ballot, else the suggestions."""
    suggested = {} if recorded else suggested_candidates(data)
    limits = thresholds(data, awards)
    result = []
    for award in awards:
        if recorded:
            units = [
                info for info in data.units.values() if (award.code, info.unit_id) in data.votes
            ]
        else:
            units = suggested.get(award.code, [])
        result.append(
            AwardCandidates(
                award=award,
                quota=data.gates[award.code].quota,
                threshold=limits[award.code],
                lines=[
                    CandidateLine(info, outcome(data, award.code, info.unit_id)) for info in units
                ],
            )
        )
    return result


# ---------------------------------------------------------------------------- pages


def _ballot_form(
    request: AuthenticatedHttpRequest,
    bloc_year: BlocYear,
    data: Eligibility,
    awards: list[AwardType],
    suggested: set[tuple[str, int]],
) -> BallotForm:
    return BallotForm(
        request.POST if request.method == "POST" else None,
        members_total=data.members,
        units=[GridUnit(info.unit_id, info.name, info.rank) for info in data.units.values()],
        awards=awards,
        suggested=suggested,
        ballot=data.ballot,
        votes=data.votes,
        defaults={"held_on": bloc_year.conference_date, "place": bloc_year.conference_place},
    )


@login_required
@require_http_methods(["GET", "POST"])
def ballot(request: AuthenticatedHttpRequest, bloc_id: int, year: int) -> HttpResponse:
    """The ballot's counts and votes: recorded by the secretariat, read by the bloc."""
    bloc_year = access.get_bloc_year(request, bloc_id, year, follow=True)
    manage = access.can_manage_awards(request.user, bloc_year)
    finalized = bloc_year.state in FINALIZED_STATES
    if request.method == "POST":
        if not manage:
            raise PermissionDenied
        if not finalized:
            messages.error(request, _("Chỉ ghi kết quả bỏ phiếu sau khi kết quả xếp hạng đã chốt."))
            return redirect(request.path)
    data = eligibility_for(bloc_year)
    awards = ballot_awards(data)
    suggested = {
        (code, info.unit_id)
        for code, units in (suggested_candidates(data) if finalized and manage else {}).items()
        for info in units
    }
    form = (
        _ballot_form(request, bloc_year, data, awards, suggested) if finalized and manage else None
    )
    if (
        form is not None
        and form.is_bound
        and form.is_valid()
        and form.save(bloc_year=bloc_year, by=request.user)
    ):
        messages.success(request, _("Đã lưu kết quả bỏ phiếu kín."))
        return redirect(request.path)
    context = _ballot_context(data, awards, form)
    context.update(
        bloc_year=bloc_year,
        finalized=finalized,
        manage=manage,
        has_suggestions=bool(suggested),
        breadcrumbs=ballot_crumbs(bloc_year),
    )
    return render(request, "awards/ballot.html", context)


def _ballot_context(
    data: Eligibility, awards: list[AwardType], form: BallotForm | None
) -> dict[str, object]:
    """The ballot page's grid (the secretariat's form) or each award's candidates (readers)."""
    outcomes = {
        (award.code, info.unit_id): outcome(data, award.code, info.unit_id)
        for info in data.units.values()
        for award in awards
    }
    limits = thresholds(data, awards)
    return {
        "ballot": data.ballot,
        "members": data.members,
        "columns": [(award, limits[award.code]) for award in awards],
        "grid": form.grid(outcomes) if form is not None else [],
        # Readers see each award's candidates; the secretariat edits the whole grid.
        "sections": candidates_by_award(data, awards, recorded=True) if form is None else [],
        "form": form,
        "summary": field_summary(form) if form is not None and form.is_bound else [],
        "quorum": quorum(data),
        "uncovered": data.uncovered,
    }


def _copies(raw: str, default: int) -> int:
    try:
        copies = int(raw)
    except ValueError:
        return default
    return min(max(copies, 1), MAX_COPIES)


@login_required
@require_safe
def ballot_paper(request: AuthenticatedHttpRequest, bloc_id: int, year: int) -> HttpResponse:
    """The blank secret ballot paper, ``?copies=N`` copies (one per page)."""
    bloc_year = access.get_bloc_year(request, bloc_id, year, follow=False)
    data = eligibility_for(bloc_year)
    awards = ballot_awards(data)
    default = min(max(data.members, 1), MAX_COPIES)
    copies = _copies(request.GET.get("copies", ""), default)
    return render(
        request,
        "awards/ballot_paper.html",
        {
            "bloc_year": bloc_year,
            "sections": candidates_by_award(data, awards, recorded=data.ballot is not None),
            "recorded": data.ballot is not None,
            "copies": range(copies),
            "copy_count": copies,
            "max_copies": MAX_COPIES,
        },
    )


@login_required
@require_safe
def ballot_tally(request: AuthenticatedHttpRequest, bloc_id: int, year: int) -> HttpResponse:
    """The tally sheet (biên bản kiểm phiếu): filled from the recorded ballot, or blank."""
    bloc_year = access.get_bloc_year(request, bloc_id, year, follow=True)
    data = eligibility_for(bloc_year)
    awards = ballot_awards(data)
    ballot: Ballot | None = data.ballot
    council = bloc_year.bloc.council
    return render(
        request,
        "awards/ballot_tally.html",
        {
            "bloc_year": bloc_year,
            "ballot": ballot,
            "members": data.members,
            "quorum": quorum(data),
            "invalid": (ballot.ballots_returned - ballot.ballots_valid) if ballot else None,
            "sections": candidates_by_award(data, awards, recorded=ballot is not None),
            "date_line": (
                official_date_line(council.province, ballot.held_on)
                if ballot is not None
                else _("%(place)s, ngày …… tháng …… năm ……") % {"place": council.province}
            ),
            "blank_rows": range(0 if ballot is not None else 2),
            "back_url": reverse("awards:ballot", args=[bloc_year.bloc_id, bloc_year.year]),
        },
    )
