"""Who a person is to a bloc-year: their unit, and the year's member units."""

from __future__ import annotations

from blocs.access import AnyUser
from blocs.models import BlocYear, User


def unit_id_of(user: AnyUser) -> int | None:
    return user.unit_id if isinstance(user, User) else None


def member_unit_ids(bloc_year: BlocYear) -> set[int]:
    cached: set[int] | None = getattr(bloc_year, "_member_unit_ids", None)
    if cached is None:
        cached = set(bloc_year.memberships.values_list("unit_id", flat=True))
        setattr(bloc_year, "_member_unit_ids", cached)  # noqa: B010 - a per-request cache
    return cached


def is_member_focal_point(user: AnyUser, bloc_year: BlocYear) -> bool:
    """A focal point of one of the bloc-year's members."""
    return (
        isinstance(user, User)
        and user.role == User.Role.FOCAL_POINT
        and user.unit_id is not None
        and user.unit_id in member_unit_ids(bloc_year)
    )
