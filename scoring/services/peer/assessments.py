"""One scorer's assessment of another member: checking the points given (0 to the line's
maximum, in the set's step), saving a draft with a version claim (``PeerConflict`` tells the
second writer), the lines still missing, and sending it once, race-safe. Every change is audited.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import Decimal

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from blocs.audit import audit_record
from blocs.models import BlocYear, Unit, User
from scoring import rules
from scoring.models import Criterion, PeerAssessment
from scoring.services.peer.season import (
    PeerError,
    criteria_of,
    member_ids,
    peer_context,
    peer_leaves,
    peer_season,
    stored_amount,
)
from scoring.services.sheets import EntryErrors


class PeerConflict(Exception):
    """Someone else saved this assessment since this person opened it."""

    def __init__(self, assessment: PeerAssessment) -> None:
        self.assessment = assessment
        super().__init__(_("Phiếu chấm chéo vừa được người khác lưu."))


def peer_points_errors(
    criteria: Mapping[int, Criterion], points: Mapping[int, Decimal | None], step: Decimal
) -> dict[int, str]:
    """What is wrong with each value: peers give points directly, 0 to the line's maximum, in
    steps of the set's step, whatever the line's method. ``criteria``: the lines peers score."""
    errors: dict[int, str] = {}
    for criterion_id, value in points.items():
        criterion = criteria.get(criterion_id)
        if criterion is None:
            errors[criterion_id] = _("Tiêu chí này không có trong phiếu chấm chéo.")
        elif value is not None:
            try:
                rules.check_points(value, criterion.max_points, step)
            except rules.InputError as error:
                errors[criterion_id] = str(error)
    return errors


@transaction.atomic
def peer_assessment_save(
    *,
    bloc_year: BlocYear,
    scorer: Unit,
    scored: Unit,
    points: Mapping[int, Decimal | None],
    version: int,
    by: User | None,
) -> PeerAssessment:
    """Save a draft of ``scorer``'s points for ``scored`` (criterion id → points, None clears).

    The first save creates the assessment and expects version 1. Every value is checked first;
    on any error nothing is written (``EntryErrors``). A stale ``version`` raises
    ``PeerConflict`` carrying the current assessment.
    """
    season = peer_season(bloc_year)
    if scorer.pk == scored.pk:
        raise PeerError(_("Đơn vị không chấm điểm cho chính mình."))
    members = member_ids(bloc_year)
    if scorer.pk not in members or scored.pk not in members:
        raise PeerError(_("Chỉ các thành viên của khối chấm chéo cho nhau."))
    criteria = {
        criterion.pk: criterion for criterion in peer_leaves(criteria_of(season.criteria_set))
    }
    errors = peer_points_errors(criteria, points, season.criteria_set.step)
    if errors:
        raise EntryErrors(errors)
    assessment, _created = PeerAssessment.objects.get_or_create(
        bloc_year=bloc_year, scorer=scorer, scored=scored
    )
    if assessment.state != PeerAssessment.State.DRAFT:
        raise PeerError(_("Phiếu chấm chéo này đã được gửi, không sửa được nữa."))
    before = dict(assessment.points)
    after = dict(before)
    for criterion_id, value in points.items():
        if value is None:
            after.pop(str(criterion_id), None)
        else:
            after[str(criterion_id)] = str(rules.quantize(value))
    updated = PeerAssessment.objects.filter(
        pk=assessment.pk, version=version, state=PeerAssessment.State.DRAFT
    ).update(points=after, version=F("version") + 1, updated_at=timezone.now())
    if not updated:
        current = PeerAssessment.objects.get(pk=assessment.pk)
        if current.state != PeerAssessment.State.DRAFT:
            raise PeerError(_("Phiếu chấm chéo này đã được gửi, không sửa được nữa."))
        raise PeerConflict(current)
    assessment.points = after
    assessment.version = version + 1
    changes = {
        criteria[int(key)].code: [before.get(key), after.get(key)]
        for key in sorted(set(before) | set(after), key=int)
        if before.get(key) != after.get(key) and int(key) in criteria
    }
    if changes:
        audit_record(
            actor=by,
            bloc_year=bloc_year,
            context=peer_context(bloc_year),
            action="peer.save",
            subject=scored.code,
            summary=_("%(scorer)s chấm chéo %(scored)s")
            % {"scorer": scorer.name, "scored": scored.name},
            changes=changes,
        )
    return assessment


def missing_peer_lines(
    assessment: PeerAssessment, criteria: Sequence[Criterion]
) -> list[Criterion]:
    """Lines the scorer must fill before sending (``criteria``: the set's whole tree)."""
    return [
        criterion
        for criterion in peer_leaves(criteria)
        if stored_amount(assessment.points.get(str(criterion.pk))) is None
    ]


@transaction.atomic
def peer_assessment_submit(*, assessment: PeerAssessment, by: User | None) -> PeerAssessment:
    """Send a draft: every line peers score must have points. Race-safe: sent once only."""
    season = peer_season(assessment.bloc_year)
    # Lock the row so that the points checked are the points sent (PostgreSQL; SQLite
    # serialises writers anyway).
    current = PeerAssessment.objects.select_for_update().get(pk=assessment.pk)
    if current.state != PeerAssessment.State.DRAFT:
        raise PeerError(_("Phiếu chấm chéo này đã được gửi."))
    missing = missing_peer_lines(current, criteria_of(season.criteria_set))
    if missing:
        raise PeerError(
            _("Còn %(count)s tiêu chí chưa chấm: %(codes)s.")
            % {
                "count": len(missing),
                "codes": ", ".join(criterion.code for criterion in missing[:10]),
            }
        )
    now = timezone.now()
    updated = PeerAssessment.objects.filter(pk=current.pk, state=PeerAssessment.State.DRAFT).update(
        state=PeerAssessment.State.SUBMITTED,
        submitted_at=now,
        version=F("version") + 1,
        updated_at=now,
    )
    if not updated:
        raise PeerError(_("Phiếu chấm chéo này đã được gửi."))
    assessment.refresh_from_db()
    audit_record(
        actor=by,
        bloc_year=assessment.bloc_year,
        context=peer_context(assessment.bloc_year),
        action="peer.submit",
        subject=assessment.scored.code,
        summary=_("%(scorer)s gửi phiếu chấm chéo cho %(scored)s")
        % {"scorer": assessment.scorer.name, "scored": assessment.scored.name},
    )
    return assessment
