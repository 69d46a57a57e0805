"""Dates as Vietnamese official documents write them (Nghị định 30/2020/NĐ-CP)."""

from __future__ import annotations

import datetime


def official_date(day: datetime.date) -> str:
    """``ngày 05 tháng 3 năm 2021``: a leading zero for days below 10 and for months 1 and 2."""
    month = f"{day.month:02d}" if day.month <= 2 else str(day.month)
    return f"ngày {day.day:02d} tháng {month} năm {day.year}"


def official_date_line(place: str, day: datetime.date) -> str:
    """The italic line under the national motto: ``Quảng Nam, ngày 05 tháng 01 năm 2021``."""
    return f"{place}, {official_date(day)}"
