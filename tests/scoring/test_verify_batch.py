"""The secretariat marks several sheets verified at once from the progress page: each sheet goes
through the same check as alone; one not ready is named with why, the others go on."""

from __future__ import annotations

import pytest
from django.urls import reverse

from blocs.models import AuditEntry, User
from scoring.models import CriteriaSet, ScoreSheet
from scoring.services import sheets as services
from scoring.services import transitions
from scoring.services.sheets import SELF
from tests.conftest import World, client_for
from tests.scoring.test_sheet_services import full_self, ids, opened, sheet_of

pytestmark = pytest.mark.django_db
__all__ = ["opened"]  # the fixture, used by name below


def submitted(world: World, criteria_set: CriteriaSet, unit: object) -> ScoreSheet:
    sheet = sheet_of(world, unit)  # type: ignore[arg-type]
    entries = full_self(ids(criteria_set))
    services.sheet_save(sheet=sheet, layer=SELF, entries=entries, version=1, by=None)
    transitions.sheet_submit(sheet=sheet, by=None)
    return sheet


@pytest.fixture
def two_submitted(world: World, opened: CriteriaSet) -> tuple[ScoreSheet, ScoreSheet]:
    """The member's sheet fully verified (ready), the deputy's submitted but not verified."""
    ready = submitted(world, opened, world.member)
    services.sheet_accept_self(sheet=ready, version=ready.version, by=None)
    waiting = submitted(world, opened, world.deputy)
    return ready, waiting


def url(world: World) -> str:
    return reverse("scoring:verify-batch", args=[world.bloc.pk, world.bloc_year.year])


def state(sheet: ScoreSheet) -> str:
    return ScoreSheet.objects.get(pk=sheet.pk).state


def test_the_ready_sheet_is_verified_and_the_other_is_named_with_why(
    world: World, two_submitted: tuple[ScoreSheet, ScoreSheet], secretariat: User
) -> None:
    ready, waiting = two_submitted
    response = client_for(secretariat).post(
        url(world), {"sheets": [ready.pk, waiting.pk]}, follow=True
    )
    page = response.content.decode()
    assert "Đã hoàn thành thẩm định 1 bảng điểm." in page
    assert "chưa hoàn thành thẩm định được" in page and "Còn 4 tiêu chí chưa thẩm định" in page
    assert (state(ready), state(waiting)) == (
        ScoreSheet.State.VERIFIED,
        ScoreSheet.State.SUBMITTED,
    )
    entry = AuditEntry.objects.get(action="sheet.verify")
    assert (entry.actor, entry.context) == (secretariat, ready.audit_context)


def test_the_progress_page_offers_a_box_for_each_submitted_sheet_but_the_own_units(
    world: World,
    two_submitted: tuple[ScoreSheet, ScoreSheet],
    opened: CriteriaSet,
    secretariat: User,
) -> None:
    own = submitted(world, opened, world.head)  # the secretariat's own unit
    page = (
        client_for(secretariat)
        .get(reverse("scoring:progress", args=[world.bloc.pk, world.bloc_year.year]))
        .content.decode()
    )
    for sheet in two_submitted:
        assert f'name="sheets" value="{sheet.pk}"' in page
    assert f'name="sheets" value="{own.pk}"' not in page
    assert 'id="verify-batch"' in page


def test_the_own_units_sheet_cannot_be_slipped_in(
    world: World,
    two_submitted: tuple[ScoreSheet, ScoreSheet],
    opened: CriteriaSet,
    secretariat: User,
) -> None:
    own = submitted(world, opened, world.head)
    services.sheet_accept_self(sheet=own, version=own.version, by=None)
    ready, _ = two_submitted
    response = client_for(secretariat).post(url(world), {"sheets": [ready.pk, own.pk]})
    assert response.status_code == 200
    page = response.content.decode()
    assert "không thuộc danh sách này" in page
    assert f'value="{ready.pk}" id="tick-{ready.pk}" form="verify-batch" checked' in page
    assert (state(ready), state(own)) == (ScoreSheet.State.SUBMITTED,) * 2


def test_nothing_ticked_is_refused_at_the_field(
    world: World, two_submitted: tuple[ScoreSheet, ScoreSheet], secretariat: User
) -> None:
    response = client_for(secretariat).post(url(world), {})
    assert response.status_code == 200
    assert "Chọn ít nhất một bảng điểm." in response.content.decode()


@pytest.mark.parametrize("persona", ["focal_point", "leader", "outsider"])
def test_only_those_who_verify_may_batch(
    world: World,
    two_submitted: tuple[ScoreSheet, ScoreSheet],
    persona: str,
    request: pytest.FixtureRequest,
) -> None:
    ready, _ = two_submitted
    response = client_for(request.getfixturevalue(persona)).post(url(world), {"sheets": [ready.pk]})
    assert response.status_code == 403
    assert state(ready) == ScoreSheet.State.SUBMITTED


def test_the_bloc_year_page_leads_the_secretariat_to_the_blocs_progress(
    world: World,
    two_submitted: tuple[ScoreSheet, ScoreSheet],
    opened: CriteriaSet,
    secretariat: User,
) -> None:
    """Issue 20.10: the secretariat's main button is the bloc's progress, its own sheet second."""
    page = (
        client_for(secretariat)
        .get(reverse("bloc-year", args=[world.bloc.pk, world.bloc_year.year]))
        .content.decode()
    )
    progress = reverse("scoring:progress", args=[world.bloc.pk, world.bloc_year.year])
    own = sheet_of(world, world.head).get_absolute_url()
    assert f'<a class="button" href="{progress}">' in page
    assert f'<a class="button button-secondary" href="{own}">' in page
    assert page.index(progress) < page.index(own)
