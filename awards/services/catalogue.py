"""Writes to the award catalogue: rule sets, award types and a bloc-year's own quotas.

Council admins keep the catalogue (it serves every council); the bloc secretariat overrides a
quota for its own year until the bloc's proposals are submitted. Each change is audited with
the old and the new value of every field that changed.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from awards.models import AwardType, QuotaOverride, RuleSet
from blocs.audit import audit_record
from blocs.models import BlocYear, User

CATALOGUE_CONTEXT = "awards:catalogue"

RULE_SET_FIELDS = (
    "name",
    "valid_from",
    "valid_until",
    "legal_basis",
    "bloc_vote_threshold_percent",
    "bloc_vote_strictly_above",
    "quorum_numerator",
    "quorum_denominator",
    "council_vote_threshold_percent",
    "government_flag_warning_percent",
    "government_flag_also_provincial",
    "proposal_deadline_day",
    "proposal_deadline_month",
)

AWARD_TYPE_FIELDS = (
    "name",
    "kind",
    "level",
    "authority",
    "authority_basis",
    "order",
    "quota_count",
    "quota_share_percent",
    "max_rank",
    "rank_within_quota",
    "required_bands",
    "requires_award_code",
    "history_award_code",
    "history_years",
    "history_alternative",
    "requires_registration",
    "needs_ballot",
    "min_ballot_share_percent",
    "needs_council_vote",
    "min_completing_percent",
    "min_advanced_percent",
    "advanced_strictly_above",
    "min_emulation_fighters",
    "no_discipline",
)

# A bloc's proposals are with the council from these states on: its quotas are settled.
QUOTA_LOCKED_STATES = {BlocYear.State.PROPOSED, BlocYear.State.DECIDED}


def bloc_year_context(bloc_year: BlocYear) -> str:
    return f"awards:{bloc_year.pk}"


def _plain(value: Any) -> Any:
    """A value as the audit trail keeps it (JSON): dates and amounts as text."""
    if isinstance(value, Decimal):
        return f"{value.normalize():f}"
    if isinstance(value, datetime.date):
        return value.isoformat()
    return value


def _apply(instance: Any, fields: tuple[str, ...], values: Mapping[str, Any]) -> dict[str, Any]:
    """Set the given fields on ``instance``; return {field: [old, new]} of what changed."""
    changes: dict[str, Any] = {}
    for name in fields:
        if name not in values:
            continue
        new = values[name]
        if isinstance(new, str):
            new = new.strip()
        old = getattr(instance, name)
        if old != new:
            changes[name] = [_plain(old), _plain(new)]
            setattr(instance, name, new)
    return changes


@transaction.atomic
def rule_set_update(*, rule_set: RuleSet, values: Mapping[str, Any], by: User | None) -> RuleSet:
    """Change a rule set's name, period, legal basis, thresholds and deadline."""
    unknown = set(values) - set(RULE_SET_FIELDS)
    if unknown:
        raise ValueError(f"not rule set fields: {sorted(unknown)}")
    current = RuleSet.objects.select_for_update().get(pk=rule_set.pk)
    changes = _apply(current, RULE_SET_FIELDS, values)
    errors: dict[str, list[str]] = {}
    if (
        current.valid_from is not None
        and current.valid_until is not None
        and current.valid_until < current.valid_from
    ):
        errors["valid_until"] = [_("Ngày kết thúc phải sau ngày bắt đầu.")]
    if current.quorum_denominator == 0:
        errors["quorum_denominator"] = [_("Mẫu số phải lớn hơn 0.")]
    elif current.quorum_numerator > current.quorum_denominator:
        errors["quorum_numerator"] = [_("Tử số không được lớn hơn mẫu số.")]
    if (current.proposal_deadline_day is None) != (current.proposal_deadline_month is None):
        errors["proposal_deadline_day"] = [_("Nhập cả ngày và tháng, hoặc để trống cả hai.")]
    if errors:
        raise ValidationError(errors)
    current.full_clean(exclude=["code"])
    if changes:
        current.save(update_fields=list(changes))
        audit_record(
            actor=by,
            context=CATALOGUE_CONTEXT,
            action="rule_set.update",
            subject=current.code,
            summary=_("Sửa bộ quy định “%(name)s”") % {"name": current.name},
            changes=changes,
        )
    for name in changes:
        setattr(rule_set, name, getattr(current, name))
    return rule_set


@transaction.atomic
def award_type_update(
    *, award_type: AwardType, values: Mapping[str, Any], by: User | None
) -> AwardType:
    """Change an award's name and gates. Codes stay: history and prerequisites look them up."""
    unknown = set(values) - set(AWARD_TYPE_FIELDS)
    if unknown:
        raise ValueError(f"not award type fields: {sorted(unknown)}")
    current = AwardType.objects.select_for_update().select_related("rule_set").get(pk=award_type.pk)
    if "required_bands" in values:
        values = {**values, "required_bands": [b.strip() for b in values["required_bands"] if b]}
    changes = _apply(current, AWARD_TYPE_FIELDS, values)
    errors: dict[str, list[str]] = {}
    codes = set(current.rule_set.award_types.values_list("code", flat=True))
    for name in ("requires_award_code", "history_award_code"):
        code = getattr(current, name)
        if code and code not in codes:
            errors[name] = [
                _("Không có khen thưởng mã “%(code)s” trong bộ quy định này.") % {"code": code}
            ]
    if current.requires_award_code and current.requires_award_code == current.code:
        errors["requires_award_code"] = [_("Một khen thưởng không thể là điều kiện của chính nó.")]
    if current.history_award_code and current.history_years == 0:
        errors["history_years"] = [_("Nhập số năm liên tục phải đạt danh hiệu.")]
    if current.history_years and not current.history_award_code:
        errors["history_award_code"] = [_("Chọn danh hiệu phải đạt các năm trước.")]
    if current.history_alternative and not current.history_years:
        errors["history_alternative"] = [
            _("Căn cứ thay thế cần danh hiệu và số năm liên tục trước đó.")
        ]
    if current.quota_count is not None and current.quota_share_percent is not None:
        errors["quota_share_percent"] = [_("Ghi số lượng hoặc tỷ lệ, không ghi cả hai.")]
    if (
        current.rank_within_quota
        and current.quota_count is None
        and (current.quota_share_percent is None)
    ):
        errors["rank_within_quota"] = [_("Xét theo thứ hạng trong phạm vi số lượng cần số lượng.")]
    if errors:
        raise ValidationError(errors)
    current.full_clean(exclude=["rule_set", "code"])
    if changes:
        current.save(update_fields=list(changes))
        audit_record(
            actor=by,
            context=CATALOGUE_CONTEXT,
            action="award_type.update",
            subject=f"{current.rule_set.code}:{current.code}",
            summary=_("Sửa điều kiện của “%(name)s” (%(rule_set)s)")
            % {"name": current.name, "rule_set": current.rule_set.code},
            changes=changes,
        )
    for name in changes:
        setattr(award_type, name, getattr(current, name))
    return award_type


@transaction.atomic
def quota_set(
    *, bloc_year: BlocYear, award_type: AwardType, quota: int | None, by: User | None
) -> QuotaOverride | None:
    """A bloc-year's own quota for an award (None: back to the rule set's). Refused once the
    bloc's proposals are with the council."""
    # Lock the bloc-year: the submission of proposals moves its state in the same row.
    state = (
        BlocYear.objects.select_for_update().values_list("state", flat=True).get(pk=bloc_year.pk)
    )
    if state in QUOTA_LOCKED_STATES:
        raise ValidationError(
            _("Khối đã trình đề nghị khen thưởng năm %(year)s; không thể đổi số lượng.")
            % {"year": bloc_year.year}
        )
    if quota is not None and quota < 0:
        raise ValidationError({"quota": _("Số lượng không được âm.")})
    existing = QuotaOverride.objects.filter(bloc_year=bloc_year, award_type=award_type).first()
    old = existing.quota if existing else None
    if old == quota:
        return existing
    if quota is None:
        assert existing is not None
        existing.delete()
        result = None
    elif existing is None:
        result = QuotaOverride.objects.create(
            bloc_year=bloc_year, award_type=award_type, quota=quota
        )
    else:
        existing.quota = quota
        existing.save(update_fields=["quota"])
        result = existing
    audit_record(
        actor=by,
        bloc_year=bloc_year,
        context=bloc_year_context(bloc_year),
        action="quota.set",
        subject=award_type.code,
        summary=(
            _("Số lượng “%(award)s” của khối: %(quota)s")
            % {"award": award_type.name, "quota": quota}
            if quota is not None
            else _("Số lượng “%(award)s” của khối: theo bộ quy định") % {"award": award_type.name}
        ),
        changes={"quota": [old, quota]},
    )
    return result
