"""Who is told about what.

* The bloc secretariat of a bloc-year: the focal points of its head and deputy units and the
  people a council admin assigned to it. This is the rule of
  ``blocs.access.secretariat_bloc_year_ids`` read the other way round (from a bloc-year to its
  people, for many bloc-years in two queries); ``tests/notifications/test_recipients.py``
  checks that both agree.
* A unit's focal points: the active people of the unit with the focal-point role.
* The members of a bloc-year: the focal points of every member unit (head and deputy too).
* A council's leaders: the active leaders of the council and of every council that succeeded
  it (they see its blocs: ``blocs.access.leader_council_ids`` read the other way round).
* A council's admins: the active council admins of the council and of every council that
  succeeded it (they manage its archive: ``blocs.access.managed_council_ids`` read the other
  way round).

Only active accounts are returned. Everything returns ids, so callers can combine and subtract
sets (a person never hears about what they just did).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from blocs.models import BlocYear, Council, Membership, User

SECRETARIAT_ROLES = [Membership.Role.HEAD, Membership.Role.DEPUTY]


def secretariat_ids_by_bloc_year(bloc_year_ids: Iterable[int]) -> dict[int, set[int]]:
    """The secretariat of each bloc-year, in two queries whatever their number."""
    ids = list(bloc_year_ids)
    result: dict[int, set[int]] = defaultdict(set)
    if not ids:
        return result
    for bloc_year_id, user_id in Membership.objects.filter(
        bloc_year_id__in=ids,
        role__in=SECRETARIAT_ROLES,
        unit__staff__role=User.Role.FOCAL_POINT,
        unit__staff__is_active=True,
    ).values_list("bloc_year_id", "unit__staff__id"):
        result[bloc_year_id].add(user_id)
    assigned = BlocYear.secretaries.through.objects.filter(
        blocyear_id__in=ids, user__role=User.Role.FOCAL_POINT, user__is_active=True
    ).values_list("blocyear_id", "user_id")
    for bloc_year_id, user_id in assigned:
        result[bloc_year_id].add(user_id)
    return result


def secretariat_ids(bloc_year_id: int) -> set[int]:
    return set(secretariat_ids_by_bloc_year([bloc_year_id]).get(bloc_year_id, set()))


def focal_point_ids_by_unit(unit_ids: Iterable[int]) -> dict[int, set[int]]:
    """The focal points of each unit, in one query."""
    ids = list(unit_ids)
    result: dict[int, set[int]] = defaultdict(set)
    if not ids:
        return result
    for unit_id, user_id in User.objects.filter(
        unit_id__in=ids, role=User.Role.FOCAL_POINT, is_active=True
    ).values_list("unit_id", "id"):
        result[unit_id].add(user_id)
    return result


def focal_point_ids(unit_id: int) -> set[int]:
    return set(focal_point_ids_by_unit([unit_id]).get(unit_id, set()))


def council_admin_ids(council_id: int) -> set[int]:
    """The admins of a council: its own and those of the councils that succeeded it, in two
    queries."""
    return set(
        User.objects.filter(
            role=User.Role.COUNCIL_ADMIN,
            is_active=True,
            unit__council_id__in=_successors(council_id),
        ).values_list("id", flat=True)
    )


def member_focal_point_ids(bloc_year_id: int) -> set[int]:
    """The focal points of every member of a bloc-year (head and deputy included), in one
    query."""
    return set(
        User.objects.filter(
            unit__memberships__bloc_year_id=bloc_year_id,
            role=User.Role.FOCAL_POINT,
            is_active=True,
        ).values_list("id", flat=True)
    )


def leader_ids(council_id: int) -> set[int]:
    """The leaders who see a council's blocs: those of the council and of every council that
    succeeded it (``blocs.access.leader_council_ids`` read the other way round), in two
    queries."""
    return set(
        User.objects.filter(
            role=User.Role.LEADER, is_active=True, unit__council_id__in=_successors(council_id)
        ).values_list("id", flat=True)
    )


def _successors(council_id: int) -> set[int]:
    """The council and every council that succeeded it, in one query."""
    successor_of = dict(Council.objects.values_list("id", "successor_id"))
    councils: set[int] = set()
    current: int | None = council_id
    while current is not None and current not in councils:
        councils.add(current)
        current = successor_of.get(current)
    return councils
