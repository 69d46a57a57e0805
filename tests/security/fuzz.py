"""Helpers of the fuzzing tests: hypothesis settings, hostile values, forms read from a page,
and a transaction rolled back after each example so that every example starts from the same
data.

The profiles: ``security-dev`` (default; random, 50 examples a test) and ``security-ci``
(chosen when ``CI=true``; the same count, derandomized so that CI never fails by luck).
``HYPOTHESIS_PROFILE`` picks one explicitly, e.g. ``security-long`` for 500 examples.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from html.parser import HTMLParser
from typing import Any

from django.db import transaction
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

_COMMON: dict[str, Any] = {
    "deadline": None,
    "suppress_health_check": [HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
}
settings.register_profile("security-dev", max_examples=50, **_COMMON)
settings.register_profile(
    "security-ci", max_examples=50, derandomize=True, database=None, print_blob=True, **_COMMON
)
settings.register_profile("security-long", max_examples=500, **_COMMON)

PROFILE = os.environ.get("HYPOTHESIS_PROFILE", "")
if not PROFILE.startswith("security-"):
    PROFILE = "security-ci" if os.environ.get("CI", "").lower() == "true" else "security-dev"
FUZZ = settings(settings.get_profile(PROFILE))

# What people type, paste from Excel, or an attacker sends.
SPECIAL = [
    "",
    " ",
    "0",
    "-0",
    "-1",
    "-5,5",
    "1",
    "2,5",
    "5,5",
    "5.5",
    "3,333",
    "0,125",
    "0,001",
    "6",
    "10",
    "NaN",
    "nan",
    "-NaN",
    "sNaN",
    "Infinity",
    "-inf",
    "1e309",
    "-1e309",
    "1e-400",
    "1E3",
    "=1+1",
    "=SUM(A1:A9)",
    "+1",
    "@SUM(1)",
    "9" * 30,
    "-" + "9" * 30,
    "1.000",
    "1.000,5",
    "1,000,000",
    "0x10",
    "1_000",
    "0_5",
    "٣",
    "５",
    "½",
    "Bảy điểm",
    "mười",
    "\x00",
    "1\x00",
    "<script>alert(1)</script>",
    "'; DROP TABLE blocs_unit; --",
    "Điểm\u200b5",
]

numbers_as_text = st.one_of(
    st.integers(min_value=-(10**40), max_value=10**40).map(str),
    st.decimals(allow_nan=True, allow_infinity=True).map(str),
    st.floats().map(repr),
    st.decimals(min_value=0, max_value=10, places=2).map(lambda d: f"{d:f}".replace(".", ",")),
)
typed = st.one_of(st.sampled_from(SPECIAL), numbers_as_text, st.text(max_size=40))
long_text = st.one_of(typed, st.text(min_size=200, max_size=3000))


class _Rollback(Exception):
    pass


@contextmanager
def rolled_back() -> Iterator[None]:
    """Run one example inside a transaction that is always rolled back."""
    try:
        with transaction.atomic():
            yield
            raise _Rollback
    except _Rollback:
        pass


class FormReader(HTMLParser):
    """The fields of the POST forms of a page, with the values the page shows."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.forms: list[dict[str, str]] = []
        self._form: dict[str, str] | None = None
        self._textarea: str | None = None
        self._select: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        names = {key: value or "" for key, value in attrs}
        if tag == "form" and names.get("method", "get").lower() == "post":
            self._form = {}
            self.forms.append(self._form)
        if self._form is None:
            return
        name = names.get("name")
        if tag == "input" and name:
            kind = names.get("type", "text")
            if kind in ("checkbox", "radio"):
                if "checked" in names:
                    self._form[name] = names.get("value", "on")
            elif kind not in ("submit", "button", "file"):
                self._form[name] = names.get("value", "")
        elif tag == "textarea" and name:
            self._textarea = name
            self._form[name] = ""
        elif tag == "select" and name:
            self._select = name
        elif tag == "option" and self._select and "selected" in names:
            self._form[self._select] = names.get("value", "")

    def handle_data(self, data: str) -> None:
        if self._form is not None and self._textarea:
            self._form[self._textarea] += data

    def handle_endtag(self, tag: str) -> None:
        if tag == "textarea":
            self._textarea = None
        elif tag == "select":
            self._select = None
        elif tag == "form":
            self._form = None


def post_form(html: str, containing: str) -> dict[str, str]:
    """The first POST form of the page that has a field named ``containing``."""
    reader = FormReader()
    reader.feed(html)
    for form in reader.forms:
        if containing in form:
            form.pop("csrfmiddlewaretoken", None)
            return form
    raise AssertionError(f"no POST form with a field {containing!r}")


def has_error_summary(html: str) -> bool:
    return 'class="error-summary"' in html
