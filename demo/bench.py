"""A synthetic province for the benchmark: blocs × units × criteria × years, written in bulk.

Default size: 40 blocs of 15 units, 80 leaf criteria, 5 years — 240,000 score lines — with
finalized, published rankings and awards for the past years, and the last year being scored.
"""

from __future__ import annotations

import datetime
import random
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from awards.models import AwardGrant, AwardType, Proposal
from blocs.models import Bloc, BlocYear, Council, Membership, Unit, User
from blocs.services import user_create
from scoring import totals
from scoring.models import CriteriaSet, Criterion, ScoreLine, ScoreSheet, ScoringSeason
from scoring.services import ranking as ranking_services

PASSWORD = "bench-password-not-secret"


@dataclass(frozen=True)
class Size:
    blocs: int = 40
    units: int = 15
    criteria: int = 80
    years: int = 5

    @property
    def lines(self) -> int:
        return self.blocs * self.units * self.criteria * self.years


@dataclass
class Province:
    council: Council
    first_year: int
    last_year: int
    bloc: Bloc  # the bloc every measurement looks at
    scoring_year: BlocYear  # its last year, being scored
    published_year: BlocYear  # the year before, finalized and published
    secretary: User
    focal_point: User
    leader: User
    admin: User
    sheet: ScoreSheet  # the focal point's sheet in the scoring year


def _criteria(council: Council, year: int, leaves: int) -> CriteriaSet:
    """Sections of 10 leaves of 1 point each (standard), then a bonus and a penalty section."""
    criteria_set = CriteriaSet.objects.create(
        council=council,
        year=year,
        name=f"Bảng tiêu chí {year}",
        bonus_cap=Decimal(5),
        step=Decimal("0.25"),
    )
    bonus = penalty = max(1, leaves // 16)
    standard = leaves - bonus - penalty
    rows: list[tuple[str, str, Decimal, str]] = []
    for section, start in enumerate(range(0, standard, 10), start=1):
        count = min(10, standard - start)
        rows.append((f"S{section}", f"Mục {section}", Decimal(count * 10), "standard"))
        rows += [
            (f"S{section}.{index + 1}", f"Tiêu chí {section}.{index + 1}", Decimal(10), "standard")
            for index in range(count)
        ]
    rows.append(("B", "Điểm thưởng", Decimal(bonus * 2), "bonus"))
    rows += [
        (f"B.{index + 1}", f"Thưởng {index + 1}", Decimal(2), "bonus") for index in range(bonus)
    ]
    rows.append(("P", "Điểm trừ", Decimal(penalty * 2), "penalty"))
    rows += [
        (f"P.{index + 1}", f"Trừ {index + 1}", Decimal(2), "penalty") for index in range(penalty)
    ]
    objects = Criterion.objects.bulk_create(
        Criterion(
            criteria_set=criteria_set,
            code=code,
            title=title,
            max_points=maximum,
            kind=kind,
            order=order,
        )
        for order, (code, title, maximum, kind) in enumerate(rows)
    )
    by_code = {criterion.code: criterion for criterion in objects}
    for criterion in objects:
        if "." in criterion.code:
            criterion.parent = by_code[criterion.code.split(".")[0]]
    Criterion.objects.bulk_update(objects, ["parent"])
    criteria_set.frozen_at = timezone.now()
    criteria_set.save(update_fields=["frozen_at"])
    return criteria_set


def generate(size: Size, *, seed: int = 2021, last_year: int = 2026) -> Province:
    rng = random.Random(seed)
    first_year = last_year - size.years + 1
    with transaction.atomic():
        council = Council.objects.create(
            code="BENCH",
            name="Hội đồng Thi đua - Khen thưởng tỉnh Thử nghiệm",
            province="Thử nghiệm",
        )
        units = Unit.objects.bulk_create(
            Unit(
                council=council,
                code=f"U{index:04d}",
                name=f"Đơn vị thử nghiệm {index:04d}",
                short_name=f"ĐV {index:04d}",
            )
            for index in range(size.blocs * size.units)
        )
        blocs = Bloc.objects.bulk_create(
            Bloc(council=council, code=f"K{index:02d}", name=f"Khối thi đua thử nghiệm {index:02d}")
            for index in range(size.blocs)
        )
        members = {
            bloc.pk: units[index * size.units : (index + 1) * size.units]
            for index, bloc in enumerate(blocs)
        }
        # The unit whose focal point measures the score entry: an ordinary member of the first bloc.
        focal_unit = members[blocs[0].pk][(last_year + 2) % size.units]
        sets = {
            year: _criteria(council, year, size.criteria)
            for year in range(first_year, last_year + 1)
        }
        leaves = {
            year: [c for c in criteria_set.criteria.all() if "." in c.code]
            for year, criteria_set in sets.items()
        }
        for year in range(first_year, last_year + 1):
            scoring = year == last_year
            bloc_years = BlocYear.objects.bulk_create(
                BlocYear(
                    bloc=bloc,
                    year=year,
                    state=BlocYear.State.SCORING,
                    conference_date=datetime.date(year + 1, 1, 20),
                )
                for bloc in blocs
            )
            Membership.objects.bulk_create(
                Membership(
                    bloc_year=bloc_year,
                    unit=unit,
                    year=year,
                    role=Membership.Role.HEAD
                    if index == year % size.units
                    else Membership.Role.DEPUTY
                    if index == (year + 1) % size.units
                    else Membership.Role.MEMBER,
                )
                for bloc_year in bloc_years
                for index, unit in enumerate(members[bloc_year.bloc_id])
            )
            ScoringSeason.objects.bulk_create(
                ScoringSeason(
                    bloc_year=bloc_year, criteria_set=sets[year], opened_at=timezone.now()
                )
                for bloc_year in bloc_years
            )
            sheets = ScoreSheet.objects.bulk_create(
                ScoreSheet(
                    bloc_year=bloc_year,
                    unit=unit,
                    # The last year is being scored: every sheet verified but the focal point's.
                    state=ScoreSheet.State.DRAFT
                    if unit.pk == focal_unit.pk and scoring
                    else ScoreSheet.State.VERIFIED,
                )
                for bloc_year in bloc_years
                for unit in members[bloc_year.bloc_id]
            )
            batch: list[ScoreLine] = []
            for sheet in sheets:
                draft = sheet.state == ScoreSheet.State.DRAFT
                for leaf in leaves[year]:
                    value = Decimal(rng.randrange(0, int(leaf.max_points * 4) + 1)) / 4
                    batch.append(
                        ScoreLine(
                            sheet=sheet,
                            criterion=leaf,
                            self_value=value,
                            self_points=value,
                            verified_value=None if draft else value,
                            verified_points=None if draft else value,
                        )
                    )
                if len(batch) >= 20_000:
                    ScoreLine.objects.bulk_create(batch)
                    batch = []
            ScoreLine.objects.bulk_create(batch)
            # Sheets made in this transaction: nobody else sees them, no lock needed.
            totals.refresh(sheet.pk for sheet in sheets)
        awards = {
            award.code: award
            for award in AwardType.objects.filter(rule_set__code="LUAT-2022-ND152")
        }
        for year in range(first_year, last_year):
            for bloc_year in BlocYear.objects.filter(bloc__council=council, year=year):
                snapshot = ranking_services.bloc_year_finalize(bloc_year=bloc_year, by=None)
                BlocYear.objects.filter(pk=bloc_year.pk).update(state=BlocYear.State.DECIDED)
                top = [row.unit_id for row in snapshot.rows[:3]]
                for code, unit_id in zip(
                    ("PROV_FLAG", "PROV_CERT", "PROV_CERT"), top, strict=False
                ):
                    award = awards[code]
                    proposal = Proposal.objects.create(
                        bloc_year=bloc_year,
                        unit_id=unit_id,
                        award_type=award,
                        status=Proposal.Status.APPROVED,
                    )
                    AwardGrant.objects.create(
                        unit_id=unit_id,
                        year=year,
                        award_code=code,
                        award_name=award.name,
                        proposal=proposal,
                    )
        bloc = blocs[0]
        scoring_year = BlocYear.objects.get(bloc=bloc, year=last_year)
        published_year = BlocYear.objects.get(bloc=bloc, year=last_year - 1)
        head = Membership.objects.get(bloc_year=scoring_year, role=Membership.Role.HEAD).unit
        secretary = user_create(username="bench.thuky", password=PASSWORD, unit=head)
        focal = user_create(username="bench.daumoi", password=PASSWORD, unit=focal_unit)
        leader = user_create(
            username="bench.lanhdao", password=PASSWORD, unit=units[-1], role=User.Role.LEADER
        )
        admin = user_create(
            username="bench.quantri",
            password=PASSWORD,
            unit=units[-1],
            role=User.Role.COUNCIL_ADMIN,
        )
        sheet = ScoreSheet.objects.get(bloc_year=scoring_year, unit=focal_unit)
    return Province(
        council=council,
        first_year=first_year,
        last_year=last_year,
        bloc=bloc,
        scoring_year=scoring_year,
        published_year=published_year,
        secretary=secretary,
        focal_point=focal,
        leader=leader,
        admin=admin,
        sheet=sheet,
    )
