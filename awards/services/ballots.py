"""Recording the secret ballot of the year-end conference (bỏ phiếu kín).

Only the tally of the paper ballots is stored: the counts of the meeting and, for each candidate
and award, the votes for. Nothing links a ballot to a voter. Recording again replaces the
previous tally as a whole, in one transaction, with an audit entry of the counts.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from awards.models import AwardType, Ballot, BallotResult
from awards.selectors import rule_set_for_year
from blocs.audit import audit_record
from blocs.models import BlocYear, Membership, User
from scoring.services.ranking import FINALIZED_STATES
from scoring.services.sheets import StateError

# The ballot's counts are small integers in the database.
MAX_COUNT = 32767
COUNT_FIELDS = ("members_present", "ballots_issued", "ballots_returned", "ballots_valid")

Votes = Mapping[tuple[str, int], int]  # (award code, unit id) → votes for


def vote_field(award_code: str, unit_id: int) -> str:
    """The name of a candidate cell in forms and in error dictionaries."""
    return f"votes-{award_code}-{unit_id}"


def count_problems(
    *,
    members_total: int,
    members_present: int,
    issued: int,
    returned: int,
    valid: int,
) -> dict[str, str]:
    """Inconsistent counts, each at its field: returned ≤ issued ≤ present ≤ members and
    valid ≤ returned."""
    problems: dict[str, str] = {}
    values = dict(zip(COUNT_FIELDS, (members_present, issued, returned, valid), strict=True))
    for name, value in values.items():
        if value < 0 or value > MAX_COUNT:
            problems[name] = _("Nhập số nguyên từ 0 đến %(max)s.") % {"max": MAX_COUNT}
    if problems:
        return problems
    if members_present > members_total:
        problems["members_present"] = _(
            "Không được lớn hơn tổng số thành viên của khối (%(total)s)."
        ) % {"total": members_total}
    if issued > members_present:
        problems["ballots_issued"] = _("Không được lớn hơn số thành viên có mặt (%(present)s).") % {
            "present": members_present
        }
    if returned > issued:
        problems["ballots_returned"] = _("Không được lớn hơn số phiếu phát ra (%(issued)s).") % {
            "issued": issued
        }
    if valid > returned:
        problems["ballots_valid"] = _("Không được lớn hơn số phiếu thu về (%(returned)s).") % {
            "returned": returned
        }
    return problems


def vote_problem(votes: int, valid: int) -> str:
    if votes < 0:
        return _("Số phiếu không được âm.")
    if votes > valid:
        return _("Không được lớn hơn số phiếu hợp lệ (%(valid)s).") % {"valid": valid}
    return ""


def _context(bloc_year: BlocYear) -> str:
    return f"awards:{bloc_year.pk}"


@transaction.atomic
def ballot_record(
    *,
    bloc_year: BlocYear,
    held_on: datetime.date,
    place: str,
    members_present: int,
    issued: int,
    returned: int,
    valid: int,
    votes: Votes,
    note: str,
    by: User | None,
) -> Ballot:
    """Record (or replace) the bloc-year's ballot; raises ``ValidationError`` keyed by field
    (``vote_field`` for a candidate cell) and writes nothing when anything is wrong."""
    # One writer at a time per bloc-year; the state is read under the lock.
    locked = BlocYear.objects.select_for_update().get(pk=bloc_year.pk)
    if locked.state not in FINALIZED_STATES:
        raise StateError(
            _("Chỉ ghi kết quả bỏ phiếu sau khi kết quả xếp hạng của khối đã được chốt.")
        )
    members = set(Membership.objects.filter(bloc_year=bloc_year).values_list("unit_id", flat=True))
    rule_set = rule_set_for_year(bloc_year.year)
    awards = {
        award.code: award
        for award in AwardType.objects.filter(rule_set=rule_set, needs_ballot=True)
    }
    problems: dict[str, str] = count_problems(
        members_total=len(members),
        members_present=members_present,
        issued=issued,
        returned=returned,
        valid=valid,
    )
    general: list[str] = []
    for (code, unit_id), count in votes.items():
        if code not in awards or unit_id not in members:
            general.append(
                _("Ứng viên không hợp lệ: %(award)s / %(unit)s.")
                % {
                    "award": code,
                    "unit": unit_id,
                }
            )
            continue
        problem = vote_problem(count, valid)
        if problem:
            problems[vote_field(code, unit_id)] = problem
    if general:
        problems["__all__"] = " ".join(general)
    if problems:
        raise ValidationError(problems)

    ballot = Ballot.objects.filter(bloc_year=bloc_year).first()
    before = (
        None
        if ballot is None
        else {
            "held_on": ballot.held_on.isoformat(),
            "members_present": ballot.members_present,
            "ballots_issued": ballot.ballots_issued,
            "ballots_returned": ballot.ballots_returned,
            "ballots_valid": ballot.ballots_valid,
            "votes": {
                f"{code}:{unit_id}": count
                for code, unit_id, count in ballot.results.values_list(
                    "award_type__code", "unit_id", "votes_for"
                )
            },
        }
    )
    if ballot is None:
        ballot = Ballot(bloc_year=bloc_year)
    ballot.held_on = held_on
    ballot.place = place.strip()
    ballot.members_total = len(members)
    ballot.members_present = members_present
    ballot.ballots_issued = issued
    ballot.ballots_returned = returned
    ballot.ballots_valid = valid
    ballot.note = note.strip()
    ballot.recorded_by = by
    ballot.save()
    ballot.results.all().delete()
    BallotResult.objects.bulk_create(
        BallotResult(ballot=ballot, award_type=awards[code], unit_id=unit_id, votes_for=count)
        for (code, unit_id), count in sorted(votes.items())
    )
    after = {
        "held_on": held_on.isoformat(),
        "members_total": len(members),
        "members_present": members_present,
        "ballots_issued": issued,
        "ballots_returned": returned,
        "ballots_valid": valid,
        "votes": {f"{code}:{unit_id}": count for (code, unit_id), count in sorted(votes.items())},
    }
    audit_record(
        actor=by,
        bloc_year=bloc_year,
        context=_context(bloc_year),
        action="ballot.record" if before is None else "ballot.replace",
        summary=_(
            "Ghi kết quả bỏ phiếu kín: %(present)s/%(total)s thành viên có mặt; phiếu phát ra "
            "%(issued)s, thu về %(returned)s, hợp lệ %(valid)s; %(candidates)s lượt ứng viên"
        )
        % {
            "present": members_present,
            "total": len(members),
            "issued": issued,
            "returned": returned,
            "valid": valid,
            "candidates": len(votes),
        },
        changes={"before": before, "after": after},
    )
    return ballot
