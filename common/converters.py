"""Path converters for ids and years: a URL with a number no row can have is not found (404).

Django's ``int`` converter takes any run of digits, and a number past what the database can
hold raised ``OverflowError`` on SQLite (a 500) before any lookup. ``id`` takes what a
``BigAutoField`` can hold (at most 18 digits, below 2^63); ``year`` takes the years the app
knows (1900–2199), so ``date(year, 12, 31)`` and friends never see year 0 or 99999. ``code``
takes what a council's code can be (at most 20 characters, no control character): a NUL in
the path reached PostgreSQL, which refuses it in a query (a 500). Each ``urls.py`` imports
this module, which registers them.
"""

from __future__ import annotations

from django.urls import register_converter


class IdConverter:
    regex = "[0-9]{1,18}"

    def to_python(self, value: str) -> int:
        return int(value)

    def to_url(self, value: int) -> str:
        return str(value)


class YearConverter:
    regex = "(?:19|20|21)[0-9]{2}"

    def to_python(self, value: str) -> int:
        return int(value)

    def to_url(self, value: int) -> str:
        return str(value)


class CodeConverter:
    # The path matches as Django's ``str`` does, so a link to a code stored before any check
    # still reverses; a code no council can have (a control character, over 20 characters)
    # is then refused here: a ValueError makes the URL not match (404).
    regex = "[^/]+"

    def to_python(self, value: str) -> str:
        if len(value) > 20 or any(ord(char) < 32 or ord(char) == 127 for char in value):
            raise ValueError(value)
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(IdConverter, "id")
register_converter(CodeConverter, "code")
register_converter(YearConverter, "year")
