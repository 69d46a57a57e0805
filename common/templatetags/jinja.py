"""``{% jinja "portal/unit_options.html" units=… chosen=… %}``: a Jinja2 template (common/jinja.py)
rendered into a Django one, for the few lists of hundreds of rows where Django's engine is the
page's time (docs/performance.md). The Jinja2 template escapes what it prints (autoescape on),
so its output is marked safe (``common.jinja.render``).
"""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.safestring import SafeString

from common.jinja import render

register = template.Library()


@register.simple_tag
def jinja(template_name: str, **context: Any) -> SafeString:
    return render(template_name, context)
