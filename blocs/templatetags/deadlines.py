"""Template filters for stage deadlines, for pages whose view only hands over the bloc-year:
``{% for stage in bloc_year|stage_deadlines %}`` and ``{% if due|past_due %}``."""

from __future__ import annotations

import datetime

from django import template

from blocs import deadlines
from blocs.models import BlocYear

register = template.Library()


@register.filter
def stage_deadlines(bloc_year: BlocYear) -> list[deadlines.StageDeadline]:
    return deadlines.stage_deadlines(bloc_year, deadlines.today())


@register.filter
def past_due(due: datetime.date | None) -> bool:
    return deadlines.is_late(due, deadlines.today())
