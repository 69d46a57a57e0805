"""Who may see or change what in the organisation.

Every view asks here; a template never decides. The organisation itself (councils, blocs,
members, heads and deputies) is public. Rights to change a bloc-year belong to:

* council admins of the bloc's council, or of a council that succeeded it (the successor
  inherits the archive of a merged council);
* the bloc secretariat of that year: focal points of the head and deputy units, and people
  the council admin assigned explicitly. Rights go with the year, not with the unit: the 2020
  head runs the 2020 year — its conference early in 2021, the ballot, the proposals, the
  documents — and has no right on 2021, which belongs to the 2021 head. A year's secretariat
  works on it **until the year's decisions are recorded** (the year is then "decided"): from
  then on the year is history, which it reads as any member does, and only a council admin
  changes it, with a reason (``can_change_bloc_year``; docs/decisions.md).

The search (docs/search.md) finds units and blocs for everybody, the organisation being public;
people only for those who administer them (``visible_people``).
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext

from blocs.models import Bloc, BlocYear, Council, Membership, User
from common.db.compiled import compiled_rows

AnyUser = User | AnonymousUser


def council_and_predecessors(council_id: int) -> frozenset[int]:
    """A council and every council it succeeded, directly or through a chain of mergers."""
    successor_of = dict(Council.objects.values_list("id", "successor_id"))
    result = {council_id}
    changed = True
    while changed:
        changed = False
        for candidate, successor_id in successor_of.items():
            if successor_id in result and candidate not in result:
                result.add(candidate)
                changed = True
    return frozenset(result)


def managed_council_ids(user: AnyUser) -> frozenset[int]:
    """Councils a council admin manages: their own and every council it succeeded."""
    if not isinstance(user, User) or user.role != User.Role.COUNCIL_ADMIN or user.unit is None:
        return frozenset()
    cached: frozenset[int] | None = getattr(user, "_managed_council_ids", None)
    if cached is None:
        cached = council_and_predecessors(user.unit.council_id)
        setattr(user, "_managed_council_ids", cached)  # noqa: B010 - a per-request cache
    return cached


def is_council_admin(user: AnyUser, council_id: int) -> bool:
    return user.is_authenticated and (user.is_superuser or council_id in managed_council_ids(user))


def administers_any_council(user: AnyUser) -> bool:
    """A superuser, or the admin of at least one council."""
    return user.is_superuser or bool(managed_council_ids(user))


def dashboard_council_ids(user: AnyUser) -> frozenset[int]:
    """The councils whose dashboard this person sees: a leader's council and its predecessors,
    the councils a council admin manages; every council for a superuser."""
    if user.is_superuser:
        return frozenset(Council.objects.values_list("id", flat=True))
    return leader_council_ids(user) | managed_council_ids(user)


def can_look_up_people(user: AnyUser) -> bool:
    """Search people: a superuser, and the admins of a council."""
    return administers_any_council(user)


def visible_people(user: AnyUser) -> QuerySet[User]:
    """The people a person may look up: the people of the councils a council admin manages
    (those the admin's list of people shows, ``blocs.admin``), everybody for a superuser,
    nobody for anyone else."""
    if user.is_superuser:
        return User.objects.all()
    councils = managed_council_ids(user)
    if not councils:
        return User.objects.none()
    return User.objects.filter(unit__council_id__in=councils)


def is_leader(user: AnyUser) -> bool:
    return isinstance(user, User) and user.role == User.Role.LEADER


def leader_council_ids(user: AnyUser) -> frozenset[int]:
    """Councils whose proposals and dashboards a leader sees: their own and its predecessors."""
    if not isinstance(user, User) or user.role != User.Role.LEADER or user.unit is None:
        return frozenset()
    return council_and_predecessors(user.unit.council_id)


def secretariat_bloc_year_ids(user: AnyUser) -> frozenset[int]:
    """Bloc-years in which this person works as the bloc secretariat."""
    if not isinstance(user, User) or user.role != User.Role.FOCAL_POINT:
        return frozenset()
    cached: frozenset[int] | None = getattr(user, "_secretariat_bloc_year_ids", None)
    if cached is not None:
        return cached
    if user.unit_id is None:
        ids = frozenset(
            BlocYear.secretaries.through.objects.filter(user_id=user.pk).values_list(
                "blocyear_id", flat=True
            )
        )
    else:
        # Asked by nearly every page a focal point opens: compiled once (common.db.compiled).
        rows = compiled_rows(_secretariat_rows, unit_id=user.unit_id, user_id=user.pk)
        ids = frozenset(bloc_year_id for (bloc_year_id,) in rows)
    setattr(user, "_secretariat_bloc_year_ids", ids)  # noqa: B010 - a per-request cache
    return ids


def _secretariat_rows(unit_id: int, user_id: int) -> QuerySet[Any, Any]:
    """The bloc-years a unit leads (head or deputy) and those a person was named secretary of:
    two plain reads in one statement, each through its own index (one read of the bloc-years
    joined to both, made distinct and sorted, read every bloc-year of the province: 22 ms
    with 2,000 of them on SQLite)."""
    leading = Membership.objects.filter(
        role__in=[Membership.Role.HEAD, Membership.Role.DEPUTY], unit_id=unit_id
    )
    return (
        leading.order_by()
        .values_list("bloc_year_id")
        .union(
            BlocYear.secretaries.through.objects.filter(user_id=user_id)
            .order_by()
            .values_list("blocyear_id")
        )
    )


def is_secretariat(user: AnyUser, bloc_year: BlocYear) -> bool:
    return bloc_year.pk in secretariat_bloc_year_ids(user)


def can_manage_bloc_year(user: AnyUser, bloc_year: BlocYear) -> bool:
    """Work as the year's managers see it: the council's admins, and the year's secretariat
    (what it may still *change* is ``can_change_bloc_year``)."""
    return is_council_admin(user, bloc_year.bloc.council_id) or is_secretariat(user, bloc_year)


def may_act_after_due(user: User | None, bloc_year: BlocYear, unit_id: int) -> bool:
    """Who may still enter or send a unit's self-assessment after its deadline: the bloc
    secretariat entering it on the unit's behalf (never for its own unit) and council admins.
    ``None`` is the system (imports of past years, the demo)."""
    if user is None:
        return True
    if user.role == User.Role.FOCAL_POINT and user.unit_id == unit_id:
        return False
    return can_manage_bloc_year(user, bloc_year)


def can_change_bloc_year(user: AnyUser, bloc_year: BlocYear) -> bool:
    """Open the year, edit members and deadlines, run scoring, the ballot, the proposals and
    the conference's documents: the council's admins always; the year's secretariat until the
    year's decisions are recorded."""
    if is_council_admin(user, bloc_year.bloc.council_id):
        return True
    return bloc_year.state != BlocYear.State.DECIDED and is_secretariat(user, bloc_year)


def can_open_next_year(user: AnyUser, bloc_year: BlocYear) -> bool:
    """Open year N+1 of a bloc from year N, choosing its members, head and deputy: the admins
    of the bloc's council (or of its successor). Not the year's secretariat: the members of a
    bloc are the council's decision, and a unit moved in is taken from the council's units."""
    return is_council_admin(user, bloc_year.bloc.council_id)


def get_council(code: str) -> Council:
    return get_object_or_404(Council.objects.select_related("successor"), code=code)


def get_council_for_admin(request: HttpRequest, code: str) -> Council:
    """The council (public, so 404 only if unknown); 403 unless this person administers it."""
    council = get_council(code)
    if not is_council_admin(request.user, council.pk):
        raise PermissionDenied
    return council


def get_bloc(bloc_id: int) -> Bloc:
    return get_object_or_404(Bloc.objects.select_related("council"), pk=bloc_id)


def get_bloc_year_for_user(
    request: HttpRequest, bloc_id: int, year: int, *, write: bool = False
) -> BlocYear:
    """The bloc-year, or 404; with ``write``, 403 unless the person may manage it."""
    bloc_year = get_object_or_404(
        BlocYear.objects.select_related("bloc__council"), bloc_id=bloc_id, year=year
    )
    if write and not can_change_bloc_year(request.user, bloc_year):
        raise PermissionDenied
    return bloc_year


# ---------------------------------------------------------------------------- people


def people_council_ids(council: Council) -> frozenset[int]:
    """The councils whose people a council's people pages list: the council and every council
    it succeeded (their archive, and the people still in their units, are its admins')."""
    return council_and_predecessors(council.pk)


def can_change_person(user: AnyUser, person: User) -> bool:
    """A council admin changes the people of the councils they manage; a superuser's account
    only a superuser changes (and nobody makes one on these pages)."""
    if person.unit is None or (person.is_superuser and not user.is_superuser):
        return False
    return is_council_admin(user, person.unit.council_id)


def get_person_for_admin(request: HttpRequest, council: Council, user_id: int) -> User:
    """A person of the council's people pages (404 when not one of them); 403 unless this
    person may change them. The council comes from ``get_council_for_admin``."""
    person = get_object_or_404(
        User.objects.select_related("unit__council"),
        pk=user_id,
        unit__council__in=people_council_ids(council),
    )
    if not can_change_person(request.user, person):
        raise PermissionDenied
    return person


def lockout_problems(
    actor: User, person: User, *, role: str, unit_council_id: int | None, is_active: bool
) -> dict[str, str]:
    """What a change of one's own account would lock one out of, by form field: nobody
    deactivates themself; a council admin keeps the role and every council they manage now
    (a move to a unit of a council that succeeded theirs is fine, one to another council is
    not). A superuser's rights do not depend on the role or the unit. Empty for a change of
    somebody else."""
    if actor.pk != person.pk:
        return {}
    problems: dict[str, str] = {}
    if not is_active:
        problems["is_active"] = gettext(
            "Bạn không thể tự khóa tài khoản của mình; hãy nhờ một quản trị viên khác."
        )
    if actor.is_superuser:
        return problems
    if role != User.Role.COUNCIL_ADMIN:
        problems["role"] = gettext(
            "Bạn không thể tự bỏ vai trò quản trị của mình: bạn sẽ không vào lại được các trang "
            "này. Hãy nhờ một quản trị viên khác."
        )
    kept = council_and_predecessors(unit_council_id) if unit_council_id else frozenset()
    if not managed_council_ids(actor) <= kept:
        problems["unit"] = gettext(
            "Chuyển sang đơn vị này, bạn sẽ không còn quản trị hội đồng hiện nay. Hãy nhờ một "
            "quản trị viên của hội đồng mới chuyển bạn."
        )
    return problems
