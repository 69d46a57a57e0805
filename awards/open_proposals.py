"""Which proposals are still open: not in a final state (docs/awards.md, "Open proposals").

A proposal is **final** when it is rejected, or approved *with* its decision recorded; every
other proposal is open: a draft, submitted, returned for completion, or approved and waiting
for the decision. This is the one definition; pages that warn about open proposals (opening
next year of a bloc) read it here.
"""

from __future__ import annotations

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from awards.models import Proposal
from blocs.models import BlocYear

OPEN_STATUSES = (
    Proposal.Status.DRAFT,
    Proposal.Status.SUBMITTED,
    Proposal.Status.RETURNED,
    Proposal.Status.APPROVED,
)


def open_filter() -> Q:
    """Open proposals: a draft, submitted, returned, or approved without its decision; final
    ones (rejected, or approved with the decision) are left out."""
    return Q(status__in=OPEN_STATUSES) & ~Q(status=Proposal.Status.APPROVED, decision__isnull=False)


def open_proposals(bloc_year: BlocYear) -> list[Proposal]:
    """The open proposals of a bloc-year, with the unit (and its names) and the award, in the
    order of the proposals page: by award, then rank."""
    return list(
        Proposal.objects.filter(open_filter(), bloc_year=bloc_year)
        .select_related("unit", "award_type")
        .prefetch_related("unit__former_names")
        .order_by("award_type__order", "rank", "pk")
    )


def open_label(proposal: Proposal) -> str:
    """The status of an open proposal as the warning says it."""
    if proposal.status == Proposal.Status.APPROVED:
        return str(_("Đã duyệt, chờ quyết định khen thưởng"))
    return str(proposal.get_status_display())
