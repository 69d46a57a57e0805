"""Recording a reorganisation: what the preview shows is what applying writes."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError

from blocs import services
from blocs.models import AuditEntry, BlocYear, Membership, Unit, UnitLineage, UnitName, User
from blocs.reorganisation.apply import PreviewOutdated, reorganisation_apply
from blocs.reorganisation.members import Edit
from blocs.reorganisation.preview import reorganisation_preview
from blocs.reorganisation.request import NewUnit, Operation, Reorganisation
from tests.conftest import World
from tests.factories import CouncilFactory, UnitFactory

pytestmark = pytest.mark.django_db
D = datetime.date
MARCH = D(2025, 3, 1)


@pytest.fixture
def years(world: World) -> dict[int, BlocYear]:
    """2024 (decided) and 2025 (under way) of the world's bloc, same members and roles."""
    made = {}
    for year, state in ((2024, BlocYear.State.DECIDED), (2025, BlocYear.State.UNDERWAY)):
        made[year] = services.bloc_year_create(
            bloc=world.bloc,
            year=year,
            members=[world.head, world.deputy, world.member],
            head=world.head,
            deputy=world.deputy,
            state=state,
        )
    return made


def request(world: World, operation: str, **kwargs: object) -> Reorganisation:
    kwargs.setdefault("effective_date", MARCH)
    return Reorganisation(council=world.council, operation=operation, **kwargs)  # type: ignore[arg-type]


def roles(bloc_year: BlocYear) -> dict[int, str]:
    return dict(Membership.objects.filter(bloc_year=bloc_year).values_list("unit_id", "role"))


def test_a_rename_keeps_the_old_name_for_earlier_years(
    world: World, years: dict[int, BlocYear], council_admin: User
) -> None:
    preview = reorganisation_preview(
        request=request(
            world,
            Operation.RENAME,
            units=(world.member,),
            new_name="Báo và Phát thanh, Truyền hình Quảng Nam",
            new_short_name="Báo và PT-TH",
        )
    )
    (name,) = preview.names
    assert (name.old_name, name.old_until) == ("Báo Quảng Nam", D(2025, 2, 28))
    assert not preview.links and not preview.ended and not preview.created
    (change,) = preview.bloc_years
    assert change.bloc_year == years[2025]
    assert [edit.action for edit in change.edits] == [Edit.RENAME]
    assert years[2024] in preview.unchanged_years
    reorganisation_apply(preview=preview, by=council_admin)
    unit = Unit.objects.get(pk=world.member.pk)
    assert unit.name == "Báo và Phát thanh, Truyền hình Quảng Nam"
    assert unit.name_in_year(2024) == "Báo Quảng Nam"
    assert unit.name_in_year(2025) == unit.name
    assert UnitName.objects.get(unit=unit).valid_until == D(2025, 2, 28)
    assert roles(years[2025]) == roles(years[2024])


def test_a_merge_replaces_the_unit_in_open_years_only(
    world: World, years: dict[int, BlocYear], council_admin: User
) -> None:
    absorbing = UnitFactory.create(council=world.council, name="Sở Y tế và Dân số")
    preview = reorganisation_preview(
        request=request(world, Operation.MERGE, units=(world.head,), target=absorbing, note="QĐ 1")
    )
    (link,) = preview.links
    assert link.kind == UnitLineage.Kind.MERGED_INTO and link.successor == "Sở Y tế và Dân số"
    assert [(row.unit, row.until) for row in preview.ended] == [(world.head, D(2025, 2, 28))]
    (change,) = preview.bloc_years
    (edit,) = change.edits
    assert (edit.action, edit.unit_name, edit.other_name, edit.role) == (
        Edit.REPLACE,
        "Sở Y tế và Dân số",
        "Sở Y tế",
        Membership.Role.HEAD,
    )
    before_2024 = roles(years[2024])
    reorganisation_apply(preview=preview, by=council_admin)
    assert roles(years[2025]) == {
        absorbing.pk: Membership.Role.HEAD,
        world.deputy.pk: Membership.Role.DEPUTY,
        world.member.pk: Membership.Role.MEMBER,
    }
    assert roles(years[2024]) == before_2024
    assert Unit.objects.get(pk=world.head.pk).active_until == D(2025, 2, 28)
    assert UnitLineage.objects.get(predecessor=world.head).note == "QĐ 1"
    assert AuditEntry.objects.filter(action="reorganisation.merge").count() == 1
    assert AuditEntry.objects.get(action="membership.reorganisation").bloc_year == years[2025]


def test_merging_into_a_member_removes_the_unit_and_passes_its_role(
    world: World, years: dict[int, BlocYear], council_admin: User
) -> None:
    preview = reorganisation_preview(
        request=request(world, Operation.MERGE, units=(world.head,), target=world.member)
    )
    actions = [(edit.action, edit.unit_name) for edit in preview.bloc_years[0].edits]
    assert actions == [(Edit.REMOVE, "Sở Y tế"), (Edit.SET_ROLE, "Báo Quảng Nam")]
    reorganisation_apply(preview=preview, by=council_admin)
    assert roles(years[2025]) == {
        world.member.pk: Membership.Role.HEAD,
        world.deputy.pk: Membership.Role.DEPUTY,
    }


def test_several_units_merge_into_a_new_unit(
    world: World, years: dict[int, BlocYear], council_admin: User
) -> None:
    new = NewUnit(code="SGDYT", name="Sở Giáo dục và Y tế", short_name="Sở GD-YT")
    preview = reorganisation_preview(
        request=request(world, Operation.MERGE, units=(world.head, world.deputy), new_unit=new)
    )
    assert preview.created == (new,)
    edits = [(e.action, e.role) for e in preview.bloc_years[0].edits]
    # The first unit's place (head) goes to the new unit; the deputy's role stays open.
    assert edits == [(Edit.REPLACE, "head"), (Edit.REMOVE, "deputy"), (Edit.VACANT, "deputy")]
    reorganisation_apply(preview=preview, by=council_admin)
    created = Unit.objects.get(council=world.council, code="SGDYT")
    assert created.active_from == MARCH and created.short_name == "Sở GD-YT"
    assert UnitLineage.objects.filter(successor=created).count() == 2
    assert roles(years[2025]) == {created.pk: "head", world.member.pk: "member"}


def test_a_year_being_scored_keeps_its_members(world: World, council_admin: User) -> None:
    scoring = services.bloc_year_create(
        bloc=world.bloc, year=2025, members=[world.member], state=BlocYear.State.SCORING
    )
    target = UnitFactory.create(council=world.council)
    preview = reorganisation_preview(
        request=request(world, Operation.MERGE, units=(world.member,), target=target)
    )
    (edit,) = preview.bloc_years[0].edits
    assert edit.action == Edit.KEEP and "Đang chấm điểm" in edit.reason
    reorganisation_apply(preview=preview, by=council_admin)
    assert roles(scoring) == {world.member.pk: "member"}


def test_a_target_in_another_bloc_that_year_is_not_added(
    world: World, years: dict[int, BlocYear]
) -> None:
    services.bloc_year_create(bloc=world.other_bloc, year=2025, members=[world.outsider_unit])
    preview = reorganisation_preview(
        request=request(world, Operation.MERGE, units=(world.member,), target=world.outsider_unit)
    )
    (edit,) = preview.bloc_years[0].edits
    assert edit.action == Edit.REMOVE and "Khối thi đua tham mưu I" in edit.reason


def test_a_split_creates_the_new_units_and_the_chosen_ones_join(
    world: World, years: dict[int, BlocYear], council_admin: User
) -> None:
    preview = reorganisation_preview(
        request=request(
            world,
            Operation.SPLIT,
            units=(world.deputy,),
            new_units=(
                NewUnit("SGD", "Sở Giáo dục"),
                NewUnit("SDT", "Sở Đào tạo nghề", joins_blocs=False),
            ),
            original_ends=True,
        )
    )
    assert [link.kind for link in preview.links] == [UnitLineage.Kind.SPLIT_INTO] * 2
    (edit,) = preview.bloc_years[0].edits
    assert (edit.action, edit.unit_name, edit.role) == (Edit.REPLACE, "Sở Giáo dục", "deputy")
    reorganisation_apply(preview=preview, by=council_admin)
    education = Unit.objects.get(code="SGD")
    assert roles(years[2025])[education.pk] == "deputy"
    assert world.deputy.pk not in roles(years[2025])
    assert Unit.objects.get(pk=world.deputy.pk).active_until == D(2025, 2, 28)
    assert Unit.objects.get(code="SDT").memberships.count() == 0


def test_a_split_that_keeps_the_unit_adds_the_new_units(
    world: World, years: dict[int, BlocYear], council_admin: User
) -> None:
    preview = reorganisation_preview(
        request=request(
            world,
            Operation.SPLIT,
            units=(world.deputy,),
            new_units=(NewUnit("TTGDNN", "Trung tâm Giáo dục nghề nghiệp"),),
            original_ends=False,
        )
    )
    assert not preview.ended
    reorganisation_apply(preview=preview, by=council_admin)
    assert roles(years[2025])[world.deputy.pk] == "deputy"
    assert roles(years[2025])[Unit.objects.get(code="TTGDNN").pk] == "member"


def test_a_transfer_of_functions_links_the_units_and_changes_no_member(
    world: World, years: dict[int, BlocYear], council_admin: User
) -> None:
    before = roles(years[2025])
    preview = reorganisation_preview(
        request=request(
            world,
            Operation.TRANSFER,
            units=(world.member,),
            target=world.head,
            note="Quản lý nhà nước về báo chí.",
        )
    )
    assert not preview.bloc_years and not preview.ended
    reorganisation_apply(preview=preview, by=council_admin)
    link = UnitLineage.objects.get(predecessor=world.member)
    assert link.kind == UnitLineage.Kind.FUNCTIONS_TRANSFERRED
    assert Unit.objects.get(pk=world.member.pk).active_until is None
    assert roles(years[2025]) == before


@pytest.mark.parametrize(
    ("make", "field"),
    [
        (lambda w: {"operation": Operation.MERGE, "units": (w.head,), "target": w.head}, "target"),
        (
            lambda w: {"operation": Operation.TRANSFER, "units": (w.head,), "target": w.member},
            "note",
        ),
        (
            lambda w: {
                "operation": Operation.MERGE,
                "units": (UnitFactory.create(council=CouncilFactory.create()),),
                "target": w.head,
            },
            "units",
        ),
        (
            lambda w: {
                "operation": Operation.MERGE,
                "units": (w.member,),
                "new_unit": NewUnit(w.head.code, "Trùng mã"),
            },
            "new_code",
        ),
        (lambda w: {"operation": Operation.MERGE, "units": (w.member,)}, "target"),
        (
            lambda w: {
                "operation": Operation.RENAME,
                "units": (w.member,),
                "new_name": "Báo Quảng Nam",
            },
            "new_name",
        ),
    ],
)
def test_impossible_requests_are_refused_at_their_field(world: World, make, field: str) -> None:
    with pytest.raises(ValidationError) as refused:
        reorganisation_preview(request=request(world, **make(world)))
    assert field in refused.value.message_dict


def test_a_date_before_an_earlier_reorganisation_of_the_unit_is_refused(world: World) -> None:
    services.lineage_record(
        predecessor=world.deputy,
        successor=world.member,
        kind=UnitLineage.Kind.FUNCTIONS_TRANSFERRED,
        effective_date=D(2025, 7, 1),
    )
    with pytest.raises(ValidationError) as refused:
        reorganisation_preview(
            request=request(world, Operation.RENAME, units=(world.member,), new_name="Báo mới")
        )
    assert "01/07/2025" in refused.value.message_dict["effective_date"][0]


def test_a_unit_that_ended_earlier_cannot_be_reorganised(world: World) -> None:
    Unit.objects.filter(pk=world.member.pk).update(active_until=D(2024, 12, 31))
    world.member.refresh_from_db()
    with pytest.raises(ValidationError) as refused:
        reorganisation_preview(
            request=request(world, Operation.MERGE, units=(world.member,), target=world.head)
        )
    assert "effective_date" in refused.value.message_dict


def test_a_unit_may_merge_and_give_functions_on_the_same_day(
    world: World, council_admin: User
) -> None:
    merge = reorganisation_preview(
        request=request(world, Operation.MERGE, units=(world.member,), target=world.head)
    )
    reorganisation_apply(preview=merge, by=council_admin)
    world.member.refresh_from_db()
    transfer = reorganisation_preview(
        request=request(
            world, Operation.TRANSFER, units=(world.member,), target=world.deputy, note="In ấn"
        )
    )
    reorganisation_apply(preview=transfer, by=council_admin)
    assert UnitLineage.objects.filter(predecessor=world.member).count() == 2


def test_an_outdated_preview_writes_nothing(
    world: World, years: dict[int, BlocYear], council_admin: User
) -> None:
    target = UnitFactory.create(council=world.council)
    preview = reorganisation_preview(
        request=request(world, Operation.MERGE, units=(world.member,), target=target)
    )
    Membership.objects.filter(bloc_year=years[2025], unit=world.member).delete()
    with pytest.raises(PreviewOutdated):
        reorganisation_apply(preview=preview, by=council_admin)
    assert not UnitLineage.objects.exists()
    assert Unit.objects.get(pk=world.member.pk).active_until is None
    assert not AuditEntry.objects.filter(action__startswith="reorganisation").exists()


def test_apply_is_all_or_nothing(
    world: World, years: dict[int, BlocYear], council_admin: User, monkeypatch
) -> None:
    preview = reorganisation_preview(
        request=request(
            world, Operation.MERGE, units=(world.member,), new_unit=NewUnit("MOI", "Đơn vị mới")
        )
    )

    def broken(*args: object) -> None:
        raise RuntimeError("mất kết nối")

    monkeypatch.setattr("blocs.reorganisation.apply.audit_record_many", broken)
    with pytest.raises(RuntimeError, match="mất kết nối"):
        reorganisation_apply(preview=preview, by=council_admin)
    assert not Unit.objects.filter(code="MOI").exists()
    assert roles(years[2025])[world.member.pk] == "member"


def test_a_rename_shows_in_a_decided_year_of_the_same_year(world: World) -> None:
    decided = services.bloc_year_create(
        bloc=world.other_bloc, year=2025, members=[world.member], state=BlocYear.State.DECIDED
    )
    preview = reorganisation_preview(
        request=request(world, Operation.RENAME, units=(world.member,), new_name="Báo mới")
    )
    assert [change.bloc_year for change in preview.bloc_years] == [decided]
    assert decided not in preview.unchanged_years
