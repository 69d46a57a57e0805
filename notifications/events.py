"""The events other apps announce, one function each, called from their services.

A service calls, inside its transaction, e.g. ``notification_events.sheet_submitted(sheet,
by=by)``. The function only captures ids (and the version, which makes the event key: a sheet
submitted, returned and submitted again is two events) and defers the rest to
``transaction.on_commit``: after the commit it reads who should be told, writes the texts in
Vietnamese and calls ``services.notify``. The service's own queries, and its query budget,
are untouched; a rollback sends nothing; an error here is logged, never raised into the action.

Dependency direction: ``notifications`` reads ``blocs``, ``scoring`` and ``awards`` models;
scoring and awards services import only this module (docs/notifications.md).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from typing import Any

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from awards.models import Decision, Proposal
from blocs.models import BlocYear, User
from notifications import recipients
from notifications.models import Notification
from notifications.services import notify
from scoring.models import (
    Complaint,
    Criterion,
    ExplanationRequest,
    Publication,
    ScoreLine,
    ScoreSheet,
)
from scoring.selectors.verification import column_url


def _after_commit(build: Callable[..., None], *args: Any) -> None:
    def build_after_commit() -> None:  # a named function: Django logs robust errors by name
        # Notifications are written once for every reader, in the app's default language.
        with translation.override(settings.LANGUAGE_CODE):
            build(*args)

    # robust: an error here is logged and never reaches the action that caused the event.
    transaction.on_commit(build_after_commit, robust=True)


def _pk(user: User | None) -> int | None:
    return user.pk if user is not None else None


def _short_date(value: Any) -> str:
    return date_format(value, "SHORT_DATE_FORMAT")


# ---------------------------------------------------------------------------- score sheets


def sheet_submitted(sheet: ScoreSheet, *, by: User | None) -> None:
    """A unit sent its self-assessment: tell the bloc secretariat (not the unit itself)."""
    _after_commit(_sheet_submitted, sheet.pk, sheet.version, _pk(by))


def sheet_returned(sheet: ScoreSheet, *, by: User | None) -> None:
    """The secretariat asked for explanations: tell the unit's focal points."""
    _after_commit(_sheet_returned, sheet.pk, sheet.version, _pk(by))


def sheet_verified(sheet: ScoreSheet, *, by: User | None) -> None:
    """The secretariat finished verifying: tell the unit's focal points."""
    _after_commit(_sheet_verified, sheet.pk, sheet.version, _pk(by))


def sheet_recalled(sheet: ScoreSheet, *, by: User | None) -> None:
    """A unit took back the self-assessment it sent: tell the bloc secretariat (not the unit)."""
    _after_commit(_sheet_recalled, sheet.pk, sheet.version, _pk(by))


def scores_waiting(sheet: ScoreSheet, *, by: User | None) -> None:
    """A sheet was submitted with lines someone outside the secretariat must score (the
    council's standing office, a department named on the criterion): tell them."""
    _after_commit(_scores_waiting, sheet.pk, sheet.version, _pk(by))


def sheet_entered_on_behalf(sheet: ScoreSheet, *, by: User | None) -> None:
    """The secretariat (or a council admin) entered a unit's self-assessment for it, from the
    paper sheet: tell the unit, once per sheet (the sheet is marked the first time only)."""
    _after_commit(_sheet_entered_on_behalf, sheet.pk, _pk(by))


def _load_sheet(sheet_id: int) -> ScoreSheet:
    return ScoreSheet.objects.select_related("bloc_year__bloc", "unit").get(pk=sheet_id)


def _sheet_names(sheet: ScoreSheet) -> dict[str, object]:
    bloc_year = sheet.bloc_year
    return {
        "unit": sheet.unit.name_in_year(bloc_year.year),
        "bloc": bloc_year.bloc.name,
        "year": bloc_year.year,
    }


def _sheet_submitted(sheet_id: int, version: int, by_id: int | None) -> None:
    sheet = _load_sheet(sheet_id)
    names = _sheet_names(sheet)
    # The unit's own people are not told (the head's sheet is verified by the deputy).
    people = (
        recipients.secretariat_ids(sheet.bloc_year_id)
        - recipients.focal_point_ids(sheet.unit_id)
        - {by_id}
    )
    notify(
        recipients=people,
        kind=Notification.Kind.SHEET_SUBMITTED,
        event_key=f"sheet:{sheet_id}:submitted:{version}",
        title=_("%(unit)s đã gửi bảng tự chấm năm %(year)s") % names,
        body=_(
            "%(unit)s đã gửi bảng tự chấm điểm thi đua năm %(year)s của %(bloc)s. "
            "Thư ký khối kiểm tra, thẩm định từng tiêu chí hoặc yêu cầu giải trình."
        )
        % names,
        url=sheet.get_absolute_url(),
    )


def _sheet_returned(sheet_id: int, version: int, by_id: int | None) -> None:
    sheet = _load_sheet(sheet_id)
    codes = sorted(
        set(
            ExplanationRequest.objects.filter(
                line__sheet_id=sheet_id, status=ExplanationRequest.Status.OPEN
            ).values_list("line__criterion__code", flat=True)
        )
    )
    names = {**_sheet_names(sheet), "count": len(codes), "codes": ", ".join(codes)}
    notify(
        recipients=recipients.focal_point_ids(sheet.unit_id) - {by_id},
        kind=Notification.Kind.SHEET_RETURNED,
        event_key=f"sheet:{sheet_id}:returned:{version}",
        title=_("Bảng tự chấm năm %(year)s cần giải trình") % names,
        body=ngettext(
            "Thư ký %(bloc)s đề nghị %(unit)s giải trình %(count)s tiêu chí của bảng tự chấm "
            "năm %(year)s: %(codes)s. Trả lời từng nội dung rồi gửi lại bảng điểm.",
            "Thư ký %(bloc)s đề nghị %(unit)s giải trình %(count)s tiêu chí của bảng tự chấm "
            "năm %(year)s: %(codes)s. Trả lời từng nội dung rồi gửi lại bảng điểm.",
            len(codes),
        )
        % names,
        url=sheet.get_absolute_url(),
    )


def _sheet_verified(sheet_id: int, version: int, by_id: int | None) -> None:
    sheet = _load_sheet(sheet_id)
    names = _sheet_names(sheet)
    notify(
        recipients=recipients.focal_point_ids(sheet.unit_id) - {by_id},
        kind=Notification.Kind.SHEET_VERIFIED,
        event_key=f"sheet:{sheet_id}:verified:{version}",
        title=_("Bảng điểm năm %(year)s đã được thẩm định") % names,
        body=_(
            "Thư ký %(bloc)s đã thẩm định xong bảng điểm năm %(year)s của %(unit)s. "
            "Điểm thẩm định và lý do điều chỉnh (nếu có) ghi ở từng tiêu chí."
        )
        % names,
        url=sheet.get_absolute_url(),
    )


def _sheet_recalled(sheet_id: int, version: int, by_id: int | None) -> None:
    sheet = _load_sheet(sheet_id)
    names = _sheet_names(sheet)
    people = (
        recipients.secretariat_ids(sheet.bloc_year_id)
        - recipients.focal_point_ids(sheet.unit_id)
        - {by_id}
    )
    notify(
        recipients=people,
        kind=Notification.Kind.SHEET_RECALLED,
        event_key=f"sheet:{sheet_id}:recalled:{version}",
        title=_("%(unit)s đã rút lại bảng tự chấm năm %(year)s") % names,
        body=_(
            "%(unit)s đã rút lại bảng tự chấm điểm thi đua năm %(year)s của %(bloc)s để sửa. "
            "Bảng chưa cần thẩm định; thư ký khối được báo lại khi đơn vị gửi lại."
        )
        % names,
        url=sheet.get_absolute_url(),
    )


def _sheet_entered_on_behalf(sheet_id: int, by_id: int | None) -> None:
    sheet = _load_sheet(sheet_id)
    names = _sheet_names(sheet)
    notify(
        recipients=recipients.focal_point_ids(sheet.unit_id) - {by_id},
        kind=Notification.Kind.SHEET_ON_BEHALF,
        event_key=f"sheet:{sheet_id}:on-behalf",
        title=_("Thư ký khối đã nhập thay bảng tự chấm năm %(year)s") % names,
        body=_(
            "Thư ký %(bloc)s đã nhập thay bảng tự chấm điểm năm %(year)s của %(unit)s từ bản "
            "giấy. Đơn vị kiểm tra lại từng tiêu chí; mọi thay đổi được ghi trong lịch sử của "
            "bảng điểm."
        )
        % names,
        url=sheet.get_absolute_url(),
    )


def _scores_waiting(sheet_id: int, version: int, by_id: int | None) -> None:
    lines = list(
        ScoreLine.objects.filter(
            sheet_id=sheet_id,
            verified_value__isnull=True,
            not_applicable=False,
            criterion__scored_by__in=[Criterion.ScoredBy.COUNCIL, Criterion.ScoredBy.DEPARTMENT],
        )
        .select_related("criterion__scorer_unit")
        .prefetch_related("criterion__scorer_unit__former_names")
        .order_by("criterion__order", "criterion__pk")
    )
    if not lines:
        return  # nothing waits on anybody outside the secretariat
    sheet = ScoreSheet.objects.select_related("bloc_year__bloc__council", "unit").get(pk=sheet_id)
    bloc_year = sheet.bloc_year
    names = _sheet_names(sheet)
    admins: set[int] | None = None
    for line in lines:
        criterion = line.criterion
        # A department scores the criterion for every member but itself; the council's admins
        # score the council's lines and stand in for a department on its own line (or when
        # the department has nobody to tell).
        department = criterion.scorer_unit
        people: set[int] = set()
        if (
            criterion.scored_by == Criterion.ScoredBy.DEPARTMENT
            and department is not None
            and department.pk != sheet.unit_id
        ):
            people = recipients.focal_point_ids(department.pk)
            scorer = department.name_in_year(bloc_year.year)
        if not people:
            if admins is None:
                admins = recipients.council_admin_ids(bloc_year.bloc.council_id)
            people = admins
            scorer = _("Cơ quan thường trực %(council)s") % {"council": bloc_year.bloc.council.name}
        texts = {**names, "code": criterion.code, "title": criterion.title, "scorer": scorer}
        notify(
            recipients=people - {by_id},
            kind=Notification.Kind.SCORES_WAITING,
            event_key=f"sheet:{sheet_id}:scores-waiting:{version}:{criterion.pk}",
            title=_("%(unit)s chờ chấm tiêu chí %(code)s năm %(year)s") % texts,
            body=_(
                "%(unit)s (%(bloc)s) đã gửi bảng tự chấm năm %(year)s. Tiêu chí %(code)s – "
                "%(title)s do %(scorer)s chấm: nhập điểm để thư ký khối thẩm định xong bảng "
                "điểm. Trang chấm tiêu chí nhập được điểm của mọi đơn vị trong khối."
            )
            % texts,
            url=column_url(criterion, bloc_year),
        )


# ---------------------------------------------------------------------------- results


def results_provisional(bloc_year: BlocYear, *, by: User | None) -> None:
    """The finalized ranking is shown to the members and the complaint window opens: tell the
    members' focal points and the council's leaders."""
    _after_commit(_results_published, bloc_year.pk, "provisional", _pk(by))


def results_published(bloc_year: BlocYear, *, by: User | None) -> None:
    """The ranking is published for good: tell the members' focal points and the leaders."""
    _after_commit(_results_published, bloc_year.pk, "published", _pk(by))


def complaint_lodged(complaint: Complaint, *, by: User | None) -> None:
    """A member complained about the provisional results: tell the bloc secretariat."""
    _after_commit(_complaint_lodged, complaint.pk, _pk(by))


def _load_bloc_year(bloc_year_id: int) -> BlocYear:
    return BlocYear.objects.select_related("bloc").get(pk=bloc_year_id)


def _ranking_url(bloc_year: BlocYear) -> str:
    return reverse("scoring:ranking", args=[bloc_year.bloc_id, bloc_year.year])


def _results_published(bloc_year_id: int, step: str, by_id: int | None) -> None:
    bloc_year = _load_bloc_year(bloc_year_id)
    names: dict[str, object] = {"bloc": bloc_year.bloc.name, "year": bloc_year.year}
    people = recipients.member_focal_point_ids(bloc_year_id) | recipients.leader_ids(
        bloc_year.bloc.council_id
    )
    if step == "provisional":
        publication = Publication.objects.get(bloc_year_id=bloc_year_id)
        deadline = publication.complaint_deadline
        names["day"] = _short_date(deadline) if deadline else ""
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


# ---------------------------------------------------------------------------- proposals


def proposals_submitted(
    bloc_year: BlocYear, proposals: Sequence[Proposal], *, by: User | None
) -> None:
    """The secretariat sent the bloc's proposals to the council's leaders: tell them."""
    # One submission, one key: the proposals and their versions after the submission (the
    # same proposals sent again after a return are a new submission).
    digest = hashlib.sha256(
        ",".join(f"{p.pk}.{p.version}" for p in sorted(proposals, key=lambda p: p.pk)).encode()
    ).hexdigest()[:16]
    _after_commit(_proposals_submitted, bloc_year.pk, [p.pk for p in proposals], digest, _pk(by))


def _proposals_submitted(
    bloc_year_id: int, proposal_ids: Sequence[int], digest: str, by_id: int | None
) -> None:
    bloc_year = _load_bloc_year(bloc_year_id)
    count = len(proposal_ids)
    names = {"bloc": bloc_year.bloc.name, "year": bloc_year.year, "count": count}
    notify(
        recipients=recipients.leader_ids(bloc_year.bloc.council_id) - {by_id},
        kind=Notification.Kind.PROPOSALS_SUBMITTED,
        event_key=f"bloc-year:{bloc_year_id}:proposals-submitted:{digest}",
        title=ngettext(
            "%(bloc)s trình %(count)s đề nghị khen thưởng năm %(year)s",
            "%(bloc)s trình %(count)s đề nghị khen thưởng năm %(year)s",
            count,
        )
        % names,
        body=_(
            "Thư ký %(bloc)s đã trình đề nghị khen thưởng năm %(year)s. Lãnh đạo xem hồ sơ "
            "từng đề nghị rồi duyệt, trả lại hoặc không duyệt."
        )
        % names,
        url=reverse("awards:review-queue"),
    )


def proposal_reviewed(proposal: Proposal, *, by: User | None, note: str = "") -> None:
    """A leader approved, returned or rejected a proposal (its status says which)."""
    _after_commit(
        _proposal_reviewed, proposal.pk, str(proposal.status), proposal.version, _pk(by), note
    )


def proposals_decided(
    proposals: Sequence[Proposal], *, decision: Decision, by: User | None
) -> None:
    """Approved proposals were put under a decision: each unit has its award."""
    _after_commit(_proposals_decided, [proposal.pk for proposal in proposals], decision.pk, _pk(by))


def _load_proposals(ids: Sequence[int]) -> list[Proposal]:
    return list(
        Proposal.objects.filter(pk__in=ids)
        .select_related("bloc_year__bloc", "unit", "award_type")
        .prefetch_related("unit__former_names")
        .order_by("pk")
    )


def _proposal_names(proposal: Proposal) -> dict[str, object]:
    bloc_year = proposal.bloc_year
    return {
        "award": proposal.award_type.name,
        "unit": proposal.unit.name_in_year(bloc_year.year),
        "bloc": bloc_year.bloc.name,
        "year": bloc_year.year,
    }


def _proposal_reviewed(
    proposal_id: int, status: str, version: int, by_id: int | None, note: str
) -> None:
    found = _load_proposals([proposal_id])
    if not found:
        return  # withdrawn since: nothing left to tell about
    proposal = found[0]
    names = {**_proposal_names(proposal), "note": note}
    secretariat = recipients.secretariat_ids(proposal.bloc_year_id)
    unit = recipients.focal_point_ids(proposal.unit_id)
    if status == Proposal.Status.RETURNED:
        kind, people = Notification.Kind.PROPOSAL_RETURNED, secretariat
        title = _("Đề nghị “%(award)s” cho %(unit)s bị trả lại để hoàn thiện") % names
        body = (
            _(
                "Lãnh đạo Hội đồng trả lại đề nghị “%(award)s” năm %(year)s cho %(unit)s "
                "(%(bloc)s). Nội dung cần hoàn thiện: %(note)s"
            )
            % names
        )
    elif status == Proposal.Status.APPROVED:
        kind, people = Notification.Kind.PROPOSAL_APPROVED, secretariat | unit
        title = _("Đề nghị “%(award)s” cho %(unit)s đã được duyệt") % names
        body = (
            _(
                "Lãnh đạo Hội đồng đã duyệt đề nghị “%(award)s” năm %(year)s cho %(unit)s "
                "(%(bloc)s). Khen thưởng có hiệu lực khi có quyết định."
            )
            % names
        )
        if note:
            body += " " + _("Ý kiến: %(note)s") % names
    elif status == Proposal.Status.REJECTED:
        kind, people = Notification.Kind.PROPOSAL_REJECTED, secretariat | unit
        title = _("Đề nghị “%(award)s” cho %(unit)s không được duyệt") % names
        body = (
            _(
                "Lãnh đạo Hội đồng không duyệt đề nghị “%(award)s” năm %(year)s cho %(unit)s "
                "(%(bloc)s). Lý do: %(note)s"
            )
            % names
        )
    else:
        return
    notify(
        recipients=people - {by_id},
        kind=kind,
        event_key=f"proposal:{proposal_id}:{status}:{version}",
        title=title,
        body=body,
        url=proposal.get_absolute_url(),
    )


def _proposals_decided(proposal_ids: Sequence[int], decision_id: int, by_id: int | None) -> None:
    decision = Decision.objects.get(pk=decision_id)
    proposals = _load_proposals(proposal_ids)
    secretariat = recipients.secretariat_ids_by_bloc_year({p.bloc_year_id for p in proposals})
    focal_points = recipients.focal_point_ids_by_unit({p.unit_id for p in proposals})
    for proposal in proposals:
        names = {
            **_proposal_names(proposal),
            "number": decision.number,
            "date": _short_date(decision.date),
        }
        notify(
            recipients=(
                secretariat.get(proposal.bloc_year_id, set())
                | focal_points.get(proposal.unit_id, set())
            )
            - {by_id},
            kind=Notification.Kind.PROPOSAL_DECIDED,
            event_key=f"proposal:{proposal.pk}:decided:{decision_id}",
            title=_("%(unit)s: “%(award)s” theo Quyết định số %(number)s") % names,
            body=_(
                "Quyết định số %(number)s ngày %(date)s tặng “%(award)s” năm %(year)s cho "
                "%(unit)s (%(bloc)s). Khen thưởng đã được ghi vào lịch sử của đơn vị."
            )
            % names,
            url=proposal.get_absolute_url(),
        )
