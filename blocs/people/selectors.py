"""Reads of the people pages: the list of a council's people and a person's history."""

from __future__ import annotations

import datetime
from collections.abc import Collection
from dataclasses import dataclass

from django.contrib.auth.hashers import UNUSABLE_PASSWORD_PREFIX
from django.db.models import BooleanField, ExpressionWrapper, Q, QuerySet
from django.db.models.functions import Collate
from django.utils import timezone

from blocs import access
from blocs.models import AuditEntry, User
from common.collation import VIETNAMESE
from common.exporters import ascii_fold

# What the list can be narrowed to besides the unit and the role.
ACTIVE = "active"
INACTIVE = "inactive"
NO_PASSWORD = "no-password"
HISTORY_LENGTH = 50


@dataclass(frozen=True)
class PersonRow:
    person: User
    has_password: bool
    can_change: bool
    council_code: str  # the unit's council, when the list holds several councils' people
    unit_closed: datetime.date | None  # the last day of a unit that has ended


@dataclass(frozen=True)
class PeopleList:
    rows: list[PersonRow]
    total: int  # before the filters
    inactive: int
    without_password: int


def _people(council_ids: Collection[int]) -> QuerySet[User]:
    return (
        User.objects.filter(unit__council__in=list(council_ids))
        .select_related("unit__council")
        .defer("password")
        .annotate(
            has_password=ExpressionWrapper(
                ~Q(password__startswith=UNUSABLE_PASSWORD_PREFIX), output_field=BooleanField()
            )
        )
    )


def _fold(text: str) -> str:
    """ "Nguyễn" → "nguyen": a search typed without marks finds the names written with them."""
    return ascii_fold(text).lower()


def _has_password(person: User) -> bool:
    """The annotation of ``_people``: whether the person has set a password."""
    return bool(person.__dict__.get("has_password"))


def people_list(
    *,
    actor: User,
    council_ids: Collection[int],
    search: str = "",
    unit_id: int | None = None,
    role: str = "",
    status: str = "",
    day: datetime.date | None = None,
) -> PeopleList:
    """The people of these councils by unit, then by name in the Vietnamese alphabet; two
    queries whatever their number."""
    people = list(
        _people(council_ids).order_by("unit__name", Collate("full_name", VIETNAMESE), "username")
    )
    total = len(people)
    inactive = sum(1 for person in people if not person.is_active)
    without_password = sum(1 for person in people if person.is_active and not _has_password(person))
    folded = _fold(search.strip())

    def shown(person: User) -> bool:
        if folded and not any(
            folded in _fold(value) for value in (person.username, person.full_name, person.email)
        ):
            return False
        if unit_id is not None and person.unit_id != unit_id:
            return False
        if role and person.role != role:
            return False
        if status == ACTIVE:
            return person.is_active
        if status == INACTIVE:
            return not person.is_active
        if status == NO_PASSWORD:
            return person.is_active and not _has_password(person)
        return True

    day = day or timezone.localdate()
    several = len(council_ids) > 1
    return PeopleList(
        rows=[
            PersonRow(
                person=person,
                has_password=_has_password(person),
                can_change=access.can_change_person(actor, person),
                council_code=person.unit.council.code if several and person.unit else "",
                unit_closed=person.unit.active_until
                if person.unit and person.unit.active_until and person.unit.active_until < day
                else None,
            )
            for person in people
            if shown(person)
        ],
        total=total,
        inactive=inactive,
        without_password=without_password,
    )


def person_history(person: User) -> list[AuditEntry]:
    """The changes of this account (context ``user:<id>``), the latest first."""
    return list(
        AuditEntry.objects.filter(context=f"user:{person.pk}").order_by("-created_at", "-pk")[
            :HISTORY_LENGTH
        ]
    )
