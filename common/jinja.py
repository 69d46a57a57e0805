"""The Jinja2 environment of the hot templates (``templates/jinja2/``; docs/architecture.md).

Most pages are Django templates. A few lists of hundreds of rows (the score grid's rows, the
leaders' dashboard's tables, the charts' dots) are Jinja2 templates, several times faster to
render, included from the Django page by ``{% jinja %}`` (``common/templatetags/jinja.py``).
They keep what a Django template gives: autoescape on, ``url`` and ``static``, the project's
translations (``_``, ``gettext``, ``ngettext`` – the same catalogue, ``make messages`` reads
``{{ _("…") }}`` in these files as it does in Django templates) and its numbers.
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache
from typing import Any

from django.template.defaultfilters import date as date_filter
from django.template.defaultfilters import floatformat, linebreaksbr
from django.template.loader import get_template
from django.templatetags.static import static
from django.urls import reverse
from django.utils import translation
from django.utils.safestring import SafeString
from django.utils.timezone import is_aware, localtime
from jinja2 import Environment

from common.numbers import Number, format_number


def url(name: str, *args: Any, **kwargs: Any) -> str:
    """``{{ url("scoring:line", sheet.pk, line.pk) }}``: Django's ``{% url %}``."""
    return reverse(name, args=args or None, kwargs=kwargs or None)


def number(value: Number | None, places: int = 2) -> str:
    """``{{ total|number }}``: as the Django filter of the same name (common/numbers.py)."""
    return format_number(value, int(places))


def float_format(value: object, arg: str | int = -1) -> str:
    """``{{ amount|floatformat("-2") }}``: Django's filter, remembered per value, places and
    language (a score grid writes the same few maxima a hundred times, 8 µs each)."""
    try:
        return _float_format(type(value).__name__, value, arg, translation.get_language())
    except TypeError:  # a value that cannot be a key
        return floatformat(value, arg)


@lru_cache(maxsize=1024)
def _float_format(kind: str, value: object, arg: str | int, language: str | None) -> str:
    return floatformat(value, arg)


def local_date(value: dt.date | str | None, format_name: str | None = None) -> str:
    """``{{ when|date("SHORT_DATETIME_FORMAT") }}``: Django's ``date`` filter, in local time as
    a Django template shows a moment."""
    if isinstance(value, dt.datetime) and is_aware(value):
        value = localtime(value)
    return date_filter(value, format_name)


def blank_none(value: object) -> object:
    """An attribute's value: nothing for None, the value itself otherwise (``12.50``, ``0``)."""
    return "" if value is None else value


def environment(**options: Any) -> Environment:
    options.setdefault("trim_blocks", True)
    options.setdefault("lstrip_blocks", True)
    env = Environment(extensions=["jinja2.ext.i18n"], **options)
    # Old-style gettext: ``_("%(code)s chấm")|format(code=…)``, the msgid as in Python code.
    env.install_gettext_translations(translation, newstyle=False)  # type: ignore[attr-defined]
    env.globals.update(url=url, static=static)
    env.filters.update(
        number=number,
        blank_none=blank_none,
        floatformat=float_format,
        date=local_date,
        linebreaksbr=lambda value: linebreaksbr(value, autoescape=True),
    )
    return env


def render(template_name: str, context: dict[str, Any]) -> SafeString:
    """A Jinja2 template's HTML, to be put into a Django page or string. The template escaped
    what it printed (autoescape on), so the result is marked safe: the one place the HTML of a
    Jinja2 template becomes safe (tests/test_templates.py keeps it so)."""
    return SafeString(get_template(template_name, using="jinja2").render(context))
