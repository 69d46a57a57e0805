"""Publication of the finalized ranking: provisional to the members with a complaint window,
then for good to the members and the public."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from blocs.audit import audit_record
from blocs.models import BlocYear, User
from notifications import events as notification_events
from scoring.models import Complaint, Publication
from scoring.services.ranking.state import move_state, ranking_context
from scoring.services.sheets import StateError

DEFAULT_COMPLAINT_DAYS = 5


@transaction.atomic
def publish_provisional(
    *,
    bloc_year: BlocYear,
    by: User | None,
    days: int = DEFAULT_COMPLAINT_DAYS,
    today: datetime.date | None = None,
) -> Publication:
    """Show the finalized ranking to the members and open the complaint window."""
    if not 1 <= days <= 60:
        raise ValidationError({"days": _("Thời hạn khiếu nại từ 1 đến 60 ngày.")})
    move_state(bloc_year, [BlocYear.State.FINALIZED], BlocYear.State.PROVISIONAL)
    today = today or timezone.localdate()
    publication, _created = Publication.objects.get_or_create(bloc_year=bloc_year)
    publication.provisional_at = timezone.now()
    publication.provisional_by = by
    publication.complaint_deadline = today + datetime.timedelta(days=days)
    publication.save()
    audit_record(
        actor=by,
        bloc_year=bloc_year,
        context=ranking_context(bloc_year),
        action="ranking.publish_provisional",
        summary=_("Công bố tạm thời cho các thành viên; nhận khiếu nại đến hết ngày %(day)s")
        % {"day": publication.complaint_deadline.strftime("%d/%m/%Y")},
    )
    notification_events.results_provisional(bloc_year, by=by)  # the complaint window opens
    return publication


@transaction.atomic
def publish_final(
    *, bloc_year: BlocYear, by: User | None, today: datetime.date | None = None
) -> Publication:
    """Publish to members and the public once the window closed and every complaint is answered."""
    publication = Publication.objects.select_for_update().get(bloc_year=bloc_year)
    today = today or timezone.localdate()
    if publication.complaint_deadline and today <= publication.complaint_deadline:
        raise StateError(
            _("Còn trong thời hạn khiếu nại (đến hết ngày %(day)s).")
            % {"day": publication.complaint_deadline.strftime("%d/%m/%Y")}
        )
    if Complaint.objects.filter(bloc_year=bloc_year, status=Complaint.Status.OPEN).exists():
        raise StateError(_("Còn khiếu nại chưa trả lời."))
    move_state(bloc_year, [BlocYear.State.PROVISIONAL], BlocYear.State.PUBLISHED)
    publication.final_at = timezone.now()
    publication.final_by = by
    publication.save(update_fields=["final_at", "final_by"])
    audit_record(
        actor=by,
        bloc_year=bloc_year,
        context=ranking_context(bloc_year),
        action="ranking.publish_final",
        summary=_("Công bố chính thức kết quả xếp hạng"),
    )
    notification_events.results_published(bloc_year, by=by)
    return publication
