"""Dates as Vietnamese official documents write them (Nghị định 30/2020/NĐ-CP)."""

from __future__ import annotations

import datetime

from django.utils import timezone
from django.utils.formats import date_format


def official_date(day: datetime.date) -> str:
    """``ngày 05 tháng 3 năm 2021``: a leading zero for days below 10 and for months 1 and 2."""
    month = f"{day.month:02d}" if day.month <= 2 else str(day.month)
    return f"ngày {day.day:02d} tháng {month} năm {day.year}"


def official_date_line(place: str, day: datetime.date) -> str:
    """The italic line under the national motto: ``Quảng Nam, ngày 05 tháng 01 năm 2021``."""
    return f"{place}, {official_date(day)}"


def short_datetime(moment: datetime.datetime) -> str:
    """A moment as people read it: in the council's time zone (settings.TIME_ZONE), never UTC
    (``date_format`` alone formats the moment as stored)."""
    return date_format(timezone.localtime(moment), "SHORT_DATETIME_FORMAT")
