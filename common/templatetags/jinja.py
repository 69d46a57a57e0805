"""``{% jinja "scoring/grid_rows.html" rows=view.rows … %}``: a Jinja2 template (common/jinja.py)
rendered into a Django one, for the few lists of hundreds of rows where Django's engine is the
page's time (docs/performance.md). The Jinja2 template escapes what it prints (autoescape on),
so its output is marked safe here – the one place a Jinja2 template's HTML enters a page.
"""

from __future__ import annotations

from typing import Any

from django import template
from django.template.loader import get_template
from django.utils.safestring import SafeString

register = template.Library()


def render(template_name: str, context: dict[str, Any]) -> SafeString:
    """The Jinja2 template's HTML, escaped by its autoescape."""
    return SafeString(get_template(template_name, using="jinja2").render(context))


@register.simple_tag
def jinja(template_name: str, **context: Any) -> SafeString:
    return render(template_name, context)
