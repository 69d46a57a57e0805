"""Every URL of the project with absurd values in each of its parameters, as the public and as
each persona: never a server error (issue: a huge id raised OverflowError on SQLite, a year 0
reached ``date(0, 12, 31)``).

The URLs are those of the permission table (tests/test_permissions.py), built from the awards
world; each parameter in turn takes each absurd value while the others keep their real ones.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from django.urls import resolve

from tests.conftest import PERSONAS, client_for
from tests.test_permissions import TABLE

pytestmark = pytest.mark.django_db

ABSURD = ["0", str(2**31), str(10**20), "x" * 300, "%00", "-1"]
PARAMETER = re.compile(r"<(?:(?P<converter>[^>:]+):)?(?P<name>[^>]+)>")


def variants(path: str) -> Iterator[tuple[str, str]]:
    """(parameter = value, URL) for each parameter of ``path`` and each absurd value."""
    match = resolve(path)
    route = match.route
    actual = {name: str(value) for name, value in match.kwargs.items()}
    for parameter in PARAMETER.finditer(route):
        for value in ABSURD:
            values = {**actual, parameter["name"]: value}
            url = PARAMETER.sub(lambda found, chosen=values: chosen[found["name"]], route)  # type: ignore[misc]
            yield f"{parameter['name']}={value[:12]}", "/" + url


@pytest.mark.parametrize("persona", PERSONAS)
def test_absurd_values_in_every_url_parameter_never_give_a_server_error(
    persona: str, personas: dict[str, Any], awards_world: Any
) -> None:
    client = client_for(personas[persona])
    client.raise_request_exception = False
    failures = []
    for name, (build, method, _expected) in sorted(TABLE.items()):
        try:
            path = build(awards_world)
        except Exception:  # a row whose world object is not in this world: skip it
            continue
        for change, url in variants(path):
            response = getattr(client, method)(url)
            if response.status_code >= 500:
                failures.append(
                    f"{name} {change}: {method.upper()} {url[:90]} → {response.status_code}"
                )
    assert not failures, "\n".join(failures)


# The query parameters the pages read (filters, what-if, pages, copies).
QUERY_KEYS = ["year", "unit", "council", "bloc_year", "page", "criterion", "points", "copies"]
QUERY_KEYS += ["parent", "blank", "download", "confirm", "q", "kind"]


@pytest.mark.parametrize("persona", ["anonymous", "council_admin", "secretariat"])
def test_absurd_query_parameters_never_give_a_server_error(
    persona: str, personas: dict[str, Any], awards_world: Any
) -> None:
    client = client_for(personas[persona])
    client.raise_request_exception = False
    failures = []
    for name, (build, method, _expected) in sorted(TABLE.items()):
        if method != "get":
            continue
        try:
            path = build(awards_world)
        except Exception:  # a row whose world object is not in this world: skip it
            continue
        for value in ABSURD:
            response = client.get(path, dict.fromkeys(QUERY_KEYS, value))
            if response.status_code >= 500:
                failures.append(f"{name} ?…={value[:12]}: {path[:80]} → {response.status_code}")
    assert not failures, "\n".join(failures)
