"""Writes of the band quotas counted across blocs (docs/ranking.md, "Quotas counted across
blocs"): a council admin adds, changes or removes one, audited on every bloc-year it counts.

A quota is settled once any of its bloc-years is finalized: that bloc-year's snapshot was made
with it, and a snapshot never changes. The application has no step that takes a finalized
bloc-year back, so from then on the quota is only shown (a correction after finalization
writes a new snapshot with the quota as it stands).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from blocs.audit import audit_entry, audit_record_many
from blocs.models import BlocYear, Council, User
from common.numbers import format_plain
from scoring.models import BandQuota
from scoring.selectors.ranking_rules import rules_of
from scoring.services.ranking.state import FINALIZED_STATES


def settled_problems(bloc_years: Iterable[BlocYear]) -> list[str]:
    return [
        _("%(bloc)s đã chốt kết quả năm %(year)s: hạn mức chung của khối không thay đổi được nữa.")
        % {"bloc": bloc_year.bloc.name, "year": bloc_year.year}
        for bloc_year in bloc_years
        if bloc_year.state in FINALIZED_STATES
    ]


def _band_problems(band: str, bloc_years: Sequence[BlocYear]) -> list[str]:
    problems = []
    for bloc_year in bloc_years:
        found = rules_of(bloc_year)
        names = [item.name for item in found.bands]
        if found.by_votes:
            # Its units have no points: nothing orders them beside the other blocs' units.
            problems.append(
                _("%(bloc)s bình xét bằng phiếu, không chấm điểm: không tính chung hạn mức.")
                % {"bloc": bloc_year.bloc.name}
            )
        elif band not in names:
            problems.append(
                _("Bảng xếp loại của %(bloc)s không có mức “%(band)s”.")
                % {"bloc": bloc_year.bloc.name, "band": band}
            )
        elif names[-1] == band:
            problems.append(
                _("“%(band)s” là mức thấp nhất của %(bloc)s: mức này không có hạn mức.")
                % {"bloc": bloc_year.bloc.name, "band": band}
            )
    return problems


def _check(
    council: Council, quota: BandQuota | None, year: int, band: str, chosen: Sequence[BlocYear]
) -> None:
    errors: dict[str, list[str]] = {}
    if len(chosen) < 2:
        errors["bloc_years"] = [_("Chọn ít nhất hai khối để tính chung.")]
    strangers = [b for b in chosen if b.bloc.council_id != council.pk or b.year != year]
    if strangers:
        errors["bloc_years"] = [
            _("Chỉ chọn các khối của hội đồng trong năm %(year)s.") % {"year": year}
        ]
    problems = _band_problems(band, chosen)
    if problems:
        errors["band"] = problems
    others = BandQuota.objects.filter(band=band, bloc_years__in=chosen)
    if quota is not None:
        others = others.exclude(pk=quota.pk)
    taken = set(
        BandQuota.bloc_years.through.objects.filter(
            bandquota__in=others, blocyear__in=chosen
        ).values_list("blocyear__bloc__name", flat=True)
    )
    if taken:
        errors.setdefault("bloc_years", []).append(
            _("Đã có hạn mức chung khác cho mức “%(band)s” tính cả %(blocs)s.")
            % {"band": band, "blocs": ", ".join(sorted(taken))}
        )
    if errors:
        raise ValidationError(errors)


def _locked(pks: set[int]) -> list[BlocYear]:
    """The bloc-years, locked against a finalization running at the same time."""
    return list(
        BlocYear.objects.select_for_update(of=("self",))
        .filter(pk__in=pks)
        .select_related("bloc")
        .order_by("pk")
    )


def _audit(
    quota: BandQuota, bloc_years: Sequence[BlocYear], action: str, summary: str, by: User | None
) -> None:
    changes = {
        "name": quota.name,
        "band": quota.band,
        "share_percent": str(quota.share_percent),
        "bloc_years": sorted(bloc_year.pk for bloc_year in bloc_years),
    }
    audit_record_many(
        audit_entry(
            actor=by,
            bloc_year=bloc_year,
            context=f"council:{quota.council_id}",
            action=action,
            subject=quota.name,
            summary=summary,
            changes=changes,
        )
        for bloc_year in bloc_years
    )


@transaction.atomic
def band_quota_save(
    *,
    council: Council,
    quota: BandQuota | None,
    name: str,
    year: int,
    band: str,
    share_percent: Decimal,
    bloc_year_ids: Sequence[int],
    by: User | None,
) -> BandQuota:
    """Add a quota (``quota`` None) or change one; refused once any bloc-year it counted or
    would count is finalized."""
    before = set(quota.bloc_years.values_list("pk", flat=True)) if quota else set()
    everything = _locked(before | set(bloc_year_ids))
    chosen = [bloc_year for bloc_year in everything if bloc_year.pk in set(bloc_year_ids)]
    problems = settled_problems(everything)
    if problems:
        raise ValidationError(problems)
    name, band = name.strip(), band.strip()
    if not name:
        raise ValidationError({"name": [_("Ghi tên hạn mức.")]})
    if not Decimal(0) <= share_percent <= Decimal(100):
        raise ValidationError({"share_percent": [_("Tỷ lệ từ 0 đến 100%.")]})
    _check(council, quota, year, band, chosen)
    quota = quota or BandQuota(council=council)
    quota.name, quota.year, quota.band, quota.share_percent = name, year, band, share_percent
    quota.save()
    quota.bloc_years.set(chosen)
    summary = _("Hạn mức chung “%(name)s”: “%(band)s” tối đa %(percent)s%% của %(blocs)s") % {
        "name": name,
        "band": band,
        "percent": format_plain(share_percent),
        "blocs": ", ".join(bloc_year.bloc.name for bloc_year in chosen),
    }
    _audit(quota, everything, "ranking.band_quota", summary, by)
    return quota


@transaction.atomic
def band_quota_delete(*, quota: BandQuota, by: User | None) -> None:
    """Remove a quota; refused once any of its bloc-years is finalized."""
    everything = _locked(set(quota.bloc_years.values_list("pk", flat=True)))
    problems = settled_problems(everything)
    if problems:
        raise ValidationError(problems)
    summary = _("Bỏ hạn mức chung “%(name)s”") % {"name": quota.name}
    _audit(quota, everything, "ranking.band_quota_delete", summary, by)
    quota.delete()
