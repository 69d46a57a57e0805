"""Helpers of the security tests: which persona may open each page of the permission table,
and what an HTML page must not contain under the Content-Security-Policy."""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser

from tests.conftest import PERSONAS
from tests.test_permissions import TABLE


def pages_for(prefixes: tuple[str, ...], *, awards: bool) -> list[tuple[str, str]]:
    """(url name, a persona that gets 200) for every GET row of the table on that world."""
    chosen = []
    for name, (_build, method, expected) in sorted(TABLE.items()):
        if method != "get" or name.startswith(prefixes) != awards:
            continue
        persona = next((who for who in PERSONAS if expected[who] == 200), None)
        if persona is not None:
            chosen.append((name, persona))
    return chosen


AWARDS_PREFIXES = ("awards:", "reports:")


@dataclass
class InlineFinder(HTMLParser):
    """Collects what a strict CSP would block: inline scripts, style blocks and attributes,
    event-handler attributes and ``javascript:`` links."""

    problems: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        super().__init__(convert_charrefs=True)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        names = dict(attrs)
        position = f"line {self.getpos()[0]}"
        data_only = names.get("type") in ("application/json", "application/ld+json")
        if tag == "script" and not names.get("src") and not data_only:
            self.problems.append(f"inline <script> at {position}")
        if tag == "style":
            self.problems.append(f"<style> block at {position}")
        for attribute, value in attrs:
            if attribute == "style":
                self.problems.append(f'style="{value}" on <{tag}> at {position}')
            if attribute.startswith("on"):
                self.problems.append(f"{attribute}= on <{tag}> at {position}")
            if (
                attribute in ("href", "src", "action", "formaction")
                and value
                and value.strip().lower().startswith("javascript:")
            ):
                self.problems.append(f"javascript: URL on <{tag}> at {position}")

    handle_startendtag = handle_starttag


def inline_problems(html: str) -> list[str]:
    finder = InlineFinder()
    finder.feed(html)
    finder.close()
    return finder.problems
