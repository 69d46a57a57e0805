"""The ranking page's content as one Jinja2 template (``templates/jinja2/scoring/``).

The secretariat opens the live ranking often during the verification weeks. Its headings,
notices, rules and buttons in Django's engine cost as much as its rows in Jinja2, so the whole
content is a Jinja2 template, as the sheet page's is (``score_grid.sheet_page``):

``{% ranking_page %}``: the page's content from the context its view built
(``views/ranking.py``, ``ranking``); the ranking table in it (``scoring/ranking_table.html``)
is the one the finalization and snapshots pages include with ``{% jinja %}``.
"""

from __future__ import annotations

from dataclasses import dataclass

from django import template
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from common.jinja import local_date, render
from scoring.models import RankingSnapshot
from scoring.selectors.quotas import QuotaLine

register = template.Library()


@dataclass(frozen=True)
class RankingWords:
    """The ranking page's words with a count (Python's ngettext: a Jinja2 template's plural
    would not reach the catalogue) and its sentences too long for a template line, with the
    msgids the Django template had."""

    points_rule: str
    snapshot: str = ""
    unverified: str = ""
    caps: str = ""
    quotas: tuple[tuple[QuotaLine, str], ...] = ()


def climbed(count: int) -> str:
    """A what-if row's ranks gained: "lên 2 hạng"."""
    return ngettext("lên %(counter)s hạng", "lên %(counter)s hạng", count) % {"counter": count}


def _snapshot(snapshot: RankingSnapshot | None) -> str:
    if snapshot is None:
        return ""
    return _(
        "Kết quả đã chốt (lần %(number)s, %(kind)s, %(when)s). Kết quả này không thay đổi khi "
        "điểm thay đổi; mọi điều chỉnh đều tạo một lần chốt mới có ghi lý do."
    ) % {
        "number": snapshot.number,
        "kind": snapshot.get_kind_display(),
        "when": local_date(snapshot.created_at, "SHORT_DATETIME_FORMAT"),
    }


def _quota(quota: QuotaLine) -> str:
    return _(
        "Hạn mức chung “%(name)s”: “%(band)s” tối đa %(percent)s%% số đơn vị của các khối tính "
        "chung (%(limit)s trên %(counted)s đơn vị, làm tròn xuống); đơn vị được xét theo tỷ lệ "
        "điểm đạt so với điểm tối đa, rồi theo thứ hạng trong khối; đơn vị vượt quá được xếp "
        "mức thấp hơn kế tiếp, lý do ghi ở cột Xếp loại."
    ) % {
        "name": quota.name,
        "band": quota.band,
        "percent": quota.percent,
        "limit": quota.limit,
        "counted": quota.counted,
    }


def ranking_words(context: template.Context) -> RankingWords:
    unverified = context["unverified"]
    return RankingWords(
        points_rule=_(
            "Tổng điểm = điểm các tiêu chí chuẩn (quy đổi khi có tiêu chí không áp dụng) + "
            "điểm thưởng (không quá mức tối đa) − điểm trừ. Khi bằng điểm, thứ hạng được phân "
            "định theo thứ tự tiêu chí phụ của khối; mỗi lần phân định đều được ghi bằng lời ở "
            "dưới tên đơn vị."
        ),
        snapshot=_snapshot(context["snapshot"]),
        unverified=ngettext(
            "Còn %(counter)s bảng điểm chưa thẩm định xong.",
            "Còn %(counter)s bảng điểm chưa thẩm định xong.",
            unverified,
        )
        % {"counter": unverified}
        if unverified
        else "",
        caps=_(
            "Giới hạn số đơn vị ở mỗi mức xếp loại (tính trên số đơn vị của khối, làm tròn "
            "xuống; xét theo thứ hạng từ trên xuống, đơn vị vượt quá được xếp mức thấp hơn kế "
            "tiếp, đơn vị đồng hạng được xét cùng nhau; lý do được ghi ở cột Xếp loại):"
        )
        if context["caps"]
        else "",
        quotas=tuple((quota, _quota(quota)) for quota in context["quotas"]),
    )


NAMES = [
    "bloc_year",
    "snapshot",
    "rows",
    "sections",
    "shown",
    "empty_sections",
    "caps",
    "quotas",
    "chart",
    "unverified",
    "can_manage",
    "can_finalize",
    "can_correct",
    "can_see_complaints",
    "what_if",
]


@register.simple_tag(takes_context=True)
def ranking_page(context: template.Context) -> SafeString:
    """The ranking page's content from the context its view built: one Jinja2 template, with
    the ranking table's."""
    page = {name: context[name] for name in NAMES}
    page.update(
        change=context["rules_change"],
        points=context["request"].GET.get("points", ""),
        words=ranking_words(context),
        climbed=climbed,
    )
    return render("scoring/ranking_page.html", page)
