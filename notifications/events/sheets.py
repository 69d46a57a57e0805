"""Events of the score sheets: submitted, returned for explanations, verified, taken back,
entered on a unit's behalf, and lines waiting for a scorer outside the secretariat."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from blocs.models import User
from notifications import recipients
from notifications.events.deferred import after_commit, pk_of
from notifications.models import Notification
from notifications.services import notify
from scoring.models import Criterion, ExplanationRequest, ScoreLine, ScoreSheet
from scoring.selectors.verification import column_url


def sheet_submitted(sheet: ScoreSheet, *, by: User | None) -> None:
    """A unit sent its self-assessment: tell the bloc secretariat (not the unit itself)."""
    after_commit(_sheet_submitted, sheet.pk, sheet.version, pk_of(by))


def sheet_returned(sheet: ScoreSheet, *, by: User | None) -> None:
    """The secretariat asked for explanations: tell the unit's focal points."""
    after_commit(_sheet_returned, sheet.pk, sheet.version, pk_of(by))


def sheet_verified(sheet: ScoreSheet, *, by: User | None) -> None:
    """The secretariat finished verifying: tell the unit's focal points."""
    after_commit(_sheet_verified, sheet.pk, sheet.version, pk_of(by))


def sheet_recalled(sheet: ScoreSheet, *, by: User | None) -> None:
    """A unit took back the self-assessment it sent: tell the bloc secretariat (not the unit)."""
    after_commit(_sheet_recalled, sheet.pk, sheet.version, pk_of(by))


def scores_waiting(sheet: ScoreSheet, *, by: User | None) -> None:
    """A sheet was submitted with lines someone outside the secretariat must score (the
    council's standing office, a department named on the criterion): tell them."""
    after_commit(_scores_waiting, sheet.pk, sheet.version, pk_of(by))


def sheet_entered_on_behalf(sheet: ScoreSheet, *, by: User | None) -> None:
    """The secretariat (or a council admin) entered a unit's self-assessment for it, from the
    paper sheet: tell the unit, once per sheet (the sheet is marked the first time only)."""
    after_commit(_sheet_entered_on_behalf, sheet.pk, pk_of(by))


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
    # Sent by someone outside the unit (the secretariat, from the unit's paper sheet): the
    # unit's own people learn that their sheet has gone.
    own = recipients.focal_point_ids(sheet.unit_id)
    if by_id is not None and by_id not in own:
        notify(
            recipients=own,
            kind=Notification.Kind.SHEET_ON_BEHALF,
            event_key=f"sheet:{sheet_id}:submitted-on-behalf:{version}",
            title=_("Thư ký khối đã gửi thay bảng tự chấm năm %(year)s") % names,
            body=_(
                "Thư ký %(bloc)s đã gửi thay bảng tự chấm điểm năm %(year)s của %(unit)s. "
                "Bảng không còn sửa được; nếu có điểm chưa đúng, đơn vị liên hệ thư ký khối "
                "trước khi thẩm định xong."
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
