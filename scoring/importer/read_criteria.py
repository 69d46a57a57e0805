"""Reading the Tiêu chí sheet: one row per criterion (code such as I.1.a, title, maximum, kind),
then the tree: every parent present, kinds that follow their section, a leaf's maximum above 0
and a parent's maximum blank or the sum of its children's (a blank one becomes that sum), with
the rules' own tree check as a safety net.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _

from common.numbers import format_plain
from scoring import rules, tiers
from scoring.importer.cells import Row, column_letter, lower_first, two_places
from scoring.importer.contract import (
    CODE,
    CRITERIA,
    KIND,
    KINDS,
    MAX_POINTS,
    SCORED_BY,
    SCORED_BY_DEPARTMENT,
    SCORED_BY_LABELS,
    SCORED_BY_UNIT,
    SCORER,
    TIER_UNIT,
    TIERS,
    TITLE,
    CriterionRow,
    normalise,
    scored_by_code,
)
from scoring.importer.reader import CODE_LENGTH, TITLE_LENGTH, SheetReader
from scoring.tiers import Tier

_CODE_SHAPE = re.compile(r"[^\s.]+(\.[^\s.]+)*")


class CriteriaSheetReader(SheetReader):
    def _read_criteria(self, rows: Sequence[Sequence[Any]]) -> None:
        columns_named = (CODE, TITLE, MAX_POINTS, KIND)
        optional = (SCORED_BY, SCORER, TIERS, TIER_UNIT)
        header = self._header(rows, CRITERIA, (*columns_named, *optional), columns_named)
        if header is None:
            return
        header_row, columns = header
        code_at, title_at, max_at, kind_at = (columns[name] for name in columns_named)
        scored_by_at, scorer_at = columns.get(SCORED_BY), columns.get(SCORER)
        tiers_at, tier_unit_at = columns.get(TIERS), columns.get(TIER_UNIT)
        by_code: dict[str, CriterionRow] = {}
        clean = True  # no problem found at a cell of this sheet
        for row in self._data_rows(CRITERIA, rows, header_row.index + 1):
            code = (row.text(code_at) or "").rstrip(".")
            if not code and row.ok:
                row.flag(code_at, _("dòng không có mã tiêu chí."))
            elif code and (len(code) > CODE_LENGTH or not _CODE_SHAPE.fullmatch(code)):
                row.flag(
                    code_at,
                    _(
                        "mã không hợp lệ: viết như I, I.1, I.1.a, không có dấu cách, tối đa "
                        "%(length)s ký tự."
                    )
                    % {"length": CODE_LENGTH},
                )
            elif code in by_code:
                previous = by_code[code].row
                row.flag(
                    code_at, _("mã tiêu chí lặp lại (đã có ở dòng %(row)s).") % {"row": previous}
                )
            title = row.text(title_at, TITLE_LENGTH)
            if title == "":
                row.flag(title_at, _("thiếu nội dung tiêu chí."))
            maximum = row.amount(max_at)
            if maximum is not None and not two_places(maximum):
                row.flag(max_at, _("điểm tối đa phải là số không âm, tối đa hai chữ số thập phân."))
            kind_text = row.text(kind_at) or ""
            kind = KINDS.get(normalise(kind_text)) if kind_text else rules.STANDARD
            if kind is None:
                row.flag(kind_at, _("loại phải là “chuẩn”, “thưởng” hoặc “trừ”."))
            scored_by_text = (row.text(scored_by_at) or "") if scored_by_at is not None else ""
            scored_by = scored_by_code(scored_by_text) if scored_by_text else SCORED_BY_UNIT
            if scored_by is None and scored_by_at is not None:
                row.flag(scored_by_at, _scored_by_reason())
            scorer = (row.text(scorer_at, CODE_LENGTH) or "") if scorer_at is not None else ""
            table, tiers_text = _read_tiers(row, tiers_at, maximum)
            tier_unit = (
                (row.text(tier_unit_at, UNIT_LENGTH) or "") if tier_unit_at is not None else ""
            )
            clean = clean and row.ok
            if code and code not in by_code:
                by_code[code] = CriterionRow(
                    code=code,
                    title=title or "",
                    max_points=maximum,
                    kind=kind or rules.STANDARD,
                    row=row.number,
                    order=(len(by_code) + 1) * 10,
                    kind_written=bool(kind_text),
                    scored_by=scored_by or SCORED_BY_UNIT,
                    scored_by_written=bool(scored_by_text),
                    scorer=scorer,
                    scorer_written=bool(scorer),
                    scorer_column=column_letter(scorer_at) if scorer_at is not None else "",
                    tiers=table,
                    tier_unit=tier_unit,
                    tiers_text=tiers_text,
                    tiers_column=column_letter(tiers_at) if tiers_at is not None else "",
                )
        criteria = list(by_code.values())
        self.data.criteria = criteria
        self.data.criteria_read = True
        if not criteria:
            self.problem(_("trang không có tiêu chí nào."), CRITERIA)
            return
        letters = {
            "code": column_letter(code_at),
            "max": column_letter(max_at),
            "kind": column_letter(kind_at),
        }
        if self._check_tree(criteria, by_code, letters) and clean:
            # The rules' own check, as a safety net: what it finds is reported for the sheet.
            nodes = [rules.TreeNode(c.code, c.parent_code, c.kind, c.max_points) for c in criteria]
            for message in rules.check_tree(nodes):
                self.problem(lower_first(message), CRITERIA)

    def _check_tree(
        self,
        criteria: list[CriterionRow],
        by_code: dict[str, CriterionRow],
        letters: dict[str, str],
    ) -> bool:
        """Parents, kinds and maxima, each problem at its cell. Returns whether all is well; then
        a parent's blank maximum becomes the sum of its children's."""
        problems = len(self.problems)
        children: dict[str, list[CriterionRow]] = {}
        for row in criteria:
            parent = row.parent_code
            if parent is not None and parent not in by_code:
                self.problem(
                    _("thiếu mục cha “%(parent)s”.") % {"parent": parent},
                    CRITERIA,
                    row.row,
                    letters["code"],
                    row.code,
                )
            elif parent is not None:
                children.setdefault(parent, []).append(row)
        for row in criteria:
            row.leaf = row.code not in children
            if row.tiers and not row.leaf:
                reason = _("chỉ tiêu chí không có tiêu chí con mới tính theo bảng mức.")
                self.problem(reason, CRITERIA, row.row, row.tiers_column, row.tiers_text)
        # Kinds follow the section: a blank kind is the parent's; a written one must agree.
        for row in sorted(criteria, key=lambda item: item.code.count(".")):
            parent_row = by_code.get(row.parent_code or "")
            if parent_row is not None and not row.kind_written:
                row.kind = parent_row.kind
            elif parent_row is not None and row.kind != parent_row.kind:
                reason = _("loại khác với mục cha “%(parent)s”.") % {"parent": parent_row.code}
                self.problem(reason, CRITERIA, row.row, letters["kind"], row.code)
            if parent_row is not None and not row.scored_by_written:
                row.scored_by = parent_row.scored_by  # a section scored by the council
                row.scorer = row.scorer or parent_row.scorer
        self._check_scorers(criteria)

        def total(row: CriterionRow) -> Decimal:
            kids = children.get(row.code, [])
            if not kids or row.max_points is not None:
                return row.max_points or Decimal(0)
            return sum((total(kid) for kid in kids), Decimal(0))

        # Maxima: a leaf needs one above 0; a parent's is blank or the sum of its children's.
        for row in criteria:
            written = format_plain(row.max_points) if row.max_points is not None else ""
            if row.leaf and (row.max_points is None or row.max_points <= 0):
                reason = _("tiêu chí không có tiêu chí con cần điểm tối đa lớn hơn 0.")
                self.problem(reason, CRITERIA, row.row, letters["max"], written)
            elif not row.leaf and row.max_points is not None:
                expected = sum((total(kid) for kid in children[row.code]), Decimal(0))
                if row.max_points != expected:
                    reason = _(
                        "điểm tối đa của %(code)s khác tổng điểm tối đa các tiêu chí con (%(sum)s)."
                    ) % {"code": row.code, "sum": format_plain(expected)}
                    self.problem(reason, CRITERIA, row.row, letters["max"], written)
        if len(self.problems) > problems:
            return False
        for row in criteria:
            row.max_points = total(row)
        return True

    def _check_scorers(self, criteria: list[CriterionRow]) -> None:
        """A department scores with its unit code in ``Cơ quan chấm``; nobody else has one.
        Whether the code is a unit of the council is the database's check."""
        for row in criteria:
            row.scorer = self._unit_code(row.scorer) or row.scorer if row.scorer else ""
            department = row.scored_by == SCORED_BY_DEPARTMENT
            if department and not row.scorer:
                reason = _("tiêu chí do sở, ngành chấm cần mã đơn vị ở cột “%(column)s”.") % {
                    "column": SCORER
                }
                self.problem(reason, CRITERIA, row.row, row.scorer_column or "", row.scorer)
            elif row.scorer and not department:
                reason = _("chỉ ghi cơ quan chấm khi “%(column)s” là “%(label)s”.") % {
                    "column": SCORED_BY,
                    "label": SCORED_BY_LABELS[SCORED_BY_DEPARTMENT],
                }
                self.problem(reason, CRITERIA, row.row, row.scorer_column, row.scorer)


UNIT_LENGTH = 20  # Criterion.tier_unit


def _read_tiers(row: Row, index: int | None, maximum: Decimal | None) -> tuple[list[Tier], str]:
    """The ``Bảng mức`` cell: blank (the criterion's points are entered directly) or a tier
    table, "0: 5; 1–3: 3; 4–7: 1; >7: 0", checked by the pure rule against the maximum; each
    problem flagged at the cell, naming the table's row."""
    text = (row.text(index) or "") if index is not None else ""
    if index is None or not text:
        return [], text
    table, problems = tiers.parse_table(text)
    if not problems:
        problems = tiers.check_table(table, maximum)
    for problem in problems:
        row.flag(index, _("bảng mức: %(problem)s") % {"problem": lower_first(problem)})
    return (table if not problems else []), text


def _scored_by_reason() -> str:
    labels = ", ".join(f"“{label}”" for label in SCORED_BY_LABELS.values())
    codes = ", ".join(SCORED_BY_LABELS)
    return _("đơn vị chấm phải là một trong %(labels)s (hoặc mã %(codes)s).") % {
        "labels": labels,
        "codes": codes,
    }
