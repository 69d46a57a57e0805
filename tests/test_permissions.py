"""Every URL of the project × every persona, with the expected status in one table.

The table is checked against the URL conf: a new URL without a row here fails
``test_every_url_has_a_row``, so no page ships without a decision about who may open it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tests.conftest import PERSONAS, World, client_for

ALL = dict.fromkeys(PERSONAS, 200)
LOGGED_IN = {**dict.fromkeys(PERSONAS, 200), "anonymous": 302}

# url name → (how to build the URL from the world, HTTP method, {persona: status})
Row = tuple[Callable[[World], str], str, dict[str, int]]
TABLE: dict[str, Row] = {
    "blocs:home": (lambda w: reverse("blocs:home"), "get", ALL),
    "blocs:council": (lambda w: reverse("blocs:council", args=[w.council.code]), "get", ALL),
    "blocs:bloc": (lambda w: reverse("blocs:bloc", args=[w.bloc.pk]), "get", ALL),
    "blocs:bloc-year": (lambda w: reverse("blocs:bloc-year", args=[w.bloc.pk, 2020]), "get", ALL),
    "blocs:unit": (lambda w: reverse("blocs:unit", args=[w.member.pk]), "get", ALL),
    "my-work": (lambda w: reverse("my-work"), "get", LOGGED_IN),
    "login": (lambda w: reverse("login"), "get", {**ALL, **dict.fromkeys(PERSONAS[1:], 302)}),
    "logout": (lambda w: reverse("logout"), "post", dict.fromkeys(PERSONAS, 302)),
    "set-language": (lambda w: reverse("set-language"), "post", dict.fromkeys(PERSONAS, 302)),
    "healthz": (lambda w: reverse("healthz"), "get", ALL),
}


def _named_patterns(resolver: URLResolver, prefix: str = "") -> Iterator[str]:
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            if pattern.app_name == "admin":
                # Django's admin has its own permission model, tested in blocs/test_admin.py.
                continue
            namespace = f"{prefix}{pattern.namespace}:" if pattern.namespace else prefix
            yield from _named_patterns(pattern, namespace)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield prefix + pattern.name


def test_every_url_has_a_row() -> None:
    names = set(_named_patterns(get_resolver()))
    assert names - TABLE.keys() == set(), "add these URLs to the permission table"
    assert TABLE.keys() - names == set(), "these rows name URLs that no longer exist"


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("name", sorted(TABLE))
def test_status_for_each_persona(name: str, persona: str, world: World, personas: dict) -> None:
    build, method, expected = TABLE[name]
    client = client_for(personas[persona])
    response = getattr(client, method)(build(world))
    assert response.status_code == expected[persona], (name, persona)
