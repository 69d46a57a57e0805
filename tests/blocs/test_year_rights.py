"""Rights go with the year: the 2019 secretariat runs 2019 — its conference early the next
year, the ballot, the proposals, the documents — until the year's decisions are recorded; from
then on it reads the year as its members do, and only a council admin changes it."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from blocs.models import BlocYear
from tests.conftest import client_for

pytestmark = pytest.mark.django_db


def _writes(w: Any) -> list[tuple[str, dict[str, str]]]:
    bloc, year = w.bloc.pk, w.provisional_year.year
    return [
        (reverse("reports:documents", args=[bloc, year]), {"kind": "minutes"}),
        (reverse("blocs:deadlines", args=[bloc, year]), {}),
        (reverse("awards:ballot", args=[bloc, year]), {}),
    ]


def test_the_secretariat_works_on_its_year_until_the_decisions_are_recorded(
    awards_world: Any, secretariat: Any, council_admin: Any
) -> None:
    w = awards_world
    client = client_for(secretariat)
    for url, data in _writes(w):
        assert client.post(url, data).status_code != 403, url
    BlocYear.objects.filter(pk=w.provisional_year.pk).update(state=BlocYear.State.DECIDED)
    for url, data in _writes(w):
        assert client.post(url, data).status_code == 403, url
    # It still reads the year: the ballot, the proposals, the issued documents.
    bloc, year = w.bloc.pk, w.provisional_year.year
    assert client.get(reverse("awards:ballot", args=[bloc, year])).status_code == 200
    assert client.get(reverse("awards:proposals", args=[bloc, year])).status_code == 200
    # A council admin still may change it.
    admin = client_for(council_admin)
    for url, data in _writes(w):
        assert admin.post(url, data).status_code != 403, url
