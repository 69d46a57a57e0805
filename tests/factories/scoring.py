"""Factories of the scoring app: criteria sets and criteria, seasons, sheets and their lines,
explanations, evidence, complaints and ranking snapshots.

A line changes the totals kept on its sheet (scoring/totals.py), so ``ScoreLineFactory`` calls
``totals.refresh`` for its sheet once the line is saved, as every service that writes lines
does: data built here passes the kept-totals check of tests/conftest.py.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import factory

from scoring import totals
from scoring.models import (
    Complaint,
    CriteriaSet,
    Criterion,
    Evidence,
    ExplanationRequest,
    RankingSnapshot,
    ScoreLine,
    ScoreSheet,
    ScoringSeason,
)
from tests.factories.blocs import BlocYearFactory, CouncilFactory, UnitFactory, UserFactory

PDF = b"%PDF-1.4 minh chung"


class CriteriaSetFactory(factory.django.DjangoModelFactory[CriteriaSet]):
    """A council's criteria set for a year, shared by its blocs (``bloc_year`` empty)."""

    class Meta:
        model = CriteriaSet

    council = factory.SubFactory(CouncilFactory)
    year = 2020
    name = factory.Sequence(lambda n: f"Bảng tiêu chí số {n}")


class CriterionFactory(factory.django.DjangoModelFactory[Criterion]):
    """A top-level standard criterion scored directly by the unit (give ``parent`` and a dotted
    ``code`` for a leaf under a section)."""

    class Meta:
        model = Criterion

    criteria_set = factory.SubFactory(CriteriaSetFactory)
    code = factory.Sequence(lambda n: f"C{n}")
    title = factory.Sequence(lambda n: f"Tiêu chí số {n}")
    max_points = Decimal(10)
    kind = Criterion.Kind.STANDARD
    method = Criterion.Method.DIRECT
    order = factory.Sequence(lambda n: n)


class ScoringSeasonFactory(factory.django.DjangoModelFactory[ScoringSeason]):
    """Scoring of a bloc-year with a set of its council and year. It makes no sheets: for the
    members' sheets with a line per leaf, open scoring (``sheets.scoring_open``)."""

    class Meta:
        model = ScoringSeason

    bloc_year = factory.SubFactory(BlocYearFactory)
    criteria_set = factory.SubFactory(
        CriteriaSetFactory,
        council=factory.SelfAttribute("..bloc_year.bloc.council"),
        year=factory.SelfAttribute("..bloc_year.year"),
    )


class ScoreSheetFactory(factory.django.DjangoModelFactory[ScoreSheet]):
    """A draft sheet without lines, for a unit of the bloc-year's council (no line, nothing to
    total: the kept totals are already right)."""

    class Meta:
        model = ScoreSheet

    bloc_year = factory.SubFactory(BlocYearFactory)
    unit = factory.SubFactory(
        UnitFactory, council=factory.SelfAttribute("..bloc_year.bloc.council")
    )


def _criteria_set_of(sheet: ScoreSheet) -> CriteriaSet:
    """The set the sheet's bloc-year scores with, or a new one of its council and year."""
    season = ScoringSeason.objects.filter(bloc_year=sheet.bloc_year).first()
    if season is not None:
        return season.criteria_set
    bloc_year = sheet.bloc_year
    return CriteriaSetFactory.create(council=bloc_year.bloc.council, year=bloc_year.year)


class ScoreLineFactory(factory.django.DjangoModelFactory[ScoreLine]):
    """A line of a sheet for a criterion of the set its bloc-year scores with (a new criterion
    unless given). Points default to what was entered, as the direct method makes them; give
    ``self_value`` / ``verified_value`` (and ``*_points`` for other methods).

    After saving, the sheet's kept totals are refreshed (``totals.refresh``)."""

    class Meta:
        model = ScoreLine
        skip_postgeneration_save = True

    sheet = factory.SubFactory(ScoreSheetFactory)
    criterion = factory.SubFactory(
        CriterionFactory,
        criteria_set=factory.LazyAttribute(lambda o: _criteria_set_of(o.factory_parent.sheet)),
    )
    self_value: Any = None
    self_points = factory.SelfAttribute("self_value")
    verified_value: Any = None
    verified_points = factory.SelfAttribute("verified_value")

    @factory.post_generation
    def refresh_totals(obj: ScoreLine, create: bool, extracted: Any, **kwargs: Any) -> None:
        if create:
            totals.refresh([obj.sheet_id])


class ExplanationRequestFactory(factory.django.DjangoModelFactory[ExplanationRequest]):
    """An open question about a line, asked by a person of the bloc's council."""

    class Meta:
        model = ExplanationRequest

    line = factory.SubFactory(ScoreLineFactory)
    question = "Đề nghị giải trình số liệu."
    asked_by = factory.SubFactory(
        UserFactory, unit__council=factory.SelfAttribute("...line.sheet.unit.council")
    )
    status = ExplanationRequest.Status.OPEN


class EvidenceFactory(factory.django.DjangoModelFactory[Evidence]):
    """A small PDF on a line, uploaded by a person of the line's unit."""

    class Meta:
        model = Evidence

    line = factory.SubFactory(ScoreLineFactory)
    file = factory.django.FileField(data=PDF, filename="bien-ban.pdf")
    original_name = "bien-ban.pdf"
    content_type = "application/pdf"
    size = len(PDF)
    uploaded_by = factory.SubFactory(UserFactory, unit=factory.SelfAttribute("..line.sheet.unit"))


class ComplaintFactory(factory.django.DjangoModelFactory[Complaint]):
    """An open complaint of one unit about another's points; ``criteria=[…]`` names the lines."""

    class Meta:
        model = Complaint
        skip_postgeneration_save = True

    bloc_year = factory.SubFactory(BlocYearFactory)
    unit = factory.SubFactory(
        UnitFactory, council=factory.SelfAttribute("..bloc_year.bloc.council")
    )
    about_unit = factory.SubFactory(
        UnitFactory, council=factory.SelfAttribute("..bloc_year.bloc.council")
    )
    text = "Điểm của đơn vị được khiếu nại cao hơn thực tế."
    created_by = factory.SubFactory(UserFactory, unit=factory.SelfAttribute("..unit"))

    @factory.post_generation
    def criteria(obj: Complaint, create: bool, extracted: Any, **kwargs: Any) -> None:
        if create and extracted:
            obj.criteria.set(extracted)


class RankingSnapshotFactory(factory.django.DjangoModelFactory[RankingSnapshot]):
    """A finalization snapshot with no rows; for a real one, finalize
    (``scoring.services.ranking.bloc_year_finalize``)."""

    class Meta:
        model = RankingSnapshot

    bloc_year = factory.SubFactory(BlocYearFactory)
    number = factory.Sequence(lambda n: n + 1)
    kind = RankingSnapshot.Kind.FINALIZATION
    inputs_hash = "0" * 64
    data: Any = factory.LazyFunction(lambda: {"rows": []})
