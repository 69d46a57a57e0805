"""Opening scoring: the criteria set frozen, one sheet per member, one line per leaf criterion."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from blocs.audit import audit_record
from blocs.models import BlocYear, Membership, User
from scoring import locks, rules, totals
from scoring.models import CriteriaSet, Criterion, ScoreLine, ScoreSheet, ScoringSeason


@transaction.atomic
def scoring_open(
    *,
    bloc_year: BlocYear,
    criteria_set: CriteriaSet,
    by: User | None,
    mode: str = ScoringSeason.Mode.VERIFIED,
    peer_drop_extremes: bool = False,
) -> ScoringSeason:
    """Open scoring: freeze the criteria set and create one sheet per member. Idempotent:
    opening again adds sheets and lines only where they are missing."""
    from scoring.selectors.ranking_rules import rules_of

    if rules_of(bloc_year).by_votes:
        raise ValidationError(
            {
                "criteria_set": _(
                    "Khối năm này bình xét bằng phiếu, không chấm điểm: không mở chấm điểm."
                )
            }
        )
    problems = rules.check_tree(criteria_tree(criteria_set))
    if problems:
        raise ValidationError({"criteria_set": problems})
    if criteria_set.year != bloc_year.year or criteria_set.council_id != bloc_year.bloc.council_id:
        raise ValidationError(
            {"criteria_set": _("Bảng tiêu chí phải của cùng hội đồng và cùng năm với khối.")}
        )
    season, created = ScoringSeason.objects.get_or_create(
        bloc_year=bloc_year,
        defaults={
            "criteria_set": criteria_set,
            "mode": mode,
            "peer_drop_extremes": peer_drop_extremes,
        },
    )
    if (
        not created
        and season.criteria_set_id != criteria_set.pk
        and ScoreSheet.objects.filter(bloc_year=bloc_year).exists()
    ):
        raise ValidationError({"criteria_set": _("Khối đã mở chấm điểm với bảng tiêu chí khác.")})
    if season.opened_at is None:
        season.criteria_set = criteria_set
        season.mode = mode
        season.peer_drop_extremes = peer_drop_extremes
        season.opened_at = timezone.now()
        season.opened_by = by
        season.save()
    if criteria_set.frozen_at is None:
        CriteriaSet.objects.filter(pk=criteria_set.pk).update(frozen_at=timezone.now())
        audit_record(
            actor=by,
            bloc_year=bloc_year,
            context=f"criteria-set:{criteria_set.pk}",
            action="criteria_set.freeze",
            summary=_("Khóa bảng tiêu chí khi %(bloc)s năm %(year)s mở chấm điểm")
            % {"bloc": bloc_year.bloc.name, "year": bloc_year.year},
        )
    unit_ids = list(
        Membership.objects.filter(bloc_year=bloc_year).values_list("unit_id", flat=True)
    )
    existing = set(ScoreSheet.objects.filter(bloc_year=bloc_year).values_list("unit_id", flat=True))
    ScoreSheet.objects.bulk_create(
        ScoreSheet(bloc_year=bloc_year, unit_id=unit_id)
        for unit_id in unit_ids
        if unit_id not in existing
    )
    leaf_ids = leaf_criterion_ids(criteria_set)
    # Every sheet of the bloc-year, in pk order, before their lines (scoring/locks.py): opening
    # again adds lines to sheets that others may be writing.
    sheets = list(locks.lock_bloc_year_sheets(bloc_year.pk))
    have = set(
        ScoreLine.objects.filter(sheet_id__in=sheets).values_list("sheet_id", "criterion_id")
    )
    new_lines = ScoreLine.objects.bulk_create(
        ScoreLine(sheet_id=sheet_id, criterion_id=criterion_id)
        for sheet_id in sheets
        for criterion_id in leaf_ids
        if (sheet_id, criterion_id) not in have
    )
    # Empty lines: no total until they are verified, each one counted as missing.
    totals.refresh(line.sheet_id for line in new_lines)
    if bloc_year.state in (BlocYear.State.SETUP, BlocYear.State.UNDERWAY):
        BlocYear.objects.filter(pk=bloc_year.pk).update(state=BlocYear.State.SCORING)
        bloc_year.state = BlocYear.State.SCORING
    audit_record(
        actor=by,
        bloc_year=bloc_year,
        context=f"bloc-year:{bloc_year.pk}",
        action="scoring.open",
        summary=_("Mở chấm điểm với bảng tiêu chí “%(set)s”") % {"set": criteria_set.name},
    )
    return season


def criteria_tree(criteria_set: CriteriaSet) -> list[rules.TreeNode]:
    return [
        rules.TreeNode(
            code=criterion.code,
            parent_code=rules.parent_code_of(criterion.code),
            kind=criterion.kind,
            max_points=criterion.max_points,
        )
        for criterion in Criterion.objects.filter(criteria_set=criteria_set)
    ]


def leaf_criterion_ids(criteria_set: CriteriaSet) -> list[int]:
    parents = set(
        Criterion.objects.filter(criteria_set=criteria_set, parent__isnull=False).values_list(
            "parent_id", flat=True
        )
    )
    return [
        pk
        for pk in Criterion.objects.filter(criteria_set=criteria_set).values_list("id", flat=True)
        if pk not in parents
    ]
