"""Who may see, edit, create and copy criteria sets, and import a workbook."""

from __future__ import annotations

from collections.abc import Collection

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404

from blocs import access as bloc_access
from blocs.access import AnyUser
from blocs.models import BlocYear, Council, User
from scoring.access.results import PUBLISHED_STATES
from scoring.models import CriteriaSet, ScoringSeason


def can_edit_criteria_set(user: AnyUser, criteria_set: CriteriaSet) -> bool:
    """Before scoring opens: council admins, and the secretariat of the set's own bloc-year."""
    if criteria_set.is_frozen:
        return False
    if bloc_access.is_council_admin(user, criteria_set.council_id):
        return True
    return criteria_set.bloc_year is not None and bloc_access.is_secretariat(
        user, criteria_set.bloc_year
    )


def can_see_criteria_set(user: AnyUser, criteria_set: CriteriaSet) -> bool:
    """Criteria are agreed and signed by all members: any signed-in person. Everybody, signed
    in or not, once a bloc-year scored with them has published its results for good: the
    public reads the ranking, and the criteria it was scored against with it."""
    if isinstance(user, User) and user.is_authenticated:
        return True
    return criteria_set_is_public(criteria_set.pk)


def criteria_set_is_public(set_id: int) -> bool:
    """A bloc-year scored with this set has published its results for good."""
    return ScoringSeason.objects.filter(
        criteria_set_id=set_id, bloc_year__state__in=PUBLISHED_STATES
    ).exists()


def get_criteria_set_for_user(
    request: HttpRequest, set_id: int, *, write: bool = False
) -> CriteriaSet:
    criteria_set = get_object_or_404(
        CriteriaSet.objects.select_related("council", "bloc_year__bloc"), pk=set_id
    )
    if not can_see_criteria_set(request.user, criteria_set):
        raise Http404
    if write and not can_edit_criteria_set(request.user, criteria_set):
        raise PermissionDenied
    return criteria_set


# Who may do what with criteria sets on the list, the new-set and the copy pages.


def criteria_set_council_ids(user: User) -> frozenset[int] | None:
    """Councils whose sets the list shows; None for a superuser (every council)."""
    if user.is_superuser:
        return None
    managed = bloc_access.managed_council_ids(user)
    if managed:
        return managed
    if user.unit is None:
        return frozenset()
    return bloc_access.council_and_predecessors(user.unit.council_id)


def criteria_set_bloc_years(user: User, council_id: int | None = None) -> QuerySet[BlocYear]:
    """Bloc-years a set may be made for: all of an admin's councils, or the secretariat's own."""
    bloc_years = BlocYear.objects.select_related("bloc").order_by("-year", "bloc__name")
    if not user.is_superuser:
        bloc_years = bloc_years.filter(
            Q(bloc__council_id__in=bloc_access.managed_council_ids(user))
            | Q(pk__in=bloc_access.secretariat_bloc_year_ids(user))
        )
    if council_id is not None:
        bloc_years = bloc_years.filter(bloc__council_id=council_id)
    return bloc_years


def clone_council_ids(user: User) -> frozenset[int] | None:
    """Councils whose sets this person may copy; None for a superuser (every council)."""
    if user.is_superuser:
        return None
    managed = bloc_access.managed_council_ids(user)
    if managed:
        return managed
    secretariat = bloc_access.secretariat_bloc_year_ids(user)
    if not secretariat:
        return frozenset()
    return frozenset(
        BlocYear.objects.filter(pk__in=secretariat).values_list("bloc__council_id", flat=True)
    )


def can_clone_criteria_set(council_ids: frozenset[int] | None, criteria_set: CriteriaSet) -> bool:
    """``council_ids`` is ``clone_council_ids`` of the person."""
    return council_ids is None or criteria_set.council_id in council_ids


def can_create_criteria_set(user: User) -> bool:
    return bloc_access.administers_any_council(user) or bool(
        bloc_access.secretariat_bloc_year_ids(user)
    )


def new_set_for_bloc_year_only(user: User) -> bool:
    """A secretariat (who administers no council) makes a set only for its own bloc-year."""
    return not bloc_access.administers_any_council(user)


def new_set_councils(user: User) -> QuerySet[Council]:
    """Councils a council admin may make a set for (every council for a superuser)."""
    if user.is_superuser:
        return Council.objects.all()
    return Council.objects.filter(pk__in=bloc_access.managed_council_ids(user))


def clone_bloc_years(user: User, source: CriteriaSet) -> tuple[QuerySet[BlocYear], bool]:
    """The bloc-years of the source's council a copy may be made for, and whether it must be
    for one of them: a council admin may also copy for the whole council, a secretariat only
    for its own bloc-year; 403 for others."""
    is_admin = bloc_access.is_council_admin(user, source.council_id)
    bloc_years = criteria_set_bloc_years(user, source.council_id)
    if not is_admin and not bloc_years.exists():
        raise PermissionDenied
    return bloc_years, not is_admin


def can_unfreeze_criteria_set(user: AnyUser, criteria_set: CriteriaSet) -> bool:
    """Unfreezing a set scoring has started with is a council admin's act."""
    return bloc_access.is_council_admin(user, criteria_set.council_id)


def importable_council_ids(user: User) -> Collection[int] | None:
    """Councils this person may import a workbook into (None: any, and may create one); 403
    for others."""
    if user.is_superuser:
        return None
    managed = bloc_access.managed_council_ids(user)
    if not managed:
        raise PermissionDenied
    return managed


def importable_councils(allowed: Collection[int] | None) -> QuerySet[Council]:
    """The councils of ``importable_council_ids``, by name (every council for None)."""
    councils = Council.objects.order_by("name")
    if allowed is not None:
        councils = councils.filter(pk__in=list(allowed))
    return councils
