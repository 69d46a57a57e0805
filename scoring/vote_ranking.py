"""Ranking by vote alone ("Bình xét bằng phiếu", issue 18): a pure function, no database.

Some blocs publish no points: at the year-end bình xét meeting the members present vote on each
member, and the result is the votes "đồng ý" out of the voters present, and a band. The ranking
orders the members by their share of votes (best first); equal shares share a rank (1, 2, 2, 4)
and say so. The band is the one the meeting published when the secretariat entered it, else
the first band of the vote band table whose threshold the share exceeds ("trên 50 %": strictly
more, the pass rule of a bloc ballot, docs/ranking.md); the last band takes everyone else.
A member without a recorded vote is listed last, without a rank or a band.
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

from django.utils.translation import gettext as _

from common.collation import vietnamese_sort_key
from common.numbers import format_percent, format_plain
from scoring.rows import RankingRow

POINTS = "points"
VOTES = "votes"
MODES = (POINTS, VOTES)


@dataclass(frozen=True)
class VoteBand:
    """A band of the vote table: given when the share of votes is more than ``above``
    (percent); ``above`` is None for the last band, which takes everyone else."""

    name: str
    above: Decimal | None = None


@dataclass(frozen=True)
class VoteEntry:
    """One member's vote result: votes "đồng ý" out of the voters present, and the band the
    meeting published (blank: the band comes from the table)."""

    unit_id: int
    code: str
    name: str
    votes_for: int | None = None
    voters: int | None = None
    band: str = ""
    women_share: Decimal | None = None

    @property
    def recorded(self) -> bool:
        return self.votes_for is not None and bool(self.voters)

    @property
    def share(self) -> Fraction:
        """The share of votes as an exact fraction (0 when nothing is recorded)."""
        return Fraction(self.votes_for or 0, self.voters) if self.recorded else Fraction(0)


def default_vote_bands() -> list[VoteBand]:
    """More than half the votes (the documented pass rule of a bloc ballot) for the top band;
    the next band for everyone else."""
    return [
        VoteBand("Hoàn thành xuất sắc nhiệm vụ", Decimal(50)),
        VoteBand("Hoàn thành tốt nhiệm vụ", None),
    ]


def vote_band_from_json(data: Mapping[str, object]) -> VoteBand:
    above = data.get("above_percent")
    return VoteBand(str(data.get("name", "")), None if above in (None, "") else Decimal(str(above)))


def vote_band_to_json(band: VoteBand) -> dict[str, str]:
    data = {"name": band.name}
    if band.above is not None:
        data["above_percent"] = f"{band.above.normalize():f}"
    return data


def check_vote_bands(bands: Sequence[VoteBand]) -> list[str]:
    """What is wrong with a vote band table, in words (empty when it is usable)."""
    problems = []
    if not bands:
        return [_("Bảng xếp loại theo phiếu cần ít nhất một mức.")]
    names = [band.name.strip() for band in bands]
    if not all(names):
        problems.append(_("Mỗi mức xếp loại cần có tên."))
    if len(set(names)) != len(names):
        problems.append(_("Tên các mức xếp loại không được trùng nhau."))
    thresholds = [band.above for band in bands[:-1]]
    if any(value is None for value in thresholds):
        problems.append(_("Mỗi mức trừ mức cuối cần tỷ lệ phiếu tối thiểu."))
    elif any(not Decimal(0) <= value < Decimal(100) for value in thresholds if value is not None):
        problems.append(_("Tỷ lệ phiếu phải từ 0 đến dưới 100."))
    elif any(a is not None and b is not None and a <= b for a, b in itertools.pairwise(thresholds)):
        problems.append(_("Các mức xếp loại phải xếp từ cao xuống thấp."))
    if bands[-1].above is not None:
        problems.append(_("Mức cuối cùng dành cho các đơn vị còn lại: không đặt tỷ lệ phiếu."))
    return problems


def percent(share: Fraction) -> Decimal:
    """A share as a percentage, two places, half up (71,43 for 5 of 7)."""
    value = Decimal(share.numerator * 100) / Decimal(share.denominator)
    return value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def vote_band(entry: VoteEntry, bands: Sequence[VoteBand]) -> str:
    """The meeting's published band, else the first band whose threshold the share exceeds."""
    if entry.band:
        return entry.band
    for band in bands:
        if band.above is None or entry.share * 100 > Fraction(band.above):
            return band.name
    return bands[-1].name if bands else ""


def rank_by_votes(entries: Sequence[VoteEntry], bands: Sequence[VoteBand]) -> list[RankingRow]:
    """The members by share of votes, best first; equal shares share a rank; no points."""
    recorded = sorted(
        (entry for entry in entries if entry.recorded), key=lambda e: (-e.share, e.name)
    )
    rows: list[RankingRow] = []
    position = 0
    for index, entry in enumerate(recorded):
        if index == 0 or entry.share != recorded[index - 1].share:
            position = index + 1
        equals = [other.name for other in recorded if other.share == entry.share and other != entry]
        tie = (
            _("đồng hạng %(rank)s với %(others)s: bằng tỷ lệ phiếu đồng ý")
            % {"rank": position, "others": ", ".join(equals)}
            if equals
            else None
        )
        note = (
            _("xếp loại do hội nghị bình xét công bố")
            if entry.band
            else _("xếp loại theo tỷ lệ phiếu")
        )
        rows.append(_row(entry, position, tie, vote_band(entry, bands), note))
    missing = sorted(
        (entry for entry in entries if not entry.recorded),
        key=lambda e: vietnamese_sort_key(e.name),
    )
    rows.extend(
        _row(entry, 0, _("chưa xếp hạng: chưa ghi kết quả phiếu"), "", None) for entry in missing
    )
    return rows


def _row(entry: VoteEntry, rank: int, tie: str | None, band: str, note: str | None) -> RankingRow:
    return RankingRow(
        unit_id=entry.unit_id,
        code=entry.code,
        name=entry.name,
        rank=rank,
        shared=bool(tie) and rank > 0,
        total=None,
        band=band,
        tie_break=tie,
        women_share=entry.women_share,
        band_note=note,
        votes_for=entry.votes_for if entry.recorded else None,
        voters=entry.voters if entry.recorded else None,
    )


def explain(bands: Sequence[VoteBand]) -> list[str]:
    """The rule in words, for the rules page and under the ranking."""
    parts = [
        _(
            "Không chấm điểm: thứ hạng theo tỷ lệ phiếu “đồng ý” trên số thành viên có mặt "
            "bỏ phiếu, cao xếp trên; bằng tỷ lệ phiếu thì cùng hạng."
        )
    ]
    for band in bands:
        if band.above is None:
            parts.append(_("“%(band)s”: các đơn vị còn lại.") % {"band": band.name})
        else:
            parts.append(
                _("“%(band)s”: được trên %(share)s số phiếu.")
                % {"band": band.name, "share": format_percent(band.above)}
            )
    parts.append(_("Xếp loại do hội nghị bình xét công bố, khi được ghi, thay cho bảng trên."))
    return parts


def share_text(votes_for: int, voters: int) -> str:
    """``12/15 (80%)``: a vote result in words."""
    share = format_plain(percent(Fraction(votes_for, voters))) if voters else "0"
    return f"{votes_for}/{voters} ({share}%)"
