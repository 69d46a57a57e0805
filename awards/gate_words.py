"""An award type's gates in words, for the catalogue's table (``awards.views.catalogue``).

The gates are read in the order of the one gate list, ``awards.eligibility.GATES`` (the order
of the proposal's page), each described by the fields of the award type that set it: the
catalogue says what the rule set declares (a quota as a count or a share, a history that is
only an alternative ground), where ``eligibility.gate_label`` says what one bloc-year checks.
The discipline gate binds every award, so the table does not repeat it; the council's vote is
not a gate of the proposal (it is taken when the decision is recorded) and comes last.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

from django.utils.translation import gettext as _

from awards.eligibility import GATES, required_award_code
from awards.models import AwardType, RuleSet
from common.numbers import format_percent

Words = Callable[[AwardType, RuleSet, Mapping[str, str]], list[str]]


def _discipline(award: AwardType, rule_set: RuleSet, names: Mapping[str, str]) -> list[str]:
    return []


def _registration(award: AwardType, rule_set: RuleSet, names: Mapping[str, str]) -> list[str]:
    return [_("đã đăng ký thi đua đầu năm")] if award.requires_registration else []


def _rank(award: AwardType, rule_set: RuleSet, names: Mapping[str, str]) -> list[str]:
    words = []
    if award.max_rank == 1:
        words.append(_("hạng 1"))
    elif award.max_rank:
        words.append(_("hạng 1 đến %(rank)s") % {"rank": award.max_rank})
    if award.rank_within_quota:
        words.append(_("theo thứ hạng trong số lượng"))
    return words


def _quota(award: AwardType, rule_set: RuleSet, names: Mapping[str, str]) -> list[str]:
    if award.quota_count is not None:
        return [_("tối đa %(count)s mỗi khối") % {"count": award.quota_count}]
    if award.quota_share_percent is not None:
        return [
            _("tối đa %(share)s số thành viên")
            % {"share": format_percent(award.quota_share_percent)}
        ]
    return []


def _band(award: AwardType, rule_set: RuleSet, names: Mapping[str, str]) -> list[str]:
    if not award.required_bands:
        return []
    bands = _(" hoặc ").join(_(band) for band in award.required_bands)
    return [_("xếp loại: %(bands)s") % {"bands": bands}]


def _ballot(award: AwardType, rule_set: RuleSet, names: Mapping[str, str]) -> list[str]:
    if not award.needs_ballot:
        return []
    if award.min_ballot_share_percent is None:
        return [_("phải qua bỏ phiếu")]
    return [
        _("phải qua bỏ phiếu (ít nhất %(share)s)")
        % {"share": format_percent(award.min_ballot_share_percent)}
    ]


def _prerequisite(award: AwardType, rule_set: RuleSet, names: Mapping[str, str]) -> list[str]:
    requires = required_award_code(
        award.code,
        award.requires_award_code,
        government_flag_also_provincial=rule_set.government_flag_also_provincial,
    )
    if not requires:
        return []
    return [_("cùng được đề nghị %(name)s") % {"name": names.get(requires, requires)}]


def _history(award: AwardType, rule_set: RuleSet, names: Mapping[str, str]) -> list[str]:
    if not (award.history_years and award.history_award_code):
        return []
    history = _("%(years)s năm liền trước đạt “%(name)s”") % {
        "years": award.history_years,
        "name": names.get(award.history_award_code, award.history_award_code),
    }
    if award.history_alternative:
        history = _("hoặc %(history)s (căn cứ thay thế)") % {"history": history}
    return [history]


def _staff(award: AwardType, rule_set: RuleSet, names: Mapping[str, str]) -> list[str]:
    words = []
    if award.min_completing_percent is not None:
        words.append(
            _("hoàn thành nhiệm vụ ≥ %(share)s")
            % {"share": format_percent(award.min_completing_percent)}
        )
    if award.min_advanced_percent is not None:
        template = (
            _("“Lao động tiên tiến” > %(share)s")
            if award.advanced_strictly_above
            else _("“Lao động tiên tiến” ≥ %(share)s")
        )
        words.append(template % {"share": format_percent(award.min_advanced_percent)})
    if award.min_emulation_fighters:
        words.append(
            _("ít nhất %(count)s “Chiến sĩ thi đua cơ sở”")
            % {"count": award.min_emulation_fighters}
        )
    if award.no_discipline:
        words.append(_("không ai bị kỷ luật"))
    return words


# One entry per gate of ``GATES``, no more: a gate added there without words here fails the
# catalogue's tests.
GATE_WORDS: dict[str, Words] = {
    "discipline": _discipline,
    "registration": _registration,
    "rank": _rank,
    "quota": _quota,
    "band": _band,
    "ballot": _ballot,
    "prerequisite": _prerequisite,
    "history": _history,
    "staff": _staff,
}


def gate_words(award: AwardType, rule_set: RuleSet, names: Mapping[str, str]) -> list[str]:
    """The gates of an award in words, in the order of ``GATES``, then the council's vote."""
    words = [word for gate in GATES for word in GATE_WORDS[gate](award, rule_set, names)]
    if award.needs_council_vote:
        words.append(_("Hội đồng bỏ phiếu"))
    return words
