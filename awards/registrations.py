"""What the registration pages read: each member of a bloc-year with its emulation registration
(đăng ký thi đua), in a fixed number of queries."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Prefetch

from awards import access
from awards.models import AwardType, Registration
from blocs.access import AnyUser
from blocs.models import BlocYear, Membership
from common.collation import vietnamese_sort_key


@dataclass
class RegistrationRow:
    unit_id: int
    name: str
    registration: Registration | None
    awards: list[str] = field(default_factory=list)  # the registered awards' names, highest first
    may_edit: bool = False


def registration_rows(user: AnyUser, bloc_year: BlocYear) -> list[RegistrationRow]:
    """Every member in the Vietnamese order of its name that year, with its registration (or
    none)."""
    year = bloc_year.year
    registrations = {
        registration.unit_id: registration
        for registration in Registration.objects.filter(bloc_year=bloc_year)
        .select_related("registered_by")
        .prefetch_related(Prefetch("awards", queryset=AwardType.objects.order_by("order", "pk")))
    }
    memberships = (
        Membership.objects.filter(bloc_year=bloc_year)
        .select_related("unit")
        .prefetch_related("unit__former_names")
    )
    rows = []
    for membership in memberships:
        registration = registrations.get(membership.unit_id)
        rows.append(
            RegistrationRow(
                unit_id=membership.unit_id,
                name=membership.unit.name_in_year(year),
                registration=registration,
                awards=[award.name for award in registration.awards.all()]
                if registration is not None
                else [],
                may_edit=access.can_register(user, membership.unit_id, bloc_year),
            )
        )
    return sorted(rows, key=lambda row: vietnamese_sort_key(row.name))
