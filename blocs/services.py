"""Writes to the organisation. Views, commands and the admin call these; nothing else writes."""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from blocs.models import Bloc, BlocYear, Council, Membership, Unit, UnitLineage, UnitName, User


@transaction.atomic
def bloc_year_create(
    *,
    bloc: Bloc,
    year: int,
    members: Iterable[Unit],
    head: Unit | None = None,
    deputy: Unit | None = None,
    state: str = BlocYear.State.SETUP,
    covenant_date: datetime.date | None = None,
    conference_date: datetime.date | None = None,
) -> BlocYear:
    """Open a bloc-year with its members; head and deputy must be among them and differ."""
    members = list(members)
    member_ids = {unit.pk for unit in members}
    if head is not None and head.pk not in member_ids:
        raise ValidationError({"head": _("Trưởng khối phải là thành viên của khối trong năm.")})
    if deputy is not None and deputy.pk not in member_ids:
        raise ValidationError({"deputy": _("Khối phó phải là thành viên của khối trong năm.")})
    if head is not None and deputy is not None and head.pk == deputy.pk:
        raise ValidationError(
            {"deputy": _("Trưởng khối và Khối phó phải là hai đơn vị khác nhau.")}
        )
    foreign = [unit for unit in members if unit.council_id != bloc.council_id]
    if foreign:
        raise ValidationError(
            {
                "members": _("Đơn vị thuộc hội đồng khác: %(units)s")
                % {"units": ", ".join(map(str, foreign))}
            }
        )
    bloc_year = BlocYear.objects.create(
        bloc=bloc,
        year=year,
        state=state,
        covenant_date=covenant_date,
        conference_date=conference_date,
    )
    roles = {}
    if head is not None:
        roles[head.pk] = Membership.Role.HEAD
    if deputy is not None:
        roles[deputy.pk] = Membership.Role.DEPUTY
    Membership.objects.bulk_create(
        Membership(
            bloc_year=bloc_year,
            unit=unit,
            year=year,
            role=roles.get(unit.pk, Membership.Role.MEMBER),
        )
        for unit in members
    )
    return bloc_year


@transaction.atomic
def bloc_year_set_leadership(*, bloc_year: BlocYear, head: Unit, deputy: Unit) -> None:
    """Make ``head`` the Trưởng khối and ``deputy`` the Khối phó of the year (rotation)."""
    if head.pk == deputy.pk:
        raise ValidationError(
            {"deputy": _("Trưởng khối và Khối phó phải là hai đơn vị khác nhau.")}
        )
    memberships = {
        membership.unit_id: membership
        for membership in Membership.objects.select_for_update().filter(bloc_year=bloc_year)
    }
    for unit, field in ((head, "head"), (deputy, "deputy")):
        if unit.pk not in memberships:
            raise ValidationError(
                {field: _("%(unit)s không là thành viên của khối năm này.") % {"unit": unit}}
            )
    Membership.objects.filter(
        bloc_year=bloc_year, role__in=[Membership.Role.HEAD, Membership.Role.DEPUTY]
    ).update(role=Membership.Role.MEMBER)
    Membership.objects.filter(pk=memberships[head.pk].pk).update(role=Membership.Role.HEAD)
    Membership.objects.filter(pk=memberships[deputy.pk].pk).update(role=Membership.Role.DEPUTY)


@transaction.atomic
def unit_rename(
    *, unit: Unit, name: str, short_name: str = "", effective_date: datetime.date
) -> Unit:
    """Give a unit a new name from ``effective_date``; the old name stays for earlier years."""
    previous_end = (
        UnitName.objects.filter(unit=unit)
        .order_by("-valid_until")
        .values_list("valid_until", flat=True)
        .first()
    )
    if previous_end is not None and effective_date <= previous_end:
        raise ValidationError(
            {
                "effective_date": _("Ngày đổi tên phải sau lần đổi tên trước (%(day)s).")
                % {"day": previous_end}
            }
        )
    UnitName.objects.create(
        unit=unit,
        name=unit.name,
        short_name=unit.short_name,
        valid_from=previous_end + datetime.timedelta(days=1) if previous_end else unit.active_from,
        valid_until=effective_date - datetime.timedelta(days=1),
    )
    unit.name = name
    unit.short_name = short_name
    unit.save(update_fields=["name", "short_name"])
    return unit


@transaction.atomic
def lineage_record(
    *,
    predecessor: Unit,
    successor: Unit,
    kind: str,
    effective_date: datetime.date,
    note: str = "",
    close_predecessor: bool | None = None,
) -> UnitLineage:
    """Record a reorganisation link. A merge ends the predecessor the day before."""
    link = UnitLineage(
        predecessor=predecessor,
        successor=successor,
        kind=kind,
        effective_date=effective_date,
        note=note,
    )
    link.full_clean()
    link.save()
    if close_predecessor is None:
        close_predecessor = kind in (UnitLineage.Kind.MERGED_INTO, UnitLineage.Kind.RENAMED)
    if close_predecessor and predecessor.active_until is None:
        predecessor.active_until = effective_date - datetime.timedelta(days=1)
        predecessor.save(update_fields=["active_until"])
    return link


def council_set_successor(
    *, council: Council, successor: Council, effective_date: datetime.date
) -> Council:
    """A council merged into another one on ``effective_date``."""
    if council.pk == successor.pk:
        raise ValidationError({"successor": _("Một hội đồng không thể kế thừa chính nó.")})
    council.successor = successor
    council.valid_until = effective_date - datetime.timedelta(days=1)
    council.save(update_fields=["successor", "valid_until"])
    if successor.valid_from is None:
        successor.valid_from = effective_date
        successor.save(update_fields=["valid_from"])
    return council


def user_create(
    *,
    username: str,
    password: str | None,
    unit: Unit,
    role: str = User.Role.FOCAL_POINT,
    full_name: str = "",
    job_title: str = "",
    email: str = "",
) -> User:
    """Create a person with a password (or none, for accounts that log in later)."""
    user = User(
        username=username,
        unit=unit,
        role=role,
        full_name=full_name,
        job_title=job_title,
        email=email,
    )
    if password:
        user.set_password(password)
    else:
        user.set_unusable_password()
    user.full_clean(exclude=["password"])
    user.save()
    user_apply_role(user=user)
    return user


def user_apply_role(*, user: User) -> None:
    """Council admins work in the Django admin too; nobody else does (superusers aside)."""
    from blocs.roles import COUNCIL_ADMIN_GROUP, council_admin_group

    is_admin = user.role == User.Role.COUNCIL_ADMIN
    if not user.is_superuser and user.is_staff != is_admin:
        user.is_staff = is_admin
        user.save(update_fields=["is_staff"])
    if is_admin:
        user.groups.add(council_admin_group())
    else:
        # Without building the group: a focal point made in bulk costs two queries here.
        user.groups.remove(*Group.objects.filter(name=COUNCIL_ADMIN_GROUP))
