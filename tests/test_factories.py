"""Every factory of tests/factories builds a valid saved object, and data built with them keeps
the sheet totals right (the check of tests/conftest.py)."""

from __future__ import annotations

import importlib
from decimal import Decimal

import factory
import pytest
from django.db import models

from awards.models import AwardType, RuleSet
from scoring import totals
from scoring.models import ScoreSheet
from tests import factories
from tests.conftest import check_kept_totals

pytestmark = pytest.mark.django_db

FACTORIES = sorted(
    (getattr(factories, name) for name in factories.__all__ if name.endswith("Factory")),
    key=lambda cls: cls.__name__,
)


def test_every_app_has_factories_and_each_is_exported() -> None:
    modules = {"blocs", "scoring", "awards", "reports", "notifications"}
    assert {cls.__module__.rsplit(".", 1)[1] for cls in FACTORIES} == modules
    defined = {
        name
        for module in modules
        for name, value in vars(importlib.import_module(f"tests.factories.{module}")).items()
        if isinstance(value, type)
        and issubclass(value, factory.django.DjangoModelFactory)
        and value.__module__ == f"tests.factories.{module}"
    }
    assert defined == set(factories.__all__)


@pytest.mark.parametrize("factory_class", FACTORIES, ids=lambda cls: cls.__name__)
def test_the_factory_builds_a_valid_saved_object(
    factory_class: type[factory.django.DjangoModelFactory[models.Model]],
) -> None:
    obj = factory_class.create()
    assert obj.pk is not None
    obj.full_clean()
    assert type(obj)._default_manager.filter(pk=obj.pk).exists()
    check_kept_totals()


def test_two_of_each_do_not_collide() -> None:
    for factory_class in FACTORIES:
        first, second = factory_class.create(), factory_class.create()
        assert first.pk is not None and second.pk is not None
    check_kept_totals()


def test_a_line_refreshes_the_totals_kept_on_its_sheet() -> None:
    line = factories.ScoreLineFactory.create(self_value=Decimal(6), verified_value=Decimal(5))
    sheet = ScoreSheet.objects.get(pk=line.sheet_id)
    assert (sheet.verified_total, sheet.verified_missing) == (Decimal(5), 0)
    factories.ScoreLineFactory.create(sheet=sheet)
    sheet.refresh_from_db()
    assert (sheet.verified_total, sheet.verified_missing) == (None, 1)
    assert not totals.stale(ScoreSheet.objects.all())


def test_lines_of_a_sheet_share_its_criteria_set() -> None:
    first = factories.ScoreLineFactory.create()
    season = factories.ScoringSeasonFactory.create(bloc_year=first.sheet.bloc_year)
    second = factories.ScoreLineFactory.create(sheet=first.sheet)
    assert second.criterion.criteria_set == season.criteria_set
    assert first.criterion.criteria_set.council == first.sheet.bloc_year.bloc.council


def test_rule_sets_and_award_types_are_the_seeded_ones() -> None:
    seeded = (RuleSet.objects.count(), AwardType.objects.count())
    award = factories.AwardTypeFactory.create(code="GOV_FLAG")
    assert award == AwardType.objects.get(rule_set__code="LUAT-2003", code="GOV_FLAG")
    assert award.name == "Cờ thi đua của Chính phủ"
    assert factories.RuleSetFactory.create() == award.rule_set
    assert (RuleSet.objects.count(), AwardType.objects.count()) == seeded


def test_a_complaint_names_its_criteria() -> None:
    criterion = factories.CriterionFactory.create()
    complaint = factories.ComplaintFactory.create(criteria=[criterion])
    assert list(complaint.criteria.all()) == [criterion]


def test_a_decision_may_come_with_its_pdf() -> None:
    decision = factories.DecisionFactory.create(with_pdf=True)
    assert decision.file.name.startswith("decisions/quyet-dinh")
    assert decision.file.read().startswith(b"%PDF")
    assert not factories.DecisionFactory.create().file
