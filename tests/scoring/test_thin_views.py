"""Issue 16 in ``scoring/views``: a view is decorators, the access check, a form or a selector,
and the render, in 40 lines at most (tests/test_architecture.py checks the length); the work is
in forms (``save`` calls the service), the selectors and ``scoring.access``. What the moved code
does is pinned here through the pages."""

from __future__ import annotations

import pytest
from django.urls import reverse

from blocs import services as bloc_services
from blocs.models import User
from scoring import access
from scoring.models import RankingSnapshot, ScoreSheet
from scoring.services import ranking as ranking_services
from tests.conftest import World, client_for, verified_year


@pytest.mark.django_db
def test_an_unreadable_correction_keeps_what_was_typed_and_writes_nothing(world: World) -> None:
    year = verified_year(world.bloc, 2019, [world.head, world.deputy, world.member])
    ranking_services.bloc_year_finalize(bloc_year=year, by=None)
    admin = bloc_services.user_create(
        username="qt", password="x", unit=world.head, role=User.Role.COUNCIL_ADMIN
    )
    sheet = ScoreSheet.objects.get(bloc_year=year, unit=world.deputy)
    criterion = year.scoring.criteria_set.criteria.get(code="I.1")
    url = reverse("scoring:correct", args=[world.bloc.pk, 2019])
    response = client_for(admin).post(
        url, {"sheet": sheet.pk, f"v-{criterion.pk}": "sáu", "reason": "Bổ sung biên bản"}
    )
    assert response.status_code == 200
    assert [error.split(":")[0] for error in response.context["errors"]] == ["I.1"]
    assert response.context["reason"] == "Bổ sung biên bản"
    assert response.context["chosen"] == sheet
    typed = {line.criterion_id: line.typed for line in response.context["lines"]}
    assert typed[criterion.pk] == "sáu"
    assert RankingSnapshot.objects.filter(bloc_year=year).count() == 1


@pytest.mark.django_db
def test_opening_the_correction_page_shows_the_stored_points(world: World) -> None:
    year = verified_year(world.bloc, 2019, [world.head, world.deputy, world.member])
    ranking_services.bloc_year_finalize(bloc_year=year, by=None)
    admin = bloc_services.user_create(
        username="qt", password="x", unit=world.head, role=User.Role.COUNCIL_ADMIN
    )
    sheet = ScoreSheet.objects.get(bloc_year=year, unit=world.deputy)
    url = reverse("scoring:correct", args=[world.bloc.pk, 2019])
    response = client_for(admin).get(url, {"sheet": str(sheet.pk), "reason": "ignored on a GET"})
    assert response.context["errors"] == [] and response.context["reason"] == ""
    lines = response.context["lines"]
    assert lines and all(line.typed != "" for line in lines if line.verified_value is not None)


@pytest.mark.django_db
def test_only_a_council_admin_may_unfreeze_a_set(
    world: World, secretariat: User, council_admin: User
) -> None:
    criteria_set = verified_year(world.bloc, 2019, [world.head, world.deputy]).scoring.criteria_set
    assert access.can_unfreeze_criteria_set(council_admin, criteria_set)
    assert not access.can_unfreeze_criteria_set(secretariat, criteria_set)
    url = reverse("scoring:criteria-set-unfreeze", args=[criteria_set.pk])
    assert client_for(secretariat).post(url, {"reason": "x"}).status_code == 403
