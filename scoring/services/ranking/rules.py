"""The ranking rules of a bloc-year (before finalization) or a council's defaults: the tie-break
chain, the classification bands and whether a deduction needs an explanation first."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from blocs.audit import audit_record
from blocs.models import BlocYear, Council, User
from common.numbers import format_plain
from notifications import events as notification_events
from scoring import ranking, vote_ranking
from scoring.models import RankingRules, ScoreSheet
from scoring.services.ranking.state import FINALIZED_STATES, ranking_context
from scoring.services.sheets import StateError


def check_rules(tie_breaks: Sequence[str], bands: Sequence[Mapping[str, object]]) -> None:
    unknown = [key for key in tie_breaks if key not in ranking.TIE_BREAKS]
    if unknown or len(set(tie_breaks)) != len(tie_breaks):
        raise ValidationError({"tie_breaks": _("Tiêu chí phụ không hợp lệ hoặc bị lặp.")})
    if not bands:
        raise ValidationError({"bands": _("Bảng xếp loại cần ít nhất một mức.")})
    previous = Decimal(101)
    above: tuple[str, Decimal, Decimal] | None = None  # the band above: name, floors
    for band in bands:
        if not str(band.get("name", "")).strip():
            raise ValidationError({"bands": _("Mỗi mức xếp loại cần có tên.")})
        try:
            minimum = Decimal(str(band["min_total_percent"]))
            floor = Decimal(str(band["floor_percent"]))
        except (KeyError, ArithmeticError, ValueError):
            raise ValidationError({"bands": _("Tỷ lệ của mức xếp loại phải là số.")}) from None
        criterion_text = str(band.get("criterion_floor_percent") or "").strip()
        try:
            criterion_floor = Decimal(criterion_text) if criterion_text else Decimal(0)
        except ArithmeticError:
            raise ValidationError({"bands": _("Tỷ lệ của mức xếp loại phải là số.")}) from None
        if not (0 <= minimum <= 100 and 0 <= floor <= 100 and 0 <= criterion_floor <= 100):
            raise ValidationError({"bands": _("Tỷ lệ phải từ 0 đến 100.")})
        if minimum >= previous:
            raise ValidationError({"bands": _("Các mức xếp loại phải xếp từ cao xuống thấp.")})
        name = str(band["name"]).strip()
        if above is not None:
            _check_floor_order(above, (name, floor, criterion_floor))
        previous, above = minimum, (name, floor, criterion_floor)
    _check_caps(bands)


def _check_floor_order(
    upper: tuple[str, Decimal, Decimal], lower: tuple[str, Decimal, Decimal]
) -> None:
    """A band is never easier to reach than the one below it: its floors (on each section, on
    each criterion, blank counting as 0) are at least the lower band's."""
    pairs = (
        (_("mức sàn mỗi mục"), upper[1], lower[1]),
        (_("mức sàn mỗi tiêu chí"), upper[2], lower[2]),
    )
    for label, high, low in pairs:
        if low > high:
            raise ValidationError(
                {
                    "bands": _(
                        "“%(upper)s” có %(label)s %(high)s%% thấp hơn mức dưới “%(lower)s” "
                        "(%(low)s%%): mức trên không được dễ đạt hơn mức dưới."
                    )
                    % {
                        "upper": upper[0],
                        "lower": lower[0],
                        "label": label,
                        "high": format_plain(high),
                        "low": format_plain(low),
                    }
                }
            )


def _check_caps(bands: Sequence[Mapping[str, object]]) -> None:
    """A cap is a share from 0 to 100 on any band but the last (which takes everyone else);
    band names are told apart, since the caps count units by band."""
    names = [str(band.get("name", "")).strip() for band in bands]
    if len(set(names)) != len(names):
        raise ValidationError({"bands": _("Tên các mức xếp loại không được trùng nhau.")})
    for position, band in enumerate(bands, start=1):
        text = str(band.get("cap_percent") or "").strip()
        if not text:
            continue
        if position == len(bands):
            raise ValidationError(
                {"bands": _("Mức cuối cùng dành cho các đơn vị còn lại: không đặt tối đa.")}
            )
        try:
            cap = Decimal(text)
        except ArithmeticError:
            raise ValidationError({"bands": _("Tỷ lệ của mức xếp loại phải là số.")}) from None
        if not 0 <= cap <= 100:
            raise ValidationError({"bands": _("Tỷ lệ phải từ 0 đến 100.")})


def _check_votes(mode: str | None, vote_bands: Sequence[Mapping[str, object]] | None) -> None:
    """The ranking mode is one of the two; the vote band table is usable (scoring.vote_ranking)."""
    if mode is not None and mode not in vote_ranking.MODES:
        raise ValidationError({"mode": _("Chọn một cách xếp hạng.")})
    if vote_bands is None:
        return
    try:
        bands = [vote_ranking.vote_band_from_json(band) for band in vote_bands]
    except ArithmeticError:
        raise ValidationError({"vote_bands": _("Tỷ lệ phiếu phải là số.")}) from None
    problems = vote_ranking.check_vote_bands(bands)
    if problems:
        raise ValidationError({"vote_bands": problems})


def _band(band: Mapping[str, object]) -> dict[str, str]:
    """A band as stored; the floor on every criterion only when set (older rows lack it)."""
    stored = {
        "name": str(band["name"]).strip(),
        "min_total_percent": str(band["min_total_percent"]),
        "floor_percent": str(band["floor_percent"]),
    }
    criterion_floor = str(band.get("criterion_floor_percent") or "").strip()
    if criterion_floor:
        stored["criterion_floor_percent"] = criterion_floor
    cap = str(band.get("cap_percent") or "").strip()
    if cap:
        stored["cap_percent"] = cap
    return stored


def change_needs_reason(bloc_year: BlocYear | None) -> bool:
    """Once a bloc-year's scoring has opened, its members have seen totals: a change of its
    ranking rules then needs a reason, and is announced (before that, rules are being set up;
    after finalization they cannot change)."""
    return bloc_year is not None and bloc_year.state == BlocYear.State.SCORING


def _required_reason(bloc_year: BlocYear | None, reason: str) -> str:
    reason = reason.strip()
    if change_needs_reason(bloc_year) and not reason:
        raise ValidationError(
            {
                "reason": _(
                    "Khối đã mở chấm điểm: ghi lý do thay đổi quy tắc xếp hạng để các thành "
                    "viên được biết."
                )
            }
        )
    return reason


def _announce(bloc_year: BlocYear | None, by: User | None, reason: str) -> None:
    if change_needs_reason(bloc_year):
        assert bloc_year is not None
        notification_events.ranking_rules_changed(bloc_year, by=by, reason=reason)


@transaction.atomic
def ranking_rules_save(
    *,
    tie_breaks: Sequence[str],
    bands: Sequence[Mapping[str, object]],
    by: User | None,
    bloc_year: BlocYear | None = None,
    council: Council | None = None,
    explanation_required: bool | None = None,
    empty_sections: str | None = None,
    mode: str | None = None,
    vote_bands: Sequence[Mapping[str, object]] | None = None,
    reason: str = "",
) -> RankingRules:
    """Set a bloc-year's own rules (before finalization) or a council's defaults.

    ``explanation_required`` (a deduction stands only after the unit was asked to explain it,
    docs/scoring.md) and ``empty_sections`` (what a section with no task counts,
    docs/ranking.md) are kept as they are when ``None``; a bloc-year's own rules, when created,
    start with its council's settings."""
    check_rules(tie_breaks, bands)
    if empty_sections is not None and empty_sections not in RankingRules.EmptySections.values:
        raise ValidationError({"empty_sections": _("Chọn một cách tính mục không có nhiệm vụ.")})
    _check_votes(mode, vote_bands)
    reason = _required_reason(bloc_year, reason)
    if bloc_year is not None:
        if bloc_year.state in FINALIZED_STATES:
            raise StateError(_("Kết quả đã chốt: không đổi quy tắc xếp hạng được nữa."))
        rules, created = RankingRules.objects.get_or_create(bloc_year=bloc_year)
        if created:
            council_rules = RankingRules.objects.filter(
                council_id=bloc_year.bloc.council_id, bloc_year__isnull=True
            ).first()
            if council_rules is not None:
                rules.explanation_required = council_rules.explanation_required
                rules.empty_sections = council_rules.empty_sections
                rules.mode = council_rules.mode
                rules.vote_bands = council_rules.vote_bands
    elif council is not None:
        rules, _created = RankingRules.objects.get_or_create(council=council, bloc_year=None)
    else:
        raise ValueError("rules belong to a bloc-year or a council")
    before = {
        "tie_breaks": rules.tie_breaks,
        "bands": rules.bands,
        "explanation_required": rules.explanation_required,
        "empty_sections": rules.empty_sections,
        "mode": rules.mode,
        "vote_bands": rules.vote_bands,
    }
    if explanation_required is not None:
        rules.explanation_required = explanation_required
    if empty_sections is not None:
        rules.empty_sections = empty_sections
    if mode is not None:
        if (
            mode == vote_ranking.VOTES
            and bloc_year is not None
            and ScoreSheet.objects.filter(bloc_year=bloc_year).exists()
        ):
            raise ValidationError(
                {"mode": _("Khối đã mở chấm điểm: không chuyển sang bình xét bằng phiếu được.")}
            )
        rules.mode = mode
    if vote_bands is not None:
        rules.vote_bands = [
            vote_ranking.vote_band_to_json(vote_ranking.vote_band_from_json(band))
            for band in vote_bands
        ]
    rules.tie_breaks = list(tie_breaks)
    rules.bands = [_band(band) for band in bands]
    rules.save()
    audit_record(
        actor=by,
        bloc_year=bloc_year,
        context=ranking_context(bloc_year)
        if bloc_year
        else f"council-rules:{council.pk if council else ''}",
        action="ranking.rules",
        summary=_("Sửa quy tắc xếp hạng (tiêu chí phụ và bảng xếp loại)"),
        changes={
            "tie_breaks": [before["tie_breaks"], rules.tie_breaks],
            "bands": [before["bands"], rules.bands],
            "explanation_required": [
                before["explanation_required"],
                rules.explanation_required,
            ],
            "empty_sections": [before["empty_sections"], rules.empty_sections],
            "mode": [before["mode"], rules.mode],
            "vote_bands": [before["vote_bands"], rules.vote_bands],
        },
        reason=reason,
    )
    _announce(bloc_year, by, reason)
    return rules


@transaction.atomic
def ranking_rules_reset(*, bloc_year: BlocYear, by: User | None, reason: str = "") -> bool:
    """Drop a bloc-year's own rules so that its council's defaults apply again (before
    finalization). Returns whether the bloc-year had rules of its own."""
    if bloc_year.state in FINALIZED_STATES:
        raise StateError(_("Kết quả đã chốt: không đổi quy tắc xếp hạng được nữa."))
    reason = _required_reason(bloc_year, reason)
    own = RankingRules.objects.select_for_update().filter(bloc_year=bloc_year).first()
    if own is None:
        return False
    before = {
        "tie_breaks": own.tie_breaks,
        "bands": own.bands,
        "explanation_required": own.explanation_required,
        "empty_sections": own.empty_sections,
        "mode": own.mode,
        "vote_bands": own.vote_bands,
    }
    own.delete()
    audit_record(
        actor=by,
        bloc_year=bloc_year,
        context=ranking_context(bloc_year),
        action="ranking.rules_reset",
        summary=_("Bỏ quy tắc xếp hạng riêng, dùng mặc định của hội đồng"),
        changes={key: [value, None] for key, value in before.items()},
        reason=reason,
    )
    _announce(bloc_year, by, reason)
    return True
