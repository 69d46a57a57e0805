"""Deadlines of a bloc-year's stages: registration, self-assessment, verification, award
proposals.

Each deadline is the last day allowed, inclusive, as a local date (Asia/Ho_Chi_Minh): a sheet
sent at 23:59 on the due day is on time, one sent at 00:01 the next day is late. After the
self-assessment deadline a unit can no longer save or send its own sheet; the bloc secretariat
(for another unit) and the council admins still can, and what they send is marked late.
Proposals are only ever submitted by the secretariat: after their deadline the submission is
accepted and marked late. Registration (đăng ký thi đua, at the start of the year) follows the
self-assessment's rule: after its deadline the unit is refused, the secretariat and the council
admins may still record it, marked late. The rules here are pure; the services of each app
apply them.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from blocs.audit import audit_record
from blocs.models import BlocYear, User
from common.numbers import format_number

if TYPE_CHECKING:
    from django_stubs_ext import StrPromise

REGISTRATION = "registration_due"
SELF_ASSESSMENT = "self_assessment_due"
VERIFICATION = "verification_due"
PROPOSALS = "proposals_due"
FIELDS = (REGISTRATION, SELF_ASSESSMENT, VERIFICATION, PROPOSALS)

STAGE_LABELS: dict[str, StrPromise] = {
    REGISTRATION: gettext_lazy("Hạn đăng ký thi đua"),
    SELF_ASSESSMENT: gettext_lazy("Hạn tự chấm điểm"),
    VERIFICATION: gettext_lazy("Hạn thẩm định điểm"),
    PROPOSALS: gettext_lazy("Hạn trình đề nghị khen thưởng"),
}

# The stage is over once the bloc-year has reached one of these states: its deadline no longer
# matters (scoring is frozen at finalization; the proposals were sent).
_LATER_STATES = list(BlocYear.State)
STAGE_OVER_FROM: dict[str, BlocYear.State] = {
    # Registration is the start of the year's emulation: over once scoring begins.
    REGISTRATION: BlocYear.State.SCORING,
    SELF_ASSESSMENT: BlocYear.State.FINALIZED,
    VERIFICATION: BlocYear.State.FINALIZED,
    PROPOSALS: BlocYear.State.PROPOSED,
}

SOON_DAYS = 3  # "due soon" from this many days before the deadline


# ---------------------------------------------------------------------------- pure rules


def local_date(when: datetime.date | datetime.datetime) -> datetime.date:
    """The local calendar day of a moment (or the day itself)."""
    if isinstance(when, datetime.datetime):
        if timezone.is_naive(when):
            return when.date()
        return timezone.localdate(when)
    return when


def today() -> datetime.date:
    return timezone.localdate()


def is_late(due: datetime.date | None, when: datetime.date | datetime.datetime) -> bool:
    """Whether ``when`` falls after the last allowed day ``due`` (never late without a due date)."""
    return due is not None and local_date(when) > due


def days_left(due: datetime.date, today: datetime.date) -> int:
    """Days until the due date: 0 on the day itself, negative once it has passed."""
    return (due - today).days


def urgency(days: int | None) -> str:
    """``overdue``, ``today``, ``soon`` (within SOON_DAYS), ``open`` or ``""`` without a date."""
    if days is None:
        return ""
    if days < 0:
        return "overdue"
    if days == 0:
        return "today"
    if days <= SOON_DAYS:
        return "soon"
    return "open"


def due_label(days: int | None) -> str:
    """``còn 3 ngày``, ``hạn cuối hôm nay``, ``quá hạn 2 ngày``; ``""`` without a date."""
    if days is None:
        return ""
    if days < 0:
        shown = {"days": format_number(-days, 0)}  # 1.816, grouped as every number
        return ngettext("quá hạn %(days)s ngày", "quá hạn %(days)s ngày", -days) % shown
    if days == 0:
        return _("hạn cuối hôm nay")
    shown = {"days": format_number(days, 0)}
    return ngettext("còn %(days)s ngày", "còn %(days)s ngày", days) % shown


def _short(day: datetime.date) -> str:
    return day.strftime("%d/%m/%Y")


def deadline_errors(
    *,
    year: int,
    self_assessment_due: datetime.date | None,
    verification_due: datetime.date | None,
    proposals_due: datetime.date | None,
    registration_due: datetime.date | None = None,
) -> dict[str, str]:
    """What is wrong with a set of deadlines, by field. Each date lies in the bloc-year's year
    or the next (the conference and the proposals often fall in January of the next year), and
    the stages follow each other: verification not before self-assessment, proposals not
    before verification. Registration opens the year: it lies in the year itself and not after
    the self-assessment's deadline."""
    values = {
        REGISTRATION: registration_due,
        SELF_ASSESSMENT: self_assessment_due,
        VERIFICATION: verification_due,
        PROPOSALS: proposals_due,
    }
    errors: dict[str, str] = {}
    first, last = datetime.date(year, 1, 1), datetime.date(year + 1, 12, 31)
    for name, value in values.items():
        if value is not None and not first <= value <= last:
            errors[name] = _("Hạn phải nằm trong năm %(year)s hoặc năm %(next)s.") % {
                "year": year,
                "next": year + 1,
            }
    if (
        REGISTRATION not in errors
        and registration_due is not None
        and registration_due.year != year
    ):
        errors[REGISTRATION] = _("Hạn đăng ký thi đua phải nằm trong năm %(year)s.") % {
            "year": year
        }
    if (
        REGISTRATION not in errors
        and registration_due is not None
        and self_assessment_due is not None
        and self_assessment_due < registration_due
    ):
        errors[REGISTRATION] = _(
            "Hạn đăng ký thi đua không được sau hạn tự chấm điểm (%(day)s)."
        ) % {"day": _short(self_assessment_due)}
    if (
        VERIFICATION not in errors
        and self_assessment_due is not None
        and verification_due is not None
        and verification_due < self_assessment_due
    ):
        errors[VERIFICATION] = _("Hạn thẩm định không được trước hạn tự chấm điểm (%(day)s).") % {
            "day": _short(self_assessment_due)
        }
    earlier = verification_due or self_assessment_due
    if (
        PROPOSALS not in errors
        and earlier is not None
        and proposals_due is not None
        and proposals_due < earlier
    ):
        errors[PROPOSALS] = (
            _("Hạn trình đề nghị không được trước hạn thẩm định (%(day)s).")
            if verification_due is not None
            else _("Hạn trình đề nghị không được trước hạn tự chấm điểm (%(day)s).")
        ) % {"day": _short(earlier)}
    return errors


def registration_closed_message(due: datetime.date) -> str:
    return _(
        "Đã hết hạn đăng ký thi đua (hết ngày %(day)s): đơn vị không đăng ký hay sửa bản đăng "
        "ký được nữa. Liên hệ thư ký khối để được ghi thay; bản đăng ký sẽ được ghi là nộp muộn."
    ) % {"day": _short(due)}


def self_assessment_closed_message(due: datetime.date) -> str:
    return _(
        "Đã hết hạn tự chấm điểm (hết ngày %(day)s): đơn vị không sửa hay gửi bảng tự chấm được "
        "nữa. Liên hệ thư ký khối để được nhập thay; bảng sẽ được ghi là nộp muộn."
    ) % {"day": _short(due)}


# ---------------------------------------------------------------------------- for pages


@dataclass(frozen=True)
class StageDeadline:
    """One stage's deadline as a page shows it."""

    field: str
    label: str
    due: datetime.date | None
    days_left: int | None  # None without a date or once the stage is over
    over: bool  # the bloc-year has moved past this stage

    @property
    def urgency(self) -> str:
        return urgency(self.days_left)

    @property
    def due_label(self) -> str:
        return due_label(self.days_left)


def stage_over(bloc_year: BlocYear, field: str) -> bool:
    order = _LATER_STATES
    return order.index(BlocYear.State(bloc_year.state)) >= order.index(STAGE_OVER_FROM[field])


def stage_deadlines(bloc_year: BlocYear, on: datetime.date) -> list[StageDeadline]:
    """The stages with their dates and, while each is still open, the days left."""
    rows = []
    for field in FIELDS:
        due = getattr(bloc_year, field)
        over = stage_over(bloc_year, field)
        rows.append(
            StageDeadline(
                field=field,
                label=str(STAGE_LABELS[field]),
                due=due,
                days_left=days_left(due, on) if due is not None and not over else None,
                over=over,
            )
        )
    return rows


# ---------------------------------------------------------------------------- writing


@transaction.atomic
def deadlines_set(
    *,
    bloc_year: BlocYear,
    by: User | None,
    self_assessment_due: datetime.date | None,
    verification_due: datetime.date | None,
    proposals_due: datetime.date | None,
    registration_due: datetime.date | None = None,
) -> BlocYear:
    """Set the deadlines of a bloc-year (``None`` clears one). Refused as a whole with a
    ``ValidationError`` naming each wrong field; the change is recorded in the audit trail."""
    new = {
        REGISTRATION: registration_due,
        SELF_ASSESSMENT: self_assessment_due,
        VERIFICATION: verification_due,
        PROPOSALS: proposals_due,
    }
    errors = deadline_errors(year=bloc_year.year, **new)
    if errors:
        raise ValidationError(errors)
    current = BlocYear.objects.select_for_update().get(pk=bloc_year.pk)
    changes = {
        field: [_iso(getattr(current, field)), _iso(value)]
        for field, value in new.items()
        if getattr(current, field) != value
    }
    for field, value in new.items():
        setattr(bloc_year, field, value)
    if not changes:
        return bloc_year
    BlocYear.objects.filter(pk=bloc_year.pk).update(**new)
    audit_record(
        actor=by,
        bloc_year=bloc_year,
        context=f"bloc-year:{bloc_year.pk}",
        action="bloc_year.deadlines",
        summary=_("Đặt hạn các bước của %(bloc)s năm %(year)s")
        % {"bloc": bloc_year.bloc.name, "year": bloc_year.year},
        changes=changes,
    )
    return bloc_year


def _iso(day: datetime.date | None) -> str | None:
    return day.isoformat() if day else None
