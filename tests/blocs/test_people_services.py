"""The people services: what they write, what they refuse (by field), the audit trail, the
role's Django-admin access, and no lock-out of one's own account."""

from __future__ import annotations

import datetime

import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError

from blocs import access
from blocs.models import AuditEntry, User
from blocs.people import services
from blocs.people.services import NewPerson, RowsRefused
from blocs.roles import COUNCIL_ADMIN_GROUP
from tests.conftest import World
from tests.factories import CouncilFactory, UnitFactory

pytestmark = pytest.mark.django_db


def _scope(world: World) -> frozenset[int]:
    return access.people_council_ids(world.council)


def _create(world: World, by: User, **fields: object) -> User:
    values: dict[str, object] = {
        "username": "daumoi.bqn",
        "full_name": "Trần Thị Hoa",
        "email": "hoa@baoquangnam.vn",
        "unit": world.member,
        "role": User.Role.FOCAL_POINT,
    }
    values.update(fields)
    return services.person_create(council_ids=_scope(world), by=by, **values)  # type: ignore[arg-type]


def test_a_new_account_has_no_password_and_is_audited(world: World, council_admin: User) -> None:
    person = _create(world, council_admin, job_title="Chuyên viên")
    person.refresh_from_db()
    assert not person.has_usable_password()
    assert (person.unit, person.role, person.is_staff, person.is_superuser) == (
        world.member,
        User.Role.FOCAL_POINT,
        False,
        False,
    )
    entry = AuditEntry.objects.get(context=f"user:{person.pk}")
    assert entry.action == "people.create"
    assert entry.actor == council_admin
    assert entry.changes["username"] == [None, "daumoi.bqn"]
    assert entry.changes["unit"] == [None, "Báo Quảng Nam"]
    assert "daumoi.bqn" in entry.summary


def test_a_new_account_is_refused_field_by_field(world: World, council_admin: User) -> None:
    closed = UnitFactory.create(
        council=world.council, code="STTTT", active_until=datetime.date(2025, 2, 28)
    )
    with pytest.raises(ValidationError) as refused:
        _create(
            world,
            council_admin,
            username="quantri",  # taken (the admin), and case does not matter
            full_name="",
            email="không-phải-thư",
            unit=closed,
            role="boss",
        )
    assert set(refused.value.message_dict) == {"username", "full_name", "email", "unit", "role"}
    assert "đã có người dùng" in refused.value.message_dict["username"][0]
    assert "không còn hoạt động" in refused.value.message_dict["unit"][0]
    with pytest.raises(ValidationError) as spaced:
        _create(world, council_admin, username="Dau Moi")
    assert "không có khoảng trắng" in spaced.value.message_dict["username"][0]
    with pytest.raises(ValidationError) as cased:
        _create(world, council_admin, username="QuanTri")
    assert "đã có người dùng" in cased.value.message_dict["username"][0]
    assert not User.objects.filter(full_name="").exists()


def test_a_unit_of_another_council_is_refused(world: World, council_admin: User) -> None:
    other = UnitFactory.create(council=CouncilFactory.create(code="DNG"))
    with pytest.raises(ValidationError) as refused:
        _create(world, council_admin, unit=other)
    assert "không thuộc hội đồng này" in refused.value.message_dict["unit"][0]


def test_the_role_decides_the_django_admin_access(world: World, council_admin: User) -> None:
    person = _create(world, council_admin, role=User.Role.COUNCIL_ADMIN)
    person.refresh_from_db()
    assert person.is_staff and person.groups.filter(name=COUNCIL_ADMIN_GROUP).exists()
    services.person_change(
        person=person,
        council_ids=_scope(world),
        full_name=person.full_name,
        email=person.email,
        unit=person.unit,
        role=User.Role.LEADER,
        by=council_admin,
    )
    person.refresh_from_db()
    assert not person.is_staff and not person.groups.exists()
    assert Group.objects.filter(name=COUNCIL_ADMIN_GROUP).exists()
    entry = AuditEntry.objects.filter(context=f"user:{person.pk}", action="people.change").get()
    assert entry.changes == {"role": [User.Role.COUNCIL_ADMIN, User.Role.LEADER]}
    assert "vai trò" in entry.summary


def test_a_change_records_old_and_new_values(world: World, council_admin: User) -> None:
    person = _create(world, council_admin)
    services.person_change(
        person=person,
        council_ids=_scope(world),
        full_name="Trần Thị Hoa",
        email="HOA@BAOQUANGNAM.VN",
        unit=world.head,
        role=User.Role.FOCAL_POINT,
        job_title="Phó Chánh Văn phòng",
        by=council_admin,
    )
    person.refresh_from_db()
    assert person.unit == world.head
    assert person.email == "HOA@baoquangnam.vn"  # the domain in lower case, as Django keeps it
    entry = AuditEntry.objects.get(context=f"user:{person.pk}", action="people.change")
    assert entry.changes["unit"] == ["Báo Quảng Nam", "Sở Y tế"]
    assert entry.changes["job_title"] == ["", "Phó Chánh Văn phòng"]
    # Nothing changed: nothing written.
    services.person_change(
        person=person,
        council_ids=_scope(world),
        full_name=person.full_name,
        email=person.email,
        unit=person.unit,
        role=person.role,
        job_title=person.job_title,
        by=council_admin,
    )
    assert AuditEntry.objects.filter(context=f"user:{person.pk}").count() == 2


def test_a_closed_unit_may_stay_but_not_be_chosen(world: World, council_admin: User) -> None:
    person = _create(world, council_admin)
    world.member.active_until = datetime.date(2025, 2, 28)
    world.member.save()
    services.person_change(
        person=person,
        council_ids=_scope(world),
        full_name="Trần Thị Hoa Mai",
        email=person.email,
        unit=world.member,
        role=person.role,
        by=council_admin,
    )
    other = _create(world, council_admin, username="khac", unit=world.head)
    with pytest.raises(ValidationError) as refused:
        services.person_change(
            person=other,
            council_ids=_scope(world),
            full_name=other.full_name,
            email=other.email,
            unit=world.member,
            role=other.role,
            by=council_admin,
        )
    assert "unit" in refused.value.message_dict


def test_an_admin_cannot_lock_themself_out(world: World, council_admin: User) -> None:
    scope = _scope(world)
    with pytest.raises(ValidationError) as demoted:
        services.person_change(
            person=council_admin,
            council_ids=scope,
            full_name=council_admin.full_name,
            email="quantri@snv.gov.vn",
            unit=council_admin.unit,
            role=User.Role.FOCAL_POINT,
            by=council_admin,
        )
    assert "role" in demoted.value.message_dict
    with pytest.raises(ValidationError) as locked:
        services.person_deactivate(person=council_admin, by=council_admin)
    assert "is_active" in locked.value.message_dict
    # A unit of a council that does not succeed theirs would take their council away.
    elsewhere = UnitFactory.create(council=CouncilFactory.create(code="DNG"))
    with pytest.raises(ValidationError) as moved:
        services.person_change(
            person=council_admin,
            council_ids=scope | {elsewhere.council_id},
            full_name=council_admin.full_name,
            email="quantri@snv.gov.vn",
            unit=elsewhere,
            role=User.Role.COUNCIL_ADMIN,
            by=council_admin,
        )
    assert "unit" in moved.value.message_dict
    council_admin.refresh_from_db()
    assert council_admin.is_active and council_admin.role == User.Role.COUNCIL_ADMIN
    # Their own name and e-mail they change freely; and another unit of their council.
    services.person_change(
        person=council_admin,
        council_ids=scope,
        full_name="Nguyễn Văn Quản",
        email="quantri@snv.gov.vn",
        unit=world.head,
        role=User.Role.COUNCIL_ADMIN,
        by=council_admin,
    )
    council_admin.refresh_from_db()
    assert council_admin.full_name == "Nguyễn Văn Quản" and council_admin.unit == world.head


def test_an_admin_may_move_to_the_council_that_succeeded_theirs(
    world: World, council_admin: User
) -> None:
    from blocs import services as organisation

    successor = CouncilFactory.create(code="DNG")
    organisation.council_set_successor(
        council=world.council, successor=successor, effective_date=datetime.date(2025, 7, 1)
    )
    new_home = UnitFactory.create(council=successor, code="SNV-DN")
    services.person_change(
        person=council_admin,
        council_ids=access.people_council_ids(successor),
        full_name=council_admin.full_name,
        email="quantri@snv.gov.vn",
        unit=new_home,
        role=User.Role.COUNCIL_ADMIN,
        by=council_admin,
    )
    moved = User.objects.get(pk=council_admin.pk)  # a fresh row: no per-request cache
    assert access.managed_council_ids(moved) == {world.council.pk, successor.pk}


def test_deactivate_and_reactivate(world: World, council_admin: User, focal_point: User) -> None:
    services.person_deactivate(person=focal_point, by=council_admin)
    focal_point.refresh_from_db()
    assert not focal_point.is_active
    services.person_deactivate(person=focal_point, by=council_admin)  # twice: one entry
    services.person_reactivate(person=focal_point, by=council_admin)
    focal_point.refresh_from_db()
    assert focal_point.is_active
    assert list(
        AuditEntry.objects.filter(context=f"user:{focal_point.pk}")
        .order_by("pk")
        .values_list("action", "changes")
    ) == [
        ("people.deactivate", {"is_active": [True, False]}),
        ("people.reactivate", {"is_active": [False, True]}),
    ]


def _rows(world: World) -> list[NewPerson]:
    return [
        NewPerson(3, "daumoi.syt", "Lê Văn An", "an@syt.gov.vn", world.head.pk, "focal_point"),
        NewPerson(4, "daumoi.sgd", "Phạm Thị Bình", "binh@sgd.gov.vn", world.deputy.pk, "leader"),
    ]


def test_many_accounts_are_made_with_one_entry_each(world: World, council_admin: User) -> None:
    made = services.people_create_many(
        people=_rows(world), council_ids=_scope(world), by=council_admin, source="ds.xlsx"
    )
    assert [(p.username, p.unit, p.role) for p in made] == [
        ("daumoi.syt", world.head, User.Role.FOCAL_POINT),
        ("daumoi.sgd", world.deputy, User.Role.LEADER),
    ]
    assert all(not person.has_usable_password() for person in made)
    summaries = list(
        AuditEntry.objects.filter(action="people.create").order_by("pk").values_list("summary")
    )
    assert summaries == [
        ("Tạo tài khoản “daumoi.syt” từ tệp “ds.xlsx”, dòng 3",),
        ("Tạo tài khoản “daumoi.sgd” từ tệp “ds.xlsx”, dòng 4",),
    ]


def test_many_accounts_are_all_or_nothing(world: World, council_admin: User) -> None:
    rows = [
        *_rows(world),
        NewPerson(5, "DAUMOI.SYT", "Trùng", "trung@syt.gov.vn", world.head.pk, "focal_point"),
        NewPerson(6, "quantri", "Đã có", "x@snv.gov.vn", world.head.pk, "focal_point"),
        NewPerson(7, "moi", "Đơn vị lạ", "moi@x.vn", 999_999, "focal_point"),
    ]
    with pytest.raises(RowsRefused) as refused:
        services.people_create_many(people=rows, council_ids=_scope(world), by=council_admin)
    assert refused.value.problems == {
        5: {"username": "Tên đăng nhập trùng với dòng 3."},
        6: {"username": "Tên đăng nhập “quantri” đã có người dùng."},
        7: {"unit": "Đơn vị không thuộc hội đồng này hoặc không còn hoạt động."},
    }
    assert not User.objects.filter(username__in=["daumoi.syt", "daumoi.sgd", "moi"]).exists()
    assert not AuditEntry.objects.filter(action="people.create").exists()


def test_a_failure_while_writing_leaves_nothing(
    world: World, council_admin: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    """All or nothing also when the database refuses half-way (here: the second account)."""
    real = services._new_account
    calls = []

    def failing(**kwargs: object) -> User:
        calls.append(kwargs)
        if len(calls) == 2:
            raise RuntimeError("disk full")
        return real(**kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(services, "_new_account", failing)
    with pytest.raises(RuntimeError):
        services.people_create_many(
            people=_rows(world), council_ids=_scope(world), by=council_admin
        )
    assert not User.objects.filter(username="daumoi.syt").exists()


def test_a_password_set_by_its_owner_is_audited_without_it(world: World, focal_point: User) -> None:
    services.password_set(person=focal_point, password="mot-mat-khau-moi-dai", how="change")
    focal_point.refresh_from_db()
    assert focal_point.check_password("mot-mat-khau-moi-dai")
    entry = AuditEntry.objects.get(context=f"user:{focal_point.pk}")
    assert (entry.action, entry.actor, entry.changes) == (
        "people.password_change",
        focal_point,
        {"password": ["***", "***"]},
    )
    assert "mot-mat-khau" not in str(entry.changes) + entry.summary


def test_an_existing_account_may_stay_without_an_email(
    world: World, council_admin: User, focal_point: User
) -> None:
    """The demo's and the admin's older accounts have none; a role change does not need one."""
    services.person_change(
        person=focal_point,
        council_ids=_scope(world),
        full_name=focal_point.full_name,
        email="",
        unit=focal_point.unit,
        role=User.Role.LEADER,
        by=council_admin,
    )
    focal_point.refresh_from_db()
    assert focal_point.role == User.Role.LEADER and focal_point.email == ""
    with pytest.raises(ValidationError) as refused:
        _create(world, council_admin, email="")
    assert list(refused.value.message_dict) == ["email"]
