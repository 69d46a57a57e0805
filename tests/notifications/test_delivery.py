"""Delivery: once per event per recipient, only after the commit, never breaking the action.

E-mail is queued with the notification and sent by the mail worker (``deliver_queued``, the
``deliver_mail --once`` of the tests); retries and the worker itself: test_outbox.py."""

from __future__ import annotations

import logging

import pytest
from django.db import transaction

from blocs.models import User
from notifications import services
from notifications.models import Notification, NotificationPreference, OutgoingMail
from scoring.models import ScoreSheet
from scoring.services import transitions
from tests.conftest import ScoringWorld
from tests.notifications.conftest import deliver_queued, fill_self

pytestmark = pytest.mark.django_db


class Boom(Exception):
    pass


def _notify(*recipients: User, key: str = "test:1", kind: str = "sheet_submitted") -> None:
    services.notify(
        recipients=recipients,
        kind=kind,
        event_key=key,
        title="Sở Y tế đã gửi bảng tự chấm năm 2020",
        body="Nội dung.",
        url="/my-work/",
    )


def test_a_double_call_for_the_same_event_tells_each_person_once(
    mail_everyone,
    secretariat: User,
    focal_point: User,
    django_capture_on_commit_callbacks,
    mailoutbox,
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        _notify(secretariat, focal_point)
        _notify(secretariat, focal_point, secretariat)
    with django_capture_on_commit_callbacks(execute=True):
        _notify(focal_point)  # a retried job, later
    assert Notification.objects.filter(event_key="test:1").count() == 2
    assert OutgoingMail.objects.count() == 2
    deliver_queued()
    assert sorted(message.to[0] for message in mailoutbox) == [
        "daumoi@example.gov.vn",
        "thuky@example.gov.vn",
    ]
    assert set(Notification.objects.values_list("email_status", flat=True)) == {"sent"}


def test_another_event_is_told_again(
    mail_everyone, focal_point: User, django_capture_on_commit_callbacks, mailoutbox
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        _notify(focal_point, key="sheet:1:returned:3")
        _notify(focal_point, key="sheet:1:returned:5")
    assert Notification.objects.count() == 2
    deliver_queued()
    assert len(mailoutbox) == 2


def test_nothing_happens_before_the_commit(
    secretariat: User, django_capture_on_commit_callbacks, mailoutbox
) -> None:
    with django_capture_on_commit_callbacks() as callbacks:
        _notify(secretariat)
        assert Notification.objects.count() == 0
    assert len(callbacks) == 1
    assert Notification.objects.count() == 0
    assert OutgoingMail.objects.count() == 0
    assert mailoutbox == []


def test_a_submitted_sheet_tells_the_secretariat_once_and_not_the_unit(
    scoring_world: ScoringWorld,
    mail_everyone,
    deputy_secretary: User,
    focal_point: User,
    secretariat: User,
    django_capture_on_commit_callbacks,
    mailoutbox,
) -> None:
    sheet = fill_self(scoring_world.draft_sheet)
    with django_capture_on_commit_callbacks(execute=True):
        transitions.sheet_submit(sheet=sheet, by=focal_point)
    rows = Notification.objects.filter(kind=Notification.Kind.SHEET_SUBMITTED)
    assert sorted(rows.values_list("recipient__username", flat=True)) == ["khoipho", "thuky"]
    assert rows.first().url == sheet.get_absolute_url()  # type: ignore[union-attr]
    deliver_queued()
    assert {message.to[0] for message in mailoutbox} == {
        "khoipho@example.gov.vn",
        "thuky@example.gov.vn",
    }
    # The same event announced again (a retried hook) changes nothing.
    from notifications import events

    sheet.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        events.sheet_submitted(sheet, by=focal_point)
    deliver_queued()
    assert rows.count() == 2
    assert len(mailoutbox) == 2


def test_a_rolled_back_submission_tells_nobody(
    scoring_world: ScoringWorld,
    mail_everyone,
    focal_point: User,
    django_capture_on_commit_callbacks,
    mailoutbox,
) -> None:
    sheet = fill_self(scoring_world.draft_sheet)
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(Boom),
        transaction.atomic(),
    ):
        transitions.sheet_submit(sheet=sheet, by=focal_point)
        raise Boom
    assert callbacks == []
    assert Notification.objects.count() == 0
    assert OutgoingMail.objects.count() == 0
    assert mailoutbox == []
    assert ScoreSheet.objects.get(pk=sheet.pk).state == ScoreSheet.State.DRAFT


@pytest.mark.django_db(transaction=True)
def test_real_commits_tell_and_real_rollbacks_do_not(
    scoring_world: ScoringWorld, mail_everyone, focal_point: User, secretariat: User, mailoutbox
) -> None:
    """Without the test's wrapping transaction: on_commit runs as in production."""
    sheet = fill_self(scoring_world.draft_sheet)
    about_sheet = Notification.objects.filter(url=sheet.get_absolute_url())
    deliver_queued()  # the world's own submitted sheet was announced while it was built
    mailoutbox.clear()
    with pytest.raises(Boom), transaction.atomic():
        transitions.sheet_submit(sheet=sheet, by=focal_point)
        raise Boom
    assert about_sheet.count() == 0
    assert mailoutbox == []

    sheet.refresh_from_db()
    with transaction.atomic():
        transitions.sheet_submit(sheet=sheet, by=focal_point)
        assert about_sheet.count() == 0  # not yet: still inside the transaction
    assert list(about_sheet.values_list("recipient__username", flat=True)) == ["thuky"]
    assert mailoutbox == []  # queued, not sent by the request
    deliver_queued()
    assert [message.to for message in mailoutbox] == [["thuky@example.gov.vn"]]


def test_an_unreachable_mail_server_does_not_break_the_submission(
    scoring_world: ScoringWorld,
    mail_everyone,
    focal_point: User,
    secretariat: User,
    settings,
    caplog,
    django_capture_on_commit_callbacks,
) -> None:
    settings.EMAIL_BACKEND = "tests.notifications.backends.UnreachableBackend"
    sheet = fill_self(scoring_world.draft_sheet)
    with django_capture_on_commit_callbacks(execute=True):
        transitions.sheet_submit(sheet=sheet, by=focal_point)
    assert ScoreSheet.objects.get(pk=sheet.pk).state == ScoreSheet.State.SUBMITTED
    notification = Notification.objects.get(recipient=secretariat)
    assert notification.in_app
    assert notification.email_status == Notification.EmailStatus.PENDING
    with caplog.at_level(logging.WARNING):
        report = deliver_queued()
    assert (report.sent, report.retrying) == (0, 1)
    notification.refresh_from_db()
    assert notification.email_status == Notification.EmailStatus.PENDING  # tried again later
    assert notification.emailed_at is None
    assert "ConnectionRefusedError" in notification.outgoing_mail.last_error
    assert "Mail server unreachable" in caplog.text


def test_a_refused_message_is_logged_and_recorded(
    mail_everyone, secretariat: User, settings, caplog, django_capture_on_commit_callbacks
) -> None:
    settings.EMAIL_BACKEND = "tests.notifications.backends.RefusingBackend"
    with django_capture_on_commit_callbacks(execute=True):
        _notify(secretariat)
    with caplog.at_level(logging.WARNING):
        deliver_queued()
    mail = OutgoingMail.objects.get()
    assert mail.status == OutgoingMail.Status.QUEUED
    assert mail.attempts == 1
    assert mail.last_error.startswith("SMTPRecipientsRefused: ")
    assert Notification.objects.get().email_status == Notification.EmailStatus.PENDING
    assert "not sent" in caplog.text


@pytest.mark.django_db(transaction=True)
def test_an_unreachable_mail_server_after_a_real_commit_keeps_the_submission(
    scoring_world: ScoringWorld, mail_everyone, focal_point: User, secretariat: User, settings
) -> None:
    settings.EMAIL_BACKEND = "tests.notifications.backends.UnreachableBackend"
    sheet = fill_self(scoring_world.draft_sheet)
    transitions.sheet_submit(sheet=sheet, by=focal_point)
    assert ScoreSheet.objects.get(pk=sheet.pk).state == ScoreSheet.State.SUBMITTED
    notification = Notification.objects.get(url=sheet.get_absolute_url())
    assert notification.email_status == Notification.EmailStatus.PENDING
    assert notification.outgoing_mail.status == OutgoingMail.Status.QUEUED


# ---------------------------------------------------------------------------- preferences


def _prefer(user: User, **values: bool) -> None:
    defaults = dict.fromkeys(services.PREFERENCE_FIELDS, True)
    services.preferences_set(user=user, **{**defaults, **values})


def test_email_turned_off_keeps_the_in_app_notification(
    mail_everyone, secretariat: User, django_capture_on_commit_callbacks, mailoutbox
) -> None:
    _prefer(secretariat, email_enabled=False)
    with django_capture_on_commit_callbacks(execute=True):
        _notify(secretariat)
    notification = Notification.objects.get()
    assert notification.in_app
    assert notification.email_status == Notification.EmailStatus.NOT_SENT
    assert OutgoingMail.objects.count() == 0
    assert mailoutbox == []


def test_in_app_turned_off_still_mails_once_and_hides_the_row(
    mail_everyone, secretariat: User, django_capture_on_commit_callbacks, mailoutbox
) -> None:
    _prefer(secretariat, in_app_enabled=False)
    with django_capture_on_commit_callbacks(execute=True):
        _notify(secretariat)
        _notify(secretariat)
    deliver_queued()
    assert len(mailoutbox) == 1
    assert Notification.objects.get().in_app is False
    assert Notification.objects.for_user(secretariat).count() == 0


def test_both_channels_off_tell_nothing(
    mail_everyone, secretariat: User, django_capture_on_commit_callbacks, mailoutbox
) -> None:
    _prefer(secretariat, in_app_enabled=False, email_enabled=False)
    with django_capture_on_commit_callbacks(execute=True):
        _notify(secretariat)
    assert Notification.objects.count() == 0
    assert mailoutbox == []


@pytest.mark.parametrize(
    ("field", "silenced", "still_mailed"),
    [
        ("email_sheets", "sheet_returned", "deadline"),
        ("email_proposals", "proposal_approved", "sheet_verified"),
        ("email_deadlines", "deadline", "proposal_decided"),
    ],
)
def test_a_topic_turned_off_by_email_stays_in_the_app(
    mail_everyone,
    focal_point: User,
    field: str,
    silenced: str,
    still_mailed: str,
    django_capture_on_commit_callbacks,
    mailoutbox,
) -> None:
    _prefer(focal_point, **{field: False})
    with django_capture_on_commit_callbacks(execute=True):
        _notify(focal_point, key="a", kind=silenced)
        _notify(focal_point, key="b", kind=still_mailed)
    deliver_queued()
    assert Notification.objects.for_user(focal_point).count() == 2
    assert len(mailoutbox) == 1
    assert Notification.objects.get(event_key="b").email_status == "sent"


def test_no_address_or_an_inactive_account_gets_no_mail(
    secretariat: User, focal_point: User, django_capture_on_commit_callbacks, mailoutbox
) -> None:
    User.objects.filter(pk=focal_point.pk).update(is_active=False, email="x@example.gov.vn")
    with django_capture_on_commit_callbacks(execute=True):
        _notify(secretariat, focal_point)
    assert list(Notification.objects.values_list("recipient", "email_status")) == [
        (secretariat.pk, "not_sent")
    ]
    assert mailoutbox == []


def test_preferences_are_recorded_in_the_audit_trail(focal_point: User) -> None:
    from blocs.models import AuditEntry

    _prefer(focal_point, email_deadlines=False)
    _prefer(focal_point, email_deadlines=False)  # no change, no second entry
    preference = NotificationPreference.objects.get(user=focal_point)
    assert not preference.email_deadlines
    entry = AuditEntry.objects.get(action="notifications.preferences")
    assert entry.changes == {"email_deadlines": [True, False]}
    assert entry.actor == focal_point


@pytest.mark.django_db(transaction=True)
def test_a_crash_while_telling_after_a_real_commit_is_logged_and_keeps_the_action(
    scoring_world: ScoringWorld, focal_point: User, secretariat: User, monkeypatch, caplog
) -> None:
    """Even a bug in the notification code (here: the database refuses the row) never turns a
    committed submission into an error page."""

    def broken(**kwargs: object) -> None:
        raise RuntimeError("notification table unavailable")

    monkeypatch.setattr(services, "deliver", broken)
    sheet = fill_self(scoring_world.draft_sheet)
    with caplog.at_level(logging.ERROR):
        transitions.sheet_submit(sheet=sheet, by=focal_point)
    assert ScoreSheet.objects.get(pk=sheet.pk).state == ScoreSheet.State.SUBMITTED
    assert "notification table unavailable" in caplog.text
    assert "deliver_after_commit" in caplog.text
