"""Events of the results: provisional and final publication, a complaint lodged."""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from blocs.models import BlocYear, User
from notifications import recipients
from notifications.events.deferred import after_commit, load_bloc_year, pk_of, short_date
from notifications.models import Notification
from notifications.services import notify
from scoring.models import Complaint, Publication


def results_provisional(bloc_year: BlocYear, *, by: User | None) -> None:
    """The finalized ranking is shown to the members and the complaint window opens: tell the
    members' focal points and the council's leaders."""
    after_commit(_results_published, bloc_year.pk, "provisional", pk_of(by))


def results_published(bloc_year: BlocYear, *, by: User | None) -> None:
    """The ranking is published for good: tell the members' focal points and the leaders."""
    after_commit(_results_published, bloc_year.pk, "published", pk_of(by))


def complaint_lodged(complaint: Complaint, *, by: User | None) -> None:
    """A member complained about the provisional results: tell the bloc secretariat."""
    after_commit(_complaint_lodged, complaint.pk, pk_of(by))


def complaint_answered(complaint: Complaint, *, by: User | None) -> None:
    """The secretariat answered a complaint: tell the unit that lodged it."""
    after_commit(_complaint_answered, complaint.pk, pk_of(by))


def ranking_rules_changed(bloc_year: BlocYear, *, by: User | None, reason: str) -> None:
    """The ranking rules changed after scoring opened: tell the members and the secretariat."""
    after_commit(_ranking_rules_changed, bloc_year.pk, pk_of(by), reason)


def _ranking_url(bloc_year: BlocYear) -> str:
    return reverse("scoring:ranking", args=[bloc_year.bloc_id, bloc_year.year])


def _results_published(bloc_year_id: int, step: str, by_id: int | None) -> None:
    bloc_year = load_bloc_year(bloc_year_id)
    names: dict[str, object] = {"bloc": bloc_year.bloc.name, "year": bloc_year.year}
    people = recipients.member_focal_point_ids(bloc_year_id) | recipients.leader_ids(
        bloc_year.bloc.council_id
    )
    if step == "provisional":
        publication = Publication.objects.get(bloc_year_id=bloc_year_id)
        deadline = publication.complaint_deadline
        names["day"] = short_date(deadline) if deadline else ""
        kind = Notification.Kind.RESULTS_PROVISIONAL
        # The key names the complaint deadline: a window opened again is a new event.
        key = f"bloc-year:{bloc_year_id}:provisional:{deadline or ''}"
        title = _("Kết quả thi đua năm %(year)s của %(bloc)s đã công bố tạm thời") % names
        body = (
            _(
                "Kết quả xếp hạng năm %(year)s của %(bloc)s đã chốt và công bố tạm thời cho các "
                "thành viên. Thành viên xem kết quả và gửi khiếu nại (nếu có) đến hết ngày "
                "%(day)s."
            )
            if deadline
            else _(
                "Kết quả xếp hạng năm %(year)s của %(bloc)s đã chốt và công bố tạm thời cho các "
                "thành viên. Thành viên xem kết quả và gửi khiếu nại (nếu có)."
            )
        ) % names
    else:
        kind = Notification.Kind.RESULTS_PUBLISHED
        key = f"bloc-year:{bloc_year_id}:published"
        title = _("Kết quả thi đua năm %(year)s của %(bloc)s đã công bố chính thức") % names
        body = (
            _(
                "Kết quả xếp hạng năm %(year)s của %(bloc)s đã công bố chính thức. Khối bỏ "
                "phiếu kín và lập đề nghị khen thưởng theo kết quả này."
            )
            % names
        )
    notify(
        recipients=people - {by_id},
        kind=kind,
        event_key=key,
        title=title,
        body=body,
        url=_ranking_url(bloc_year),
    )


def _complaint_lodged(complaint_id: int, by_id: int | None) -> None:
    complaint = (
        Complaint.objects.select_related("bloc_year__bloc", "unit", "about_unit")
        .prefetch_related("unit__former_names", "about_unit__former_names")
        .get(pk=complaint_id)
    )
    bloc_year = complaint.bloc_year
    codes = sorted(complaint.criteria.values_list("code", flat=True))
    names = {
        "unit": complaint.unit.name_in_year(bloc_year.year),
        "about": complaint.about_unit.name_in_year(bloc_year.year),
        "bloc": bloc_year.bloc.name,
        "year": bloc_year.year,
        "codes": ", ".join(codes),
    }
    # The complaining unit's own people are not told (the head may complain too).
    people = (
        recipients.secretariat_ids(bloc_year.pk)
        - recipients.focal_point_ids(complaint.unit_id)
        - {by_id}
    )
    notify(
        recipients=people,
        kind=Notification.Kind.COMPLAINT_LODGED,
        event_key=f"complaint:{complaint_id}:lodged",
        title=_("%(unit)s khiếu nại kết quả năm %(year)s") % names,
        body=_(
            "%(unit)s khiếu nại về điểm của %(about)s (%(bloc)s, năm %(year)s), tiêu chí "
            "%(codes)s. Thư ký khối trả lời khiếu nại trước khi công bố chính thức."
        )
        % names,
        url=reverse("scoring:complaints", args=[bloc_year.bloc_id, bloc_year.year]),
    )


def _complaint_answered(complaint_id: int, by_id: int | None) -> None:
    complaint = (
        Complaint.objects.select_related("bloc_year__bloc", "unit", "about_unit")
        .prefetch_related("unit__former_names", "about_unit__former_names")
        .get(pk=complaint_id)
    )
    bloc_year = complaint.bloc_year
    names = {
        "about": complaint.about_unit.name_in_year(bloc_year.year),
        "bloc": bloc_year.bloc.name,
        "year": bloc_year.year,
        "answer": complaint.answer,
    }
    accepted = complaint.status == Complaint.Status.ACCEPTED
    notify(
        recipients=recipients.focal_point_ids(complaint.unit_id) - {by_id},
        kind=Notification.Kind.COMPLAINT_ANSWERED,
        event_key=f"complaint:{complaint_id}:answered",
        title=(
            _("Khiếu nại về điểm của %(about)s đã được chấp nhận")
            if accepted
            else _("Khiếu nại về điểm của %(about)s không được chấp nhận")
        )
        % names,
        body=(
            _(
                "Thư ký khối đã chấp nhận khiếu nại của đơn vị về điểm của %(about)s (%(bloc)s, "
                "năm %(year)s). Trả lời: %(answer)s"
            )
            if accepted
            else _(
                "Thư ký khối không chấp nhận khiếu nại của đơn vị về điểm của %(about)s "
                "(%(bloc)s, năm %(year)s). Lý do: %(answer)s"
            )
        )
        % names,
        url=reverse("scoring:complaint", args=[bloc_year.bloc_id, bloc_year.year, complaint_id]),
    )


def _ranking_rules_changed(bloc_year_id: int, by_id: int | None, reason: str) -> None:
    bloc_year = load_bloc_year(bloc_year_id)
    names = {"bloc": bloc_year.bloc.name, "year": bloc_year.year, "reason": reason}
    people = (
        recipients.member_focal_point_ids(bloc_year_id) | recipients.secretariat_ids(bloc_year_id)
    ) - {by_id}
    # Each change is its own event: the key names the moment it is told.
    moment = timezone.now().strftime("%Y%m%d%H%M%S%f")
    notify(
        recipients=people,
        kind=Notification.Kind.RULES_CHANGED,
        event_key=f"bloc-year:{bloc_year_id}:rules:{moment}",
        title=_("Quy tắc xếp hạng năm %(year)s của %(bloc)s đã thay đổi") % names,
        body=_(
            "Thư ký khối đã thay đổi quy tắc xếp hạng (tiêu chí phụ khi bằng điểm, bảng xếp "
            "loại) của %(bloc)s năm %(year)s sau khi đã mở chấm điểm. Lý do: %(reason)s"
        )
        % names,
        url=bloc_year.get_absolute_url(),
    )
