"""The ranking page's what-if panel: one line's points changed, the ranking that would result,
nothing saved. It reads the choice from the page's query (``unit``, ``criterion``, ``points``)
and ranks again with ``ranking_input(overrides=…)``: one read of the year's lines, only once
something is chosen (the ranking it starts from may come from the sheets' kept parts)."""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.text import Truncator
from django.utils.translation import gettext as _

from blocs.models import BlocYear
from common.numbers import format_number, format_plain
from scoring import rules
from scoring.ranking import Ranked, UnitScores
from scoring.selectors.ranking import CriterionRow, RankingInput, ranking_input


@dataclass(frozen=True)
class WhatIfRow:
    row: Ranked  # the unit in the ranking that would result
    before: Ranked  # …and in the ranking now
    moved: int  # ranks gained (negative: lost)


@dataclass
class WhatIf:
    """The what-if panel: the choices, and once chosen the ranking that would result."""

    units: list[UnitScores]
    options: list[tuple[int, str]]  # (criterion id, label) of every leaf
    errors: list[str] = field(default_factory=list)
    unit: UnitScores | None = None
    leaf: CriterionRow | None = None
    points: Decimal | None = None
    current: Decimal | None = None
    rows: list[WhatIfRow] = field(default_factory=list)

    @property
    def unit_options(self) -> list[tuple[int, str]]:
        """(unit id, name) of every unit, for the chooser."""
        return [(unit.unit_id, unit.name) for unit in self.units]


def _short(title: str) -> str:
    """The title cut to 70 characters as ``Truncator.chars`` cuts it; a shorter title (most
    of them) is given back without the truncator's walk over every character."""
    text = unicodedata.normalize("NFC", title)
    return text if len(text) <= SHORT else Truncator(text).chars(SHORT)


SHORT = 70


def _options(leaves: list[CriterionRow]) -> list[tuple[int, str]]:
    # Labels built here, not by template filters per option: 80 criteria on every view.
    label = _("%(code)s. %(title)s (tối đa %(max)s)")
    # A set has a few distinct maxima: each written once for this page.
    maxima = {points: format_number(points) for points in {leaf.max_points for leaf in leaves}}
    return [
        (
            leaf.pk,
            label
            % {"code": leaf.code, "title": _short(leaf.title), "max": maxima[leaf.max_points]},
        )
        for leaf in leaves
    ]


def _points(text: str, leaf: CriterionRow) -> Decimal:
    """The points typed for the leaf; ``rules.InputError`` unless from 0 to its maximum."""
    points = rules.parse_amount(text)
    if points is None or points < 0 or points > leaf.max_points:
        raise rules.InputError(
            _("Điểm phải từ 0 đến %(max)s.") % {"max": format_plain(leaf.max_points)}
        )
    return points


def _choose(panel: WhatIf, data: RankingInput, query: Mapping[str, str]) -> bool:
    """Fill the panel's unit, leaf and points from the query; False when nothing (or nothing
    usable) was chosen, with the reason in ``errors``."""
    unit_id, criterion_id, text = (query.get(key, "") for key in ("unit", "criterion", "points"))
    if not (unit_id.isdigit() and criterion_id.isdigit() and text):
        return False
    leaves = {leaf.pk: leaf for leaf in data.leaves}
    units = {unit.unit_id: unit for unit in data.units}
    leaf, unit = leaves.get(int(criterion_id)), units.get(int(unit_id))
    if leaf is None or unit is None:
        panel.errors.append(_("Chọn đơn vị và tiêu chí trong danh sách."))
        return False
    try:
        points = _points(text, leaf)
    except rules.InputError as error:
        panel.errors.append(str(error))
        return False
    panel.unit, panel.leaf, panel.points = unit, leaf, points
    return True


def what_if(bloc_year: BlocYear, data: RankingInput, query: Mapping[str, str]) -> WhatIf:
    """The panel for the query's choice, with the ranking it would give once chosen."""
    panel = WhatIf(units=data.units, options=_options(data.leaves))
    if not _choose(panel, data, query):
        return panel
    assert panel.unit is not None and panel.leaf is not None
    before = {row.unit_id: row for row in data.rank()}
    changed = ranking_input(
        bloc_year, overrides={(panel.unit.unit_id, panel.leaf.pk): panel.points}
    )
    after = changed.rank()
    panel.current = changed.replaced[panel.unit.unit_id, panel.leaf.pk]
    panel.rows = [
        WhatIfRow(
            row=row,
            before=before[row.unit_id],
            moved=(before[row.unit_id].rank or len(after) + 1) - (row.rank or len(after) + 1),
        )
        for row in after
    ]
    return panel
