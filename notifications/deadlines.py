"""Deadline reminders: three days before each stage's due date, to whoever still has to act.

* ``registration_due``: the focal points of each member that has not registered (đăng ký thi
  đua), while the year is not yet scoring;
* ``self_assessment_due``: the focal points of each member whose sheet is still a draft or
  is waiting for explanations;
* ``verification_due``: the bloc secretariat, while some sheet is not verified;
* ``proposals_due``: the bloc secretariat, while the bloc's proposals are not all submitted
  (some are drafts or returned, or the results are not yet proposed at all).

A reminder is due on any day from three days before the due date to the due date itself, so a
day the job did not run is caught up the next day. Its event key names the stage, the bloc-year
and the due date: running the job again the same day (or the next) sends nothing new, and a due
date moved later gets its own reminder.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import Count, Q
from django.urls import reverse
from django.utils import translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from awards.models import Proposal, Registration
from blocs.models import BlocYear, Membership, Unit
from notifications import recipients
from notifications.models import Notification
from notifications.services import Message, deliver
from scoring.models import ScoreSheet

REMINDER_DAYS = 3
REGISTRATION = "registration"
SELF_ASSESSMENT = "self_assessment"
VERIFICATION = "verification"
PROPOSALS = "proposals"
STAGE_LABELS = {
    REGISTRATION: "đăng ký",
    SELF_ASSESSMENT: "tự chấm",
    VERIFICATION: "thẩm định",
    PROPOSALS: "đề nghị",
}
REGISTRATION_STATES = [BlocYear.State.SETUP, BlocYear.State.UNDERWAY]
WAITING_FOR_UNIT = [ScoreSheet.State.DRAFT, ScoreSheet.State.RETURNED]
DONE_SHEETS = [ScoreSheet.State.VERIFIED, ScoreSheet.State.FINALIZED]
PENDING_PROPOSALS = [Proposal.Status.DRAFT, Proposal.Status.RETURNED]
PROPOSED_STATES = [BlocYear.State.PROPOSED, BlocYear.State.DECIDED]


@dataclass
class ReminderReport:
    """What one run sent: notifications created, by stage."""

    today: datetime.date
    bloc_years: int = 0
    sent: dict[str, int] = field(default_factory=lambda: defaultdict(int))

    @property
    def total(self) -> int:
        return sum(self.sent.values())


def _key(stage: str, bloc_year: BlocYear, due: datetime.date) -> str:
    return f"deadline:{stage}:{bloc_year.pk}:{due.isoformat()}"


def _in_window(due: datetime.date | None, today: datetime.date) -> bool:
    return due is not None and today <= due <= today + datetime.timedelta(days=REMINDER_DAYS)


def _days_left(due: datetime.date, today: datetime.date) -> str:
    days = (due - today).days
    if days == 0:
        return _("Hôm nay là hạn")
    return ngettext("Còn %(days)s ngày đến hạn", "Còn %(days)s ngày đến hạn", days) % {"days": days}


def send_deadline_reminders(*, today: datetime.date) -> ReminderReport:
    """Send every reminder due ``today`` that has not been sent; safe to run any number of times."""
    with translation.override(settings.LANGUAGE_CODE):
        return _send(today)


def _send(today: datetime.date) -> ReminderReport:
    window = (today, today + datetime.timedelta(days=REMINDER_DAYS))
    bloc_years = list(
        BlocYear.objects.filter(
            Q(registration_due__range=window)
            | Q(self_assessment_due__range=window)
            | Q(verification_due__range=window)
            | Q(proposals_due__range=window)
        )
        .select_related("bloc")
        .order_by("pk")
    )
    report = ReminderReport(today=today, bloc_years=len(bloc_years))
    if not bloc_years:
        return report
    report.sent[REGISTRATION] += _registration_reminders(bloc_years, today)
    self_years = [by for by in bloc_years if _in_window(by.self_assessment_due, today)]
    verify_years = [by for by in bloc_years if _in_window(by.verification_due, today)]
    proposal_years = [by for by in bloc_years if _in_window(by.proposals_due, today)]

    waiting_sheets = list(
        ScoreSheet.objects.filter(bloc_year__in=self_years, state__in=WAITING_FOR_UNIT).values_list(
            "pk", "bloc_year_id", "unit_id", "state"
        )
    )
    unverified = dict(
        ScoreSheet.objects.filter(bloc_year__in=verify_years)
        .exclude(state__in=DONE_SHEETS)
        .values("bloc_year_id")
        .annotate(count=Count("pk"))
        .values_list("bloc_year_id", "count")
    )
    pending_proposals = dict(
        Proposal.objects.filter(bloc_year__in=proposal_years, status__in=PENDING_PROPOSALS)
        .values("bloc_year_id")
        .annotate(count=Count("pk"))
        .values_list("bloc_year_id", "count")
    )
    unit_ids = {unit_id for _pk, _by, unit_id, _state in waiting_sheets}
    units = {
        unit.pk: unit
        for unit in Unit.objects.filter(pk__in=unit_ids).prefetch_related("former_names")
    }
    focal_points = recipients.focal_point_ids_by_unit(unit_ids)
    secretariat = recipients.secretariat_ids_by_bloc_year(
        {by.pk for by in verify_years} | {by.pk for by in proposal_years}
    )
    by_id = {by.pk: by for by in bloc_years}

    for sheet_id, bloc_year_id, unit_id, state in waiting_sheets:
        bloc_year = by_id[bloc_year_id]
        due = bloc_year.self_assessment_due
        assert due is not None
        names = {
            "left": _days_left(due, today),
            "year": bloc_year.year,
            "bloc": bloc_year.bloc.name,
            "date": date_format(due, "SHORT_DATE_FORMAT"),
            "unit": units[unit_id].name_in_year(bloc_year.year),
        }
        body = (
            _(
                "%(bloc)s: hạn đơn vị gửi bảng tự chấm điểm năm %(year)s là ngày %(date)s. "
                "Bảng tự chấm của %(unit)s chưa gửi."
            )
            if state == ScoreSheet.State.DRAFT
            else _(
                "%(bloc)s: hạn đơn vị gửi bảng tự chấm điểm năm %(year)s là ngày %(date)s. "
                "Bảng tự chấm của %(unit)s đang chờ đơn vị giải trình."
            )
        )
        report.sent[SELF_ASSESSMENT] += _deliver(
            focal_points.get(unit_id, set()),
            _key(SELF_ASSESSMENT, bloc_year, due),
            _("%(left)s tự chấm điểm năm %(year)s") % names,
            body % names,
            reverse("scoring:sheet", args=[sheet_id]),
        )

    for bloc_year in verify_years:
        count = unverified.get(bloc_year.pk, 0)
        if not count:
            continue
        due = bloc_year.verification_due
        assert due is not None
        names = {
            "left": _days_left(due, today),
            "year": bloc_year.year,
            "bloc": bloc_year.bloc.name,
            "date": date_format(due, "SHORT_DATE_FORMAT"),
            "count": count,
        }
        report.sent[VERIFICATION] += _deliver(
            secretariat.get(bloc_year.pk, set()),
            _key(VERIFICATION, bloc_year, due),
            _("%(left)s thẩm định điểm năm %(year)s") % names,
            ngettext(
                "%(bloc)s: hạn thẩm định điểm năm %(year)s là ngày %(date)s; "
                "còn %(count)s bảng điểm chưa thẩm định.",
                "%(bloc)s: hạn thẩm định điểm năm %(year)s là ngày %(date)s; "
                "còn %(count)s bảng điểm chưa thẩm định.",
                count,
            )
            % names,
            reverse("scoring:progress", args=[bloc_year.bloc_id, bloc_year.year]),
        )

    for bloc_year in proposal_years:
        count = pending_proposals.get(bloc_year.pk, 0)
        if not count and bloc_year.state in PROPOSED_STATES:
            continue
        due = bloc_year.proposals_due
        assert due is not None
        names = {
            "left": _days_left(due, today),
            "year": bloc_year.year,
            "bloc": bloc_year.bloc.name,
            "date": date_format(due, "SHORT_DATE_FORMAT"),
            "count": count,
        }
        body = (
            ngettext(
                "%(bloc)s: hạn trình đề nghị khen thưởng năm %(year)s là ngày %(date)s; "
                "còn %(count)s đề nghị chưa trình.",
                "%(bloc)s: hạn trình đề nghị khen thưởng năm %(year)s là ngày %(date)s; "
                "còn %(count)s đề nghị chưa trình.",
                count,
            )
            if count
            else _(
                "%(bloc)s: hạn trình đề nghị khen thưởng năm %(year)s là ngày %(date)s; "
                "khối chưa trình đề nghị nào."
            )
        )
        report.sent[PROPOSALS] += _deliver(
            secretariat.get(bloc_year.pk, set()),
            _key(PROPOSALS, bloc_year, due),
            _("%(left)s trình đề nghị khen thưởng năm %(year)s") % names,
            body % names,
            reverse("awards:proposals", args=[bloc_year.bloc_id, bloc_year.year]),
        )
    return report


def _registration_reminders(bloc_years: list[BlocYear], today: datetime.date) -> int:
    """The focal points of every member that has not registered, in a year not yet scoring."""
    years = {
        by.pk: by
        for by in bloc_years
        if _in_window(by.registration_due, today) and by.state in REGISTRATION_STATES
    }
    if not years:
        return 0
    registered = set(
        Registration.objects.filter(bloc_year_id__in=years).values_list("bloc_year_id", "unit_id")
    )
    waiting = [
        (bloc_year_id, unit_id)
        for bloc_year_id, unit_id in Membership.objects.filter(bloc_year_id__in=years).values_list(
            "bloc_year_id", "unit_id"
        )
        if (bloc_year_id, unit_id) not in registered
    ]
    units = {
        unit.pk: unit
        for unit in Unit.objects.filter(
            pk__in={unit_id for _by, unit_id in waiting}
        ).prefetch_related("former_names")
    }
    focal_points = recipients.focal_point_ids_by_unit({unit_id for _by, unit_id in waiting})
    sent = 0
    for bloc_year_id, unit_id in sorted(waiting):
        bloc_year = years[bloc_year_id]
        due = bloc_year.registration_due
        assert due is not None
        names = {
            "left": _days_left(due, today),
            "year": bloc_year.year,
            "bloc": bloc_year.bloc.name,
            "date": date_format(due, "SHORT_DATE_FORMAT"),
            "unit": units[unit_id].name_in_year(bloc_year.year),
        }
        sent += _deliver(
            focal_points.get(unit_id, set()),
            f"{_key(REGISTRATION, bloc_year, due)}:{unit_id}",
            _("%(left)s đăng ký thi đua năm %(year)s") % names,
            _(
                "%(bloc)s: hạn đăng ký thi đua năm %(year)s là ngày %(date)s. "
                "%(unit)s chưa đăng ký danh hiệu thi đua."
            )
            % names,
            reverse("awards:registration", args=[bloc_year.bloc_id, bloc_year.year, unit_id]),
        )
    return sent


def _deliver(people: set[int], event_key: str, title: str, body: str, url: str) -> int:
    if not people:
        return 0
    message = Message(
        kind=Notification.Kind.DEADLINE, event_key=event_key, title=title, body=body, url=url
    )
    return len(deliver(recipient_ids=sorted(people), message=message))
