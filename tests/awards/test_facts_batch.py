"""The secretariat checks several units' figures at once: each as a single check (never its own
unit's, refused when the unit changed them since the page was read), the others go on."""

from __future__ import annotations

import pytest
from django.urls import reverse

from awards.models import UnitYearFacts
from awards.services.facts import facts_save
from blocs.models import AuditEntry, User
from tests.awards.test_facts import values
from tests.conftest import AwardsWorld, client_for

pytestmark = pytest.mark.django_db


def url(w: AwardsWorld) -> str:
    return reverse("awards:facts-check-batch", args=[w.bloc.pk, 2019])


def checked(facts: UnitYearFacts) -> bool:
    return UnitYearFacts.objects.get(pk=facts.pk).checked_at is not None


@pytest.fixture
def deputy_facts(awards_world: AwardsWorld) -> UnitYearFacts:
    return facts_save(unit=awards_world.deputy, year=2019, values=values(), by=None).facts


def test_two_units_checked_at_once_each_audited(
    awards_world: AwardsWorld, deputy_facts: UnitYearFacts, secretariat: User
) -> None:
    w = awards_world
    page = client_for(secretariat).get(reverse("awards:facts", args=[w.bloc.pk, 2019]))
    text = page.content.decode()
    assert 'name="units"' in text and 'id="facts-batch"' in text
    response = client_for(secretariat).post(
        url(w),
        {
            "units": [w.member.pk, w.deputy.pk],
            f"seen_{w.member.pk}": w.facts.entered_at.isoformat(),
            f"seen_{w.deputy.pk}": deputy_facts.entered_at.isoformat(),
        },
        follow=True,
    )
    assert "Đã đánh dấu đã kiểm tra số liệu của 2 đơn vị." in response.content.decode()
    assert checked(w.facts) and checked(deputy_facts)
    assert AuditEntry.objects.filter(action="facts.check", actor=secretariat).count() == 2


def test_figures_changed_since_the_page_was_read_are_named_and_the_others_go_on(
    awards_world: AwardsWorld, deputy_facts: UnitYearFacts, secretariat: User
) -> None:
    w = awards_world
    seen = w.facts.entered_at
    facts_save(unit=w.member, year=2019, values=values(headcount=40), by=None)
    response = client_for(secretariat).post(
        url(w),
        {
            "units": [w.member.pk, w.deputy.pk],
            f"seen_{w.member.pk}": seen.isoformat(),
            f"seen_{w.deputy.pk}": deputy_facts.entered_at.isoformat(),
        },
        follow=True,
    )
    page = response.content.decode()
    assert "Đã đánh dấu đã kiểm tra số liệu của 1 đơn vị." in page
    assert "Đơn vị vừa sửa số liệu" in page
    assert not checked(w.facts) and checked(deputy_facts)


def test_the_own_units_figures_are_not_offered_nor_accepted(
    awards_world: AwardsWorld, secretariat: User
) -> None:
    w = awards_world
    own = facts_save(unit=w.head, year=2019, values=values(), by=None).facts
    response = client_for(secretariat).post(url(w), {"units": [w.head.pk]})
    assert "không còn chờ kiểm tra" in response.content.decode()
    assert not checked(own)


def test_nothing_ticked_is_said_at_the_button(awards_world: AwardsWorld, secretariat: User) -> None:
    response = client_for(secretariat).post(url(awards_world), {})
    assert response.status_code == 200  # the page again, not a redirect with a banner
    html = response.content.decode()
    error = html.index('<p class="field-error" role="alert">Chọn ít nhất một đơn vị.</p>')
    assert error < html.index("Đánh dấu đã kiểm tra số liệu của các đơn vị đã chọn")
    assert error > html.index('id="facts-batch"')


def test_a_refused_batch_keeps_the_ticks(awards_world: AwardsWorld, secretariat: User) -> None:
    w = awards_world
    response = client_for(secretariat).post(url(w), {"units": [w.member.pk, 999999]})
    assert response.status_code == 200
    html = response.content.decode()
    assert "không còn chờ kiểm tra" in html
    assert f'value="{w.member.pk}" id="tick-{w.member.pk}" form="facts-batch" checked' in html


@pytest.mark.parametrize("persona", ["focal_point", "leader", "outsider"])
def test_only_the_secretariat_may_batch(
    awards_world: AwardsWorld, persona: str, request: pytest.FixtureRequest
) -> None:
    w = awards_world
    response = client_for(request.getfixturevalue(persona)).post(url(w), {"units": [w.member.pk]})
    assert response.status_code == 403
    assert not checked(w.facts)
