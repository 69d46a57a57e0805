"""The ranking page's first facts (scoring/selectors/ranking_page.py) are what the separate reads
say: a season, the latest snapshot, a quota counted across blocs, the rules' last change after
scoring opened — read in one statement compiled once."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from blocs.models import AuditEntry, BlocYear
from scoring.models import BandQuota, RankingSnapshot, ScoringSeason
from scoring.selectors.ranking_page import page_facts
from scoring.selectors.ranking_rules import rules_change, rules_of
from scoring.services import ranking as ranking_services
from scoring.services.quotas import band_quota_save
from tests.conftest import World, verified_year
from tests.factories import BlocFactory, UnitFactory


def separate_reads(bloc_year: BlocYear) -> tuple[bool, RankingSnapshot | None, bool, object]:
    return (
        ScoringSeason.objects.filter(bloc_year=bloc_year).exists()
        or RankingSnapshot.objects.filter(bloc_year=bloc_year).exists()
        or rules_of(bloc_year).by_votes,
        ranking_services.latest_snapshot(bloc_year),
        BandQuota.objects.filter(bloc_years=bloc_year).exists(),
        rules_change(bloc_year),
    )


def facts_read(bloc_year: BlocYear) -> tuple[bool, RankingSnapshot | None, bool, object]:
    facts = page_facts(bloc_year)
    return (
        facts.has_ranking(bloc_year),
        facts.latest_snapshot(),
        facts.quotas,
        facts.rules_change(),
    )


def rules_entry(bloc_year: BlocYear, when: dt.datetime, action: str, reason: str) -> None:
    entry = AuditEntry.objects.create(
        bloc_year=bloc_year, context=f"bloc-year:{bloc_year.pk}", action=action, summary="…"
    )
    AuditEntry.objects.filter(pk=entry.pk).update(created_at=when, reason=reason)


def test_the_facts_agree_with_the_separate_reads_as_a_year_goes_on(
    world: World, django_assert_num_queries
) -> None:
    year = verified_year(world.bloc, 2019, [world.head, world.deputy, world.member])
    other = verified_year(
        BlocFactory.create(council=world.council, name="Khối B"),
        2019,
        [UnitFactory.create(council=world.council) for _ in range(3)],
    )
    bare = BlocYear.objects.create(bloc=BlocFactory.create(council=world.council), year=2019)
    opened = ScoringSeason.objects.get(bloc_year=year).opened_at or timezone.now()
    ScoringSeason.objects.filter(bloc_year=year).update(opened_at=opened)

    def agree() -> None:
        for bloc_year in (year, other, bare):
            assert facts_read(bloc_year) == separate_reads(bloc_year), bloc_year

    agree()
    assert facts_read(bare)[0] is False  # no season, no snapshot, ranked by points: none
    assert facts_read(year) == (True, None, False, None)

    # Rules changed before scoring opened do not count; after it, the last one does, and
    # another year's change is not this year's.
    rules_entry(year, opened - dt.timedelta(days=1), "ranking.rules", "trước khi mở")
    rules_entry(other, opened + dt.timedelta(days=3), "ranking.rules", "khối khác")
    rules_entry(year, opened + dt.timedelta(days=1), "ranking.rules", "lần một")
    rules_entry(year, opened + dt.timedelta(days=2), "ranking.rules_reset", "đặt lại")
    rules_entry(year, opened + dt.timedelta(days=5), "line.self", "không phải quy tắc")
    agree()
    change = page_facts(year).rules_change()
    assert change is not None and change.reason == "đặt lại"

    # A quota counted across blocs.
    band_quota_save(
        council=world.council,
        quota=None,
        name="Cụm 1",
        year=2019,
        band=year_band(year),
        share_percent=Decimal(40),
        bloc_year_ids=[year.pk, other.pk],
        by=None,
    )
    agree()
    assert page_facts(year).quotas and not page_facts(bare).quotas

    # Finalized twice: the latest snapshot is the one with the highest number.
    first = ranking_services.bloc_year_finalize(bloc_year=year, by=None)
    agree()
    second = RankingSnapshot.objects.create(
        bloc_year=year,
        number=first.number + 1,
        kind=RankingSnapshot.Kind.CORRECTION,
        inputs_hash=first.inputs_hash,
        data=first.data,
    )
    agree()
    assert page_facts(year).snapshot_id == second.pk

    # One statement for the four facts, one more for a change's time and reason.
    with django_assert_num_queries(1):
        page_facts(bare)
    with django_assert_num_queries(1):
        facts = page_facts(year)
    with django_assert_num_queries(1):
        facts.rules_change()


def year_band(bloc_year: BlocYear) -> str:
    return rules_of(bloc_year).bands[0].name


def test_a_year_ranked_by_vote_alone_has_a_ranking_without_a_season(world: World) -> None:
    bloc_year = BlocYear.objects.create(bloc=BlocFactory.create(council=world.council), year=2019)
    assert not page_facts(bloc_year).has_ranking(bloc_year)
    ranking_services.ranking_rules_save(
        bloc_year=bloc_year,
        tie_breaks=[],
        bands=[{"name": "Hoàn thành nhiệm vụ", "min_total_percent": "0", "floor_percent": "0"}],
        mode="votes",
        by=None,
    )
    assert facts_read(bloc_year) == separate_reads(bloc_year)
    assert page_facts(bloc_year).has_ranking(bloc_year)


def test_a_compiled_read_takes_each_requests_values(world: World) -> None:
    """``common.db.compiled``: the statement is compiled once; each call runs it with its own
    values, wherever they appear in it."""
    from blocs.access import _secretariat_rows
    from blocs.models import Membership
    from common.db.compiled import compiled_rows

    leading = {
        (membership.unit_id, membership.bloc_year_id)
        for membership in Membership.objects.filter(
            role__in=[Membership.Role.HEAD, Membership.Role.DEPUTY]
        )
    }
    assert leading
    for unit_id, bloc_year_id in leading:
        rows = compiled_rows(_secretariat_rows, unit_id=unit_id, user_id=0)
        assert (bloc_year_id,) in rows
        expected = {year for unit, year in leading if unit == unit_id}
        assert {row[0] for row in rows} == expected
    assert compiled_rows(_secretariat_rows, unit_id=-1, user_id=-1) == []


def unused_value(unit_id: int) -> object:
    from blocs.models import Membership

    return Membership.objects.all().values_list("pk")


def test_a_compiled_read_refuses_a_value_its_statement_does_not_take(world: World) -> None:
    from common.db.compiled import compiled_rows

    with pytest.raises(ValueError, match="unit_id"):
        compiled_rows(unused_value, unit_id=1)  # type: ignore[arg-type]


def test_compiled_reads_convert_as_the_orm_does(world: World) -> None:
    """Dates (former names), decimals (maxima, women's share), JSON (the sheets' kept parts,
    the rules' bands): the compiled reads give what the same querysets give through the ORM."""
    import datetime as dt

    from blocs.models import UnitName
    from common.db.compiled import compiled_rows
    from scoring.selectors.ranking import _criteria_rows, _member_rows
    from scoring.selectors.ranking_kept import _sheet_rows
    from scoring.selectors.ranking_rules import _rules_rows

    year = verified_year(world.bloc, 2019, [world.head, world.deputy, world.member])
    UnitName.objects.create(
        unit=world.member,
        name="Tên cũ",
        short_name="Cũ",
        valid_from=dt.date(2010, 1, 1),
        valid_until=dt.date(2020, 6, 30),
    )
    ranking_services.ranking_rules_save(
        bloc_year=year,
        tie_breaks=[],
        bands=[{"name": "Hoàn thành nhiệm vụ", "min_total_percent": "0", "floor_percent": "0"}],
        by=None,
        reason="Thống nhất tại hội nghị khối",
    )
    for build, values in (
        (_criteria_rows, {"bloc_year_id": year.pk}),
        (_member_rows, {"bloc_year_id": year.pk}),
        (_sheet_rows, {"bloc_year_id": year.pk}),
        (_rules_rows, {"bloc_year_id": year.pk, "council_id": world.council.pk}),
    ):
        expected = list(build(**values))
        assert expected, build
        assert compiled_rows(build, **values) == expected, build
        assert compiled_rows(build, **values) == expected, build  # from the kept statement
