"""Which period of law judges a year's awards, and in words why none does.

A year's results follow the rule set in force on 31 December of that year
(``awards.selectors.rule_set_for_year``); a year that no rule set covers is never judged by the
nearest one. The rule sets start with Nghị định 91/2017/NĐ-CP (in force from 01/10/2017): the
law before it (Nghị định 42/2010/NĐ-CP, amended by Nghị định 65/2014/NĐ-CP) is not in the app,
so 2016 and earlier have scores and rankings but no awards judged here (docs/awards.md).
"""

from __future__ import annotations

import datetime

from django.utils.translation import gettext as _


def year_end(year: int) -> datetime.date:
    """The day whose law judges the year's results."""
    return datetime.date(year, 12, 31)


def uncovered_reason(year: int, earliest_start: datetime.date | None, earliest_name: str) -> str:
    """Why no rule set judges ``year`` (called only for such a year): before the earliest rule
    set's start (``earliest_start``; None when one has no start), or a gap in the periods."""
    if earliest_start is not None and year_end(year) < earliest_start:
        return _(
            "Năm %(year)s không có bộ quy định khen thưởng nào áp dụng: các bộ quy định bắt đầu "
            "từ ngày %(day)s (%(name)s), luật trước ngày đó chưa có trong ứng dụng. Ứng dụng "
            "không xét khen thưởng năm này; điểm và xếp hạng vẫn dùng được."
        ) % {"year": year, "day": earliest_start.strftime("%d/%m/%Y"), "name": earliest_name}
    return _(
        "Chưa có bộ quy định khen thưởng áp dụng cho năm %(year)s (ngày 31/12/%(year)s không "
        "thuộc bộ quy định nào). Ứng dụng không xét khen thưởng năm này cho đến khi có bộ quy "
        "định cho thời kỳ đó."
    ) % {"year": year}
