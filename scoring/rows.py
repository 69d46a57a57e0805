"""A ranking row: one unit's line of a bloc-year's ranking, the one type every app reads.

The ranking (``scoring.ranking.Ranked.row``) makes it; a snapshot keeps it as JSON
(``to_json``: amounts as text with a dot and two places, ``"95.50"``, so that no decimal is
lost) and gives it back typed (``RankingSnapshot.rows``, ``from_json``). Pages, exports,
documents, the awards, open data and the dashboard read its attributes, never the JSON.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from common.numbers import decimal_text

ZERO = Decimal(0)


def _amount(value: object) -> Decimal | None:
    return None if value is None or value == "" else Decimal(str(value))


def _integer(value: object) -> int:
    if isinstance(value, int):
        return value
    return int(str(value)) if value not in (None, "") else 0


def _optional_integer(value: object) -> int | None:
    return None if value in (None, "") else _integer(value)


def _text(value: object) -> str:
    return "" if value is None else str(value)


@dataclass(frozen=True, slots=True)
class RankingRow:
    """One unit in a ranking, best first: rank, totals, band and the tie explanations."""

    unit_id: int
    code: str
    name: str  # the unit's name in that year
    rank: int = 0  # 1 is first; units still equal share it (1, 2, 2, 4); 0: not ranked yet
    shared: bool = False
    total: Decimal | None = None  # None while some line has no points (then not ranked)
    standard: Decimal = ZERO  # points of the standard criteria (scaled when some do not apply)
    bonus: Decimal = ZERO  # after the set's cap
    penalty: Decimal = ZERO
    self_total: Decimal | None = None  # the unit's self-assessment; None while incomplete
    sections: Mapping[str, Decimal] = field(default_factory=dict)  # top-level code → subtotal
    band: str = ""
    tie_break: str | None = None  # the sentences explaining the rank against equal units
    scaled: bool = False  # some lines do not apply and the standard points were scaled
    women_share: Decimal | None = None  # % of women, when known (a tie-break)
    band_note: str | None = None  # why a higher band's floors were not met, in words
    # Ranked by vote alone (no points, scoring/vote_ranking.py): votes "đồng ý" of the voters
    votes_for: int | None = None
    voters: int | None = None
    # A past year imported with points in which this member has none: its rank (0: none) and
    # band are the published ones (scoring/importer/write_mixed.py)
    published: bool = False

    @property
    def by_votes(self) -> bool:
        """Ranked by the bình xét vote, not by points."""
        return self.voters is not None

    @property
    def vote_share(self) -> Decimal | None:
        """The share of votes "đồng ý", % to two places (None without a vote)."""
        if not self.voters:
            return None
        return (Decimal(100 * (self.votes_for or 0)) / Decimal(self.voters)).quantize(
            Decimal("0.01"), rounding=ROUND_HALF_UP
        )

    @property
    def complete(self) -> bool:
        """Every line has points: the unit has a total and a rank."""
        return self.total is not None

    @property
    def place(self) -> int | None:
        """The rank, None while the unit is not ranked."""
        return self.rank or None

    @classmethod
    def from_json(cls, data: Mapping[str, object]) -> RankingRow:
        """A row as a snapshot keeps it (``to_json``)."""
        sections = data.get("sections")
        return cls(
            unit_id=_integer(data["unit_id"]),
            code=_text(data.get("code")),
            name=_text(data.get("name")),
            rank=_integer(data.get("rank")),
            shared=bool(data.get("shared")),
            total=_amount(data.get("total")),
            standard=_amount(data.get("standard")) or ZERO,
            bonus=_amount(data.get("bonus")) or ZERO,
            penalty=_amount(data.get("penalty")) or ZERO,
            self_total=_amount(data.get("self_total")),
            sections={
                str(code): amount
                for code, value in (sections.items() if isinstance(sections, Mapping) else ())
                if (amount := _amount(value)) is not None
            },
            band=_text(data.get("band")),
            tie_break=_text(data.get("tie_break")) or None,
            scaled=bool(data.get("scaled")),
            women_share=_amount(data.get("women_share")),
            band_note=_text(data.get("band_note")) or None,
            votes_for=_optional_integer(data.get("votes_for")),
            voters=_optional_integer(data.get("voters")),
            published=bool(data.get("published")),
        )

    def to_json(self) -> dict[str, object]:
        """What a snapshot keeps (the keys of the rows written since the first snapshot, and
        ``band_note`` only when a floor moved the unit down, the votes only when ranked by vote,
        issue 18)."""
        data: dict[str, object] = {
            "unit_id": self.unit_id,
            "code": self.code,
            "name": self.name,
            "rank": self.rank,
            "shared": self.shared,
            "total": decimal_text(self.total),
            "complete": self.complete,
            "standard": decimal_text(self.standard),
            "bonus": decimal_text(self.bonus),
            "penalty": decimal_text(self.penalty),
            "self_total": decimal_text(self.self_total),
            "sections": {code: decimal_text(value) for code, value in self.sections.items()},
            "band": self.band,
            "tie_break": self.tie_break,
            "scaled": self.scaled,
            "women_share": decimal_text(self.women_share),
        }
        if self.band_note:
            data["band_note"] = self.band_note
        if self.voters is not None:
            data["votes_for"] = self.votes_for
            data["voters"] = self.voters
        if self.published:
            data["published"] = True
        return data


def rows_from_json(rows: Iterable[Mapping[str, object]] | None) -> list[RankingRow]:
    """The typed rows of a snapshot's JSON (``data["rows"]``)."""
    return [RankingRow.from_json(row) for row in rows or ()]


def row_of(rows: Iterable[RankingRow], unit_id: int) -> RankingRow | None:
    """A unit's row, None when the unit is not in the ranking."""
    return next((row for row in rows if row.unit_id == unit_id), None)


def keep_published(previous: Iterable[RankingRow], rows: list[RankingRow]) -> list[RankingRow]:
    """A later snapshot (a correction) keeps the published rows of the one before, last: those
    members have no score sheet (scoring/importer/write_mixed.py), so a ranking computed again
    would list them as not scored."""
    kept = [row for row in previous if row.published]
    ids = {row.unit_id for row in kept}
    return [*(row for row in rows if row.unit_id not in ids), *kept] if kept else rows
