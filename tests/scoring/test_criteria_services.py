"""Writes to criteria sets added with the criteria pages: settings and parents from codes."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from blocs.models import AuditEntry, User
from scoring.models import CriteriaSet, Criterion
from scoring.services import criteria as services
from tests.conftest import ScoringWorld, World, build_criteria_set

pytestmark = pytest.mark.django_db
D = Decimal


def entries(criteria_set: CriteriaSet) -> list[AuditEntry]:
    return list(AuditEntry.objects.filter(context=f"criteria-set:{criteria_set.pk}"))


def test_updating_settings_records_old_and_new(world: World, council_admin: User) -> None:
    criteria_set = build_criteria_set(world.council, 2022)
    services.criteria_set_update(
        criteria_set=criteria_set,
        by=council_admin,
        name=" Bảng mới ",
        bonus_cap=None,
        step=D("0.5"),
    )
    stored = CriteriaSet.objects.get(pk=criteria_set.pk)
    assert (stored.name, stored.bonus_cap, stored.step) == ("Bảng mới", None, D("0.5"))
    assert criteria_set.name == "Bảng mới"
    entry = entries(criteria_set)[0]
    assert (entry.action, entry.actor) == ("criteria_set.update", council_admin)
    assert entry.changes == {
        "name": ["Bảng tiêu chí 2022", "Bảng mới"],
        "bonus_cap": ["2", None],
        "step": ["0,25", "0,5"],
    }


def test_updating_with_the_same_values_records_nothing(world: World) -> None:
    criteria_set = build_criteria_set(world.council, 2022)
    before = len(entries(criteria_set))
    services.criteria_set_update(
        criteria_set=criteria_set,
        by=None,
        name=criteria_set.name,
        bonus_cap=criteria_set.bonus_cap,
        step=criteria_set.step,
    )
    assert len(entries(criteria_set)) == before


def test_updating_reads_the_stored_row_not_the_callers_copy(world: World) -> None:
    criteria_set = build_criteria_set(world.council, 2022)
    criteria_set.name = "Đã bị form đổi trong bộ nhớ"
    services.criteria_set_update(
        criteria_set=criteria_set,
        by=None,
        name="Đã bị form đổi trong bộ nhớ",
        bonus_cap=D(2),
        step=D("0.25"),
    )
    assert entries(criteria_set)[0].changes == {
        "name": ["Bảng tiêu chí 2022", "Đã bị form đổi trong bộ nhớ"]
    }


def test_updating_a_frozen_set_is_refused(scoring_world: ScoringWorld) -> None:
    stale = CriteriaSet.objects.get(pk=scoring_world.criteria_set.pk)
    stale.frozen_at = None  # a page opened before scoring opened
    with pytest.raises(ValidationError):
        services.criteria_set_update(
            criteria_set=stale, by=None, name="Không được", bonus_cap=None, step=D(1)
        )
    assert CriteriaSet.objects.get(pk=stale.pk).name == "Bảng tiêu chí 2020"


def test_updating_refuses_a_step_of_zero(world: World) -> None:
    criteria_set = build_criteria_set(world.council, 2022)
    with pytest.raises(ValidationError) as refused:
        services.criteria_set_update(
            criteria_set=criteria_set, by=None, name="Bảng", bonus_cap=None, step=D(0)
        )
    assert "step" in refused.value.message_dict
    assert CriteriaSet.objects.get(pk=criteria_set.pk).step == D("0.25")


def test_relinking_points_every_criterion_at_the_parent_its_code_names(world: World) -> None:
    criteria_set = build_criteria_set(world.council, 2022)
    # As the admin would leave them: codes changed without touching the parents.
    Criterion.objects.filter(criteria_set=criteria_set, code="II.1").update(code="I.3")
    Criterion.objects.filter(criteria_set=criteria_set, code="III").update(code="IV")
    moved = services.criteria_set_relink(criteria_set=criteria_set, by=None, summary="Sửa")
    parents = dict(criteria_set.criteria.values_list("code", "parent__code"))
    assert moved == 2
    assert parents["I.3"] == "I"
    assert parents["III.1"] is None  # its parent III is gone: the tree check will say so
    assert entries(criteria_set)[0].action == "criteria_set.admin_edit"
