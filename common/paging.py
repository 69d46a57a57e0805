"""One page of a long list of blocs (the leaders' dashboard, the council proposals view).

A page's work must not grow with the size of the council: the page reads one slice of the
blocs and counts the whole council in SQL. ``page_of`` turns the ``?page=`` parameter into the
slice; the links keep the page's other parameters (council, year, unit)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from urllib.parse import urlencode

PAGE_SIZE = 20


@dataclass(frozen=True)
class Page:
    number: int  # 1-based
    pages: int  # at least 1
    total: int  # items on every page
    size: int
    keep: tuple[tuple[str, str], ...] = ()  # the other parameters of the links

    @property
    def start(self) -> int:
        return (self.number - 1) * self.size

    @property
    def end(self) -> int:
        return min(self.start + self.size, self.total)

    @property
    def first_shown(self) -> int:
        return self.start + 1 if self.total else 0

    @property
    def has_other_pages(self) -> bool:
        return self.pages > 1

    def url(self, number: int) -> str:
        return "?" + urlencode([*self.keep, ("page", str(number))])

    @property
    def links(self) -> list[tuple[int, str]]:
        """(number, link) of every page: a council has at most a few dozen pages of blocs."""
        return [(number, self.url(number)) for number in range(1, self.pages + 1)]

    @property
    def previous_url(self) -> str:
        return self.url(self.number - 1) if self.number > 1 else ""

    @property
    def next_url(self) -> str:
        return self.url(self.number + 1) if self.number < self.pages else ""


def page_number(text: str | None) -> int:
    """The page asked for in the URL: 1 unless a small positive number."""
    return int(text) if text and text.isdigit() and len(text) < 6 and int(text) > 0 else 1


def page_of(
    total: int,
    requested: str | None,
    *,
    size: int = PAGE_SIZE,
    keep: Mapping[str, object] | None = None,
) -> Page:
    """The page asked for, or the last one when it asks past the end."""
    pages = max(1, -(-total // size))
    items = (keep or {}).items()
    kept = tuple((key, str(value)) for key, value in items if value not in (None, ""))
    return Page(min(page_number(requested), pages), pages, total, size, kept)
