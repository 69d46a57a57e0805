"""Writes to criteria sets: create, edit criteria, clone from a previous year, freeze."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from blocs.audit import audit_record
from blocs.models import BlocYear, Council, Unit, User
from common.numbers import format_plain
from scoring import locks, rules, totals
from scoring import tiers as tier_rules
from scoring.models import CriteriaSet, Criterion


def _context(criteria_set: CriteriaSet) -> str:
    return f"criteria-set:{criteria_set.pk}"


def _refresh_sheets(criteria_set: CriteriaSet) -> None:
    """After a change of a maximum, a kind, a code, who scores a criterion (the sheets' ranking
    parts) or the bonus cap, written first: the sheets scored
    with the set (none while it is a draft; one query then), in pk order (scoring/locks.py),
    and the totals they keep."""
    totals.refresh(locks.lock_criteria_set_sheets(criteria_set.pk))


def _require_editable(criteria_set: CriteriaSet) -> None:
    if criteria_set.frozen_at is not None:
        raise ValidationError(
            _("Bảng tiêu chí đã khóa khi mở chấm điểm; quản trị có thể mở khóa, có ghi lý do.")
        )


@transaction.atomic
def criteria_set_create(
    *,
    council: Council,
    year: int,
    name: str,
    by: User | None,
    bloc_year: BlocYear | None = None,
    bonus_cap: Decimal | None = None,
    step: Decimal = Decimal("0.25"),
) -> CriteriaSet:
    criteria_set = CriteriaSet(
        council=council, year=year, name=name, bloc_year=bloc_year, bonus_cap=bonus_cap, step=step
    )
    criteria_set.full_clean()
    criteria_set.save()
    audit_record(
        actor=by,
        bloc_year=bloc_year,
        context=_context(criteria_set),
        action="criteria_set.create",
        summary=_("Tạo bảng tiêu chí “%(name)s”") % {"name": name},
    )
    return criteria_set


@transaction.atomic
def criterion_save(
    *,
    criteria_set: CriteriaSet,
    by: User | None,
    criterion: Criterion | None = None,
    code: str,
    title: str,
    max_points: Decimal,
    kind: str = Criterion.Kind.STANDARD,
    method: str = Criterion.Method.DIRECT,
    points_per_occurrence: Decimal | None = None,
    tiers: list[dict[str, Any]] | None = None,
    tier_unit: str = "",
    floor_percent: Decimal | None = None,
    scored_by: str = Criterion.ScoredBy.UNIT,
    scorer_unit: Unit | None = None,
    guidance: str = "",
    order: int | None = None,
) -> Criterion:
    """Add a criterion (``criterion`` None) or change one; its parent follows from the code.
    ``scorer_unit`` names the department that scores it (only when ``scored_by`` is
    "department", and then required). ``tiers`` is the tier table of a line scored by one
    (``scoring.tiers.to_json``), checked by ``scoring.tiers.check_table``."""
    _require_editable(criteria_set)
    code = code.strip().rstrip(".")
    parent_code = rules.parent_code_of(code)
    parent = None
    if parent_code is not None:
        parent = Criterion.objects.filter(criteria_set=criteria_set, code=parent_code).first()
        if parent is None:
            raise ValidationError(
                {"code": _("Chưa có mục cha %(parent)s.") % {"parent": parent_code}}
            )
    is_new = criterion is None
    if criterion is None:
        criterion = Criterion(criteria_set=criteria_set)
    before = {
        "code": criterion.code,
        "title": criterion.title,
        "max_points": str(criterion.max_points) if not is_new else None,
        "scored_by": _scorer_words(criterion) if not is_new else None,
        "tiers": criterion.tier_text if not is_new else None,
    }
    criterion.code = code
    criterion.parent = parent
    criterion.title = title.strip()
    criterion.max_points = max_points
    criterion.kind = kind
    criterion.method = method
    criterion.points_per_occurrence = points_per_occurrence
    criterion.tiers = tiers or []
    criterion.tier_unit = tier_unit.strip()
    criterion.floor_percent = floor_percent
    criterion.scored_by = scored_by
    criterion.scorer_unit = scorer_unit
    criterion.guidance = guidance
    if order is not None:
        criterion.order = order
    elif is_new:
        highest = Criterion.objects.filter(criteria_set=criteria_set).aggregate(Max("order"))[
            "order__max"
        ]
        criterion.order = (highest or 0) + 10
    if method == Criterion.Method.PER_OCCURRENCE and points_per_occurrence is None:
        raise ValidationError({"points_per_occurrence": _("Nhập số điểm cho mỗi lần.")})
    if method == Criterion.Method.TIER and (
        problems := tier_rules.check_table(tier_rules.from_json(tiers), max_points)
    ):
        raise ValidationError({"tiers": problems})
    if (scored_by == Criterion.ScoredBy.DEPARTMENT) != (scorer_unit is not None):
        raise ValidationError({"scorer_unit": _scorer_unit_error(scored_by)})
    criterion.full_clean()
    criterion.save()
    if not is_new:  # a new leaf has no line yet
        _refresh_sheets(criteria_set)
    after = {
        "code": code,
        "title": criterion.title,
        "max_points": str(max_points),
        "scored_by": _scorer_words(criterion),
        "tiers": criterion.tier_text,
    }
    audit_record(
        actor=by,
        bloc_year=criteria_set.bloc_year,
        context=_context(criteria_set),
        action="criterion.create" if is_new else "criterion.update",
        summary=(_("Thêm tiêu chí %(code)s") if is_new else _("Sửa tiêu chí %(code)s"))
        % {"code": code},
        changes={} if is_new else {k: [before[k], v] for k, v in after.items() if before[k] != v},
    )
    return criterion


def _scorer_words(criterion: Criterion) -> str:
    """Who scores a criterion, for its history: "Sở, ngành được giao chấm: Sở Nội vụ"."""
    words = str(criterion.get_scored_by_display())
    if criterion.scorer_unit is not None:
        words = f"{words}: {criterion.scorer_unit.name}"
    return words


def _scorer_unit_error(scored_by: str) -> str:
    """The department is named exactly when a department scores the criterion."""
    if scored_by == Criterion.ScoredBy.DEPARTMENT:
        return _("Chọn sở, ngành được giao chấm tiêu chí này.")
    return _("Chỉ chọn sở, ngành chấm khi tiêu chí do sở, ngành được giao chấm.")


@transaction.atomic
def criterion_delete(*, criterion: Criterion, by: User | None) -> None:
    criteria_set = criterion.criteria_set
    _require_editable(criteria_set)
    if criterion.lines.exists():
        raise ValidationError(_("Tiêu chí đã có điểm chấm, không xóa được."))
    code = criterion.code
    criterion.delete()
    audit_record(
        actor=by,
        bloc_year=criteria_set.bloc_year,
        context=_context(criteria_set),
        action="criterion.delete",
        summary=_("Xóa tiêu chí %(code)s (và các tiêu chí con)") % {"code": code},
    )


@transaction.atomic
def criteria_set_clone(
    *,
    source: CriteriaSet,
    year: int,
    by: User | None,
    bloc_year: BlocYear | None = None,
    name: str | None = None,
) -> CriteriaSet:
    """A draft copy of ``source`` for ``year``: same tree, same settings, not frozen."""
    clone = CriteriaSet.objects.create(
        council=source.council,
        year=year,
        bloc_year=bloc_year,
        name=name or source.name.replace(str(source.year), str(year)),
        bonus_cap=source.bonus_cap,
        step=source.step,
        cloned_from=source,
    )
    originals = list(Criterion.objects.filter(criteria_set=source).order_by("order", "pk"))
    copies = {
        original.pk: Criterion(
            criteria_set=clone,
            code=original.code,
            title=original.title,
            guidance=original.guidance,
            max_points=original.max_points,
            kind=original.kind,
            method=original.method,
            points_per_occurrence=original.points_per_occurrence,
            tiers=original.tiers,
            tier_unit=original.tier_unit,
            floor_percent=original.floor_percent,
            scored_by=original.scored_by,
            scorer_unit_id=original.scorer_unit_id,
            order=original.order,
        )
        for original in originals
    }
    Criterion.objects.bulk_create(copies.values())
    for original in originals:
        if original.parent_id is not None:
            copies[original.pk].parent = copies[original.parent_id]
    Criterion.objects.bulk_update(copies.values(), ["parent"])
    audit_record(
        actor=by,
        bloc_year=bloc_year,
        context=_context(clone),
        action="criteria_set.clone",
        summary=_("Sao chép từ “%(source)s”") % {"source": source.name},
    )
    return clone


@transaction.atomic
def criteria_set_unfreeze(
    *, criteria_set: CriteriaSet, reason: str, by: User | None
) -> CriteriaSet:
    """An admin reopens a frozen set for correction; the reason stays in the trail."""
    if not reason.strip():
        raise ValidationError({"reason": _("Ghi lý do mở khóa bảng tiêu chí.")})
    CriteriaSet.objects.filter(pk=criteria_set.pk).update(frozen_at=None)
    criteria_set.frozen_at = None
    audit_record(
        actor=by,
        bloc_year=criteria_set.bloc_year,
        context=_context(criteria_set),
        action="criteria_set.unfreeze",
        summary=_("Mở khóa bảng tiêu chí"),
        reason=reason,
    )
    return criteria_set


@transaction.atomic
def criteria_set_freeze(*, criteria_set: CriteriaSet, by: User | None) -> CriteriaSet:
    problems = rules.check_tree(
        [
            rules.TreeNode(c.code, rules.parent_code_of(c.code), c.kind, c.max_points)
            for c in criteria_set.criteria.all()
        ]
    )
    if problems:
        raise ValidationError(problems)
    now = timezone.now()
    CriteriaSet.objects.filter(pk=criteria_set.pk).update(frozen_at=now)
    criteria_set.frozen_at = now
    audit_record(
        actor=by,
        bloc_year=criteria_set.bloc_year,
        context=_context(criteria_set),
        action="criteria_set.freeze",
        summary=_("Khóa bảng tiêu chí"),
    )
    return criteria_set


def _plain(value: Decimal | None) -> str | None:
    return None if value is None else format_plain(value)


@transaction.atomic
def criteria_set_update(
    *,
    criteria_set: CriteriaSet,
    by: User | None,
    name: str,
    bonus_cap: Decimal | None,
    step: Decimal,
) -> CriteriaSet:
    """Change a set's name, bonus cap and step while it is not frozen; history of what changed."""
    # Read the row again under a lock: the caller's object may already carry a form's values,
    # and scoring may have opened (freezing the set) since the page was shown.
    current = CriteriaSet.objects.select_for_update().get(pk=criteria_set.pk)
    _require_editable(current)
    changes: dict[str, list[str | None]] = {}
    if current.name != name.strip():
        changes["name"] = [current.name, name.strip()]
    if current.bonus_cap != bonus_cap:
        changes["bonus_cap"] = [_plain(current.bonus_cap), _plain(bonus_cap)]
    if current.step != step:
        changes["step"] = [_plain(current.step), _plain(step)]
    current.name, current.bonus_cap, current.step = name.strip(), bonus_cap, step
    current.full_clean()
    if changes:
        current.save(update_fields=list(changes))
        if "bonus_cap" in changes:
            _refresh_sheets(current)
        audit_record(
            actor=by,
            bloc_year=current.bloc_year,
            context=_context(current),
            action="criteria_set.update",
            summary=_("Sửa thông tin bảng tiêu chí “%(name)s”") % {"name": current.name},
            changes=changes,
        )
    criteria_set.name, criteria_set.bonus_cap, criteria_set.step = current.name, bonus_cap, step
    return criteria_set


@transaction.atomic
def criteria_set_relink(*, criteria_set: CriteriaSet, by: User | None, summary: str) -> int:
    """After criteria were changed outside ``criterion_save`` (the Django admin): point every
    criterion at the parent its code names (None when that parent is missing, which the tree
    check then reports), and record the change. Returns how many parents changed.

    A parent's code is always shorter than its child's, so parents taken from codes never loop.
    """
    criteria = list(Criterion.objects.filter(criteria_set=criteria_set))
    by_code = {criterion.code: criterion.pk for criterion in criteria}
    parent_of: dict[int, int | None] = {}
    for criterion in criteria:
        parent_code = rules.parent_code_of(criterion.code)
        parent_of[criterion.pk] = by_code.get(parent_code) if parent_code is not None else None
    moved = [criterion for criterion in criteria if criterion.parent_id != parent_of[criterion.pk]]
    for criterion in moved:
        criterion.parent_id = parent_of[criterion.pk]
    Criterion.objects.bulk_update(moved, ["parent"])
    # The admin's form may have changed a maximum, a kind or the bonus cap.
    _refresh_sheets(criteria_set)
    audit_record(
        actor=by,
        bloc_year=criteria_set.bloc_year,
        context=_context(criteria_set),
        action="criteria_set.admin_edit",
        summary=summary,
    )
    return len(moved)
