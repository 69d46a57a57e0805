"""Factories of the awards app: rule sets and award types (looked up by code), unit-year facts,
ballots and their results, decisions and proposals.

Rule sets and their award types are seeded by migrations (awards/migrations/0002_seed_rule_sets
and later), and data of the app refers to them by code: ``RuleSetFactory`` and
``AwardTypeFactory`` get the seeded row with that code (or create it, after a transactional test
flushed the tables) and never make a second one. Their other attributes are used only when the
row is created.
"""

from __future__ import annotations

import datetime
from typing import Any

import factory

from awards.models import (
    AwardType,
    Ballot,
    BallotResult,
    Decision,
    Proposal,
    RuleSet,
    UnitYearFacts,
)
from tests.factories.blocs import BlocYearFactory, CouncilFactory, UnitFactory, UserFactory

LAW_2003 = "LUAT-2003"  # the law of the years before 2024, the tests' usual years

# What a seeded award is, for when the seed is gone (transactional tests flush it).
AWARDS: dict[str, dict[str, Any]] = {
    "GOV_FLAG": {"name": "Cờ thi đua của Chính phủ", "kind": "flag", "level": "national"},
    "PROV_FLAG": {"name": "Cờ thi đua của Ủy ban nhân dân tỉnh", "kind": "flag"},
    "PROV_CERT": {"name": "Bằng khen của Chủ tịch Ủy ban nhân dân tỉnh", "kind": "certificate"},
    "EXCELLENT_COLLECTIVE": {"name": "Tập thể lao động xuất sắc", "kind": "unit_title"},
}


def _award(code: str, field: str, default: str) -> str:
    return str(AWARDS.get(code, {}).get(field, default))


class RuleSetFactory(factory.django.DjangoModelFactory[RuleSet]):
    """The rule set with this ``code`` (default the 2003 law), seeded or created once."""

    class Meta:
        model = RuleSet
        django_get_or_create = ("code",)

    code = LAW_2003
    name = factory.LazyAttribute(lambda rule_set: f"Bộ quy định {rule_set.code}")
    legal_basis = "Luật Thi đua, Khen thưởng ngày 26 tháng 11 năm 2003;"


class AwardTypeFactory(factory.django.DjangoModelFactory[AwardType]):
    """The award with this ``code`` (default the provincial flag) in the rule set (default the
    2003 law): the seeded one, or created once."""

    class Meta:
        model = AwardType
        django_get_or_create = ("rule_set", "code")

    rule_set = factory.SubFactory(RuleSetFactory)
    code = "PROV_FLAG"
    name = factory.LazyAttribute(lambda award: _award(award.code, "name", award.code))
    kind = factory.LazyAttribute(lambda award: _award(award.code, "kind", AwardType.Kind.FLAG))
    level = factory.LazyAttribute(
        lambda award: _award(award.code, "level", AwardType.Level.PROVINCIAL)
    )
    authority = factory.LazyAttribute(
        lambda award: "prime_minister" if award.level == "national" else "provincial_chairman"
    )


class UnitYearFactsFactory(factory.django.DjangoModelFactory[UnitYearFacts]):
    """A unit's staff figures for a year: everyone completing their tasks, most of them
    advanced workers, no discipline."""

    class Meta:
        model = UnitYearFacts

    unit = factory.SubFactory(UnitFactory)
    year = 2020
    headcount = 30
    completing_tasks = factory.SelfAttribute("headcount")
    advanced_workers = 25
    emulation_fighters = 2


class BallotFactory(factory.django.DjangoModelFactory[Ballot]):
    """The tally of a bloc-year's secret ballot: every one of ``members_total`` present, every
    ballot valid (the counts follow ``members_total``)."""

    class Meta:
        model = Ballot

    bloc_year = factory.SubFactory(BlocYearFactory)
    held_on = factory.LazyAttribute(lambda ballot: datetime.date(ballot.bloc_year.year + 1, 1, 15))
    members_total = 3
    members_present = factory.SelfAttribute("members_total")
    ballots_issued = factory.SelfAttribute("members_present")
    ballots_returned = factory.SelfAttribute("ballots_issued")
    ballots_valid = factory.SelfAttribute("ballots_returned")


class BallotResultFactory(factory.django.DjangoModelFactory[BallotResult]):
    """Votes for a unit of the ballot's council, for an award (default the provincial flag)."""

    class Meta:
        model = BallotResult

    ballot = factory.SubFactory(BallotFactory)
    award_type = factory.SubFactory(AwardTypeFactory)
    unit = factory.SubFactory(
        UnitFactory, council=factory.SelfAttribute("..ballot.bloc_year.bloc.council")
    )
    votes_for = factory.SelfAttribute("ballot.ballots_valid")


class DecisionFactory(factory.django.DjangoModelFactory[Decision]):
    """A provincial decision on awards; ``with_pdf=True`` attaches its file."""

    class Meta:
        model = Decision

    class Params:
        with_pdf = factory.Trait(
            file=factory.django.FileField(data=b"%PDF-1.4 quyet dinh", filename="quyet-dinh.pdf")
        )

    council = factory.SubFactory(CouncilFactory)
    number = factory.Sequence(lambda n: f"{n + 1}/QĐ-UBND")
    date = datetime.date(2021, 3, 1)
    signer_title = "Chủ tịch Ủy ban nhân dân tỉnh"
    signer_name = "Lê Trí Thanh"


class ProposalFactory(factory.django.DjangoModelFactory[Proposal]):
    """A draft proposal of a unit of the bloc-year's council for an award (default the
    provincial flag). Written as is: no gate is checked (the services do that)."""

    class Meta:
        model = Proposal

    bloc_year = factory.SubFactory(BlocYearFactory)
    unit = factory.SubFactory(
        UnitFactory, council=factory.SelfAttribute("..bloc_year.bloc.council")
    )
    award_type = factory.SubFactory(AwardTypeFactory)
    status = Proposal.Status.DRAFT
    created_by = factory.SubFactory(UserFactory, unit=factory.SelfAttribute("..unit"))
