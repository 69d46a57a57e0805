"""The e-mail queue: requests only queue, the worker sends, retries with back-off, gives up
visibly, and "retry now" sends again; every message goes out once."""

from __future__ import annotations

import datetime
import importlib
import logging
import os
import signal
import threading
import time
from io import StringIO

import pytest
from django.apps import apps
from django.core import mail as django_mail
from django.core.management import call_command
from django.db import connection, connections
from django.urls import reverse
from django.utils import timezone

from blocs.models import User
from notifications import outbox, services
from notifications.models import Notification, OutgoingMail
from scoring.models import ScoreSheet
from tests.conftest import ScoringWorld, client_for
from tests.notifications.backends import MailServer
from tests.notifications.conftest import deliver_queued, fill_self

pytestmark = pytest.mark.django_db

T0 = datetime.datetime(2020, 11, 20, 8, 0, tzinfo=datetime.UTC)


def minutes(n: float) -> datetime.timedelta:
    return datetime.timedelta(minutes=n)


def queue(user: User, count: int = 1, prefix: str = "test") -> list[Notification]:
    """``count`` notifications to ``user``, each with its e-mail queued (what an event does)."""
    created: list[Notification] = []
    for n in range(count):
        created += services.deliver(
            recipient_ids=[user.pk],
            message=services.Message(
                kind=Notification.Kind.SHEET_SUBMITTED,
                event_key=f"{prefix}:{n}",
                title=f"Thông báo số {n}",
                url="/my-work/",
            ),
        )
    OutgoingMail.objects.update(next_attempt_at=T0)
    return created


def mails() -> list[OutgoingMail]:
    return list(OutgoingMail.objects.order_by("pk"))


def email_statuses() -> set[str]:
    return set(Notification.objects.values_list("email_status", flat=True))


# ---------------------------------------------------------------------------- the request


@pytest.mark.django_db(transaction=True)
def test_a_failing_mail_server_neither_slows_nor_breaks_the_action(
    scoring_world: ScoringWorld,
    mail_everyone,
    focal_point: User,
    secretariat: User,
    mail_server: type[MailServer],
) -> None:
    """The submission commits, its notification is written and its e-mail queued after the
    commit, as in production; the mail server, slow and failing, is never called."""
    mail_server.delay = 3.0  # a send in the request would take at least this long
    sheet = fill_self(scoring_world.draft_sheet)
    client = client_for(focal_point)
    started = time.monotonic()
    response = client.post(reverse("scoring:sheet-submit", args=[sheet.pk]))
    elapsed = time.monotonic() - started
    assert response.status_code == 302
    assert ScoreSheet.objects.get(pk=sheet.pk).state == ScoreSheet.State.SUBMITTED
    assert mail_server.attempts == 0  # the request only queued
    assert elapsed < mail_server.delay
    notification = Notification.objects.get(url=sheet.get_absolute_url())
    assert notification.recipient == secretariat
    assert notification.email_status == Notification.EmailStatus.PENDING
    mail = notification.outgoing_mail
    assert (mail.status, mail.attempts, mail.to) == ("queued", 0, "thuky@example.gov.vn")


# ---------------------------------------------------------------------------- the worker


def test_the_waits_between_attempts_double_from_a_minute_up_to_an_hour() -> None:
    waits = [outbox.retry_delay(n) / minutes(1) for n in range(1, outbox.MAX_ATTEMPTS + 1)]
    assert waits == [1, 2, 4, 8, 16, 32, 60, 60, 60, 60, 60, 60]
    assert outbox.retry_delay(1000) == minutes(60)


def test_attempts_back_off_and_once_the_server_is_back_every_message_goes_out_once(
    mail_everyone, secretariat: User, mail_server: type[MailServer], caplog
) -> None:
    queue(secretariat, 3)
    with caplog.at_level(logging.WARNING):
        first = deliver_queued(now=T0)
    assert (first.sent, first.retrying, first.failed) == (0, 3, 0)
    assert "attempt 1 of 12" in caplog.text
    assert {(m.attempts, m.next_attempt_at, m.status) for m in mails()} == {
        (1, T0 + minutes(1), "queued")
    }
    assert all("SMTPException: 451 4.3.0" in m.last_error for m in mails())
    assert email_statuses() == {"pending"}

    # Nothing is tried before its time; each failure doubles the wait.
    assert deliver_queued(now=T0 + minutes(1) - datetime.timedelta(seconds=1)).attempted == 0
    assert mail_server.attempts == 3
    deliver_queued(now=T0 + minutes(1))
    assert {m.next_attempt_at for m in mails()} == {T0 + minutes(1 + 2)}
    deliver_queued(now=T0 + minutes(3))
    assert {m.next_attempt_at for m in mails()} == {T0 + minutes(3 + 4)}
    assert {m.attempts for m in mails()} == {3}
    assert mail_server.attempts == 9

    mail_server.down = False
    assert deliver_queued(now=T0 + minutes(6)).attempted == 0  # not yet due
    report = deliver_queued(now=T0 + minutes(7))
    assert (report.sent, report.retrying) == (3, 0)
    assert deliver_queued(now=T0 + minutes(600)).attempted == 0
    assert sorted(m.subject for m in django_mail.outbox) == [
        "[Thi đua] Thông báo số 0",
        "[Thi đua] Thông báo số 1",
        "[Thi đua] Thông báo số 2",
    ]
    assert {(m.status, m.sent_at, m.attempts, m.claimed_by) for m in mails()} == {
        ("sent", T0 + minutes(7), 4, "")
    }
    assert email_statuses() == {"sent"}
    assert set(Notification.objects.values_list("emailed_at", flat=True)) == {T0 + minutes(7)}


def test_after_the_last_attempt_the_mail_is_failed_with_its_reason(
    mail_everyone, secretariat: User, mail_server: type[MailServer], caplog
) -> None:
    queue(secretariat)
    now = T0
    for attempt in range(1, outbox.MAX_ATTEMPTS):
        assert deliver_queued(now=now).retrying == 1
        now += outbox.retry_delay(attempt)
    with caplog.at_level(logging.ERROR):
        last = deliver_queued(now=now)
    assert (last.retrying, last.failed) == (0, 1)
    mail = OutgoingMail.objects.get()
    assert (mail.status, mail.attempts) == ("failed", outbox.MAX_ATTEMPTS)
    assert mail.last_error == "SMTPException: 451 4.3.0 Mail server temporarily unavailable"
    assert email_statuses() == {"failed"}
    assert "not sent after 12 attempts; given up" in caplog.text
    mail_server.down = False
    assert deliver_queued(now=now + minutes(600)).attempted == 0  # given up: only "retry now"
    assert django_mail.outbox == []


def test_a_message_held_by_a_worker_that_died_is_sent_when_its_claim_lapses(
    mail_everyone, secretariat: User, mail_server: type[MailServer]
) -> None:
    queue(secretariat)
    mail_server.down = False
    OutgoingMail.objects.update(
        claimed_by="dead-host:4242:0", next_attempt_at=T0 + outbox.LEASE, attempts=1
    )
    assert deliver_queued(now=T0 + outbox.LEASE - minutes(1)).attempted == 0
    assert deliver_queued(now=T0 + outbox.LEASE).sent == 1
    assert OutgoingMail.objects.get().attempts == 2
    assert len(django_mail.outbox) == 1


def test_a_stopped_worker_finishes_the_message_it_sends_and_hands_the_rest_back(
    mail_everyone, secretariat: User, mail_server: type[MailServer]
) -> None:
    queue(secretariat, 3)
    mail_server.down = False
    asked = 0

    def stop_after_the_first() -> bool:
        nonlocal asked
        asked += 1
        return asked > 2  # the loop asks once, then before each message

    report = deliver_queued(now=T0, should_stop=stop_after_the_first)
    assert (report.sent, report.released) == (1, 2)
    assert len(django_mail.outbox) == 1
    waiting = OutgoingMail.objects.filter(status="queued")
    assert [(m.attempts, m.claimed_by) for m in waiting] == [(0, ""), (0, "")]
    assert all(m.next_attempt_at <= timezone.now() for m in waiting)
    assert deliver_queued().sent == 2


def test_a_template_error_is_an_attempt_like_any_other(
    mail_everyone, secretariat: User, mail_server: type[MailServer], monkeypatch
) -> None:
    queue(secretariat)
    mail_server.down = False

    def broken(*args: object, **kwargs: object) -> None:
        raise ValueError("template missing")

    monkeypatch.setattr(outbox, "build_message", broken)
    assert deliver_queued(now=T0).retrying == 1
    assert OutgoingMail.objects.get().last_error == "ValueError: template missing"
    assert mail_server.attempts == 0


def test_the_worker_sends_one_message_per_notification_to_the_address_queued(
    mail_everyone, secretariat: User, mail_server: type[MailServer]
) -> None:
    queue(secretariat)
    queue(secretariat)  # the same events again: nothing more is queued
    mail_server.down = False
    assert OutgoingMail.objects.count() == 1
    deliver_queued()
    [message] = django_mail.outbox
    assert message.to == ["thuky@example.gov.vn"]
    assert message.extra_headers["Auto-Submitted"] == "auto-generated"


# ---------------------------------------------------------------------------- retry now


@pytest.fixture
def superuser(db: None) -> User:
    return User.objects.create_superuser(username="it", password="mat-khau-thu-nghiem")


def _give_up(user: User) -> OutgoingMail:
    queue(user)
    OutgoingMail.objects.update(
        status=OutgoingMail.Status.FAILED,
        attempts=outbox.MAX_ATTEMPTS,
        last_error="SMTPRecipientsRefused: {'thuky@example.gov.vn': (550, b'No such user')}",
    )
    Notification.objects.update(email_status=Notification.EmailStatus.FAILED)
    return OutgoingMail.objects.get()


def test_the_admin_shows_failed_mail_with_its_reason_and_retry_now_sends_it_again(
    mail_everyone, secretariat: User, superuser: User, mail_server: type[MailServer]
) -> None:
    mail = _give_up(secretariat)
    # The usual fix for a refused recipient: the address is corrected, then "retry now".
    User.objects.filter(pk=secretariat.pk).update(email="thuky.moi@example.gov.vn")
    client = client_for(superuser)
    changelist = reverse("admin:notifications_outgoingmail_changelist")
    page = client.get(changelist + "?status=failed").content.decode()
    assert "No such user" in page
    assert "Gửi lại ngay" in page
    change = reverse("admin:notifications_outgoingmail_change", args=[mail.pk])
    assert client.get(change).status_code == 200  # read-only: the reason, the attempts
    response = client.post(
        changelist, {"action": "retry_now", "_selected_action": [mail.pk]}, follow=True
    )
    assert "Đã xếp 1 thư để gửi lại ngay." in response.content.decode()
    mail.refresh_from_db()
    assert (mail.status, mail.attempts, mail.to) == ("queued", 0, "thuky.moi@example.gov.vn")
    assert mail.next_attempt_at <= timezone.now()
    assert email_statuses() == {"pending"}

    mail_server.down = False
    assert deliver_queued().sent == 1
    assert [message.to for message in django_mail.outbox] == [["thuky.moi@example.gov.vn"]]
    assert email_statuses() == {"sent"}


def test_retry_now_leaves_sent_mail_and_people_without_an_address_alone(
    mail_everyone,
    secretariat: User,
    focal_point: User,
    superuser: User,
    mail_server: type[MailServer],
) -> None:
    queue(secretariat, prefix="sent")
    mail_server.down = False
    deliver_queued()
    queue(focal_point, prefix="failed")
    OutgoingMail.objects.filter(status="queued").update(status="failed")
    User.objects.filter(pk=focal_point.pk).update(email="")
    client = client_for(superuser)
    response = client.post(
        reverse("admin:notifications_outgoingmail_changelist"),
        {
            "action": "retry_now",
            "_selected_action": list(OutgoingMail.objects.values_list("pk", flat=True)),
        },
        follow=True,
    )
    assert "2 thư không xếp lại" in response.content.decode()
    assert sorted(OutgoingMail.objects.values_list("status", flat=True)) == ["failed", "sent"]


def test_a_queued_mail_waiting_for_its_next_attempt_can_be_tried_at_once(
    mail_everyone, secretariat: User, mail_server: type[MailServer]
) -> None:
    queue(secretariat)
    deliver_queued(now=T0)  # fails: next attempt a minute later
    assert outbox.outgoing_mail_retry(mails=OutgoingMail.objects.all(), now=T0) == 1
    mail_server.down = False
    assert deliver_queued(now=T0).sent == 1


# ---------------------------------------------------------------------------- inline (DEBUG)


def test_inline_delivery_sends_right_after_the_commit(
    mail_everyone, secretariat: User, settings, django_capture_on_commit_callbacks, mailoutbox
) -> None:
    settings.MAIL_DELIVERY = "inline"
    with django_capture_on_commit_callbacks(execute=True):
        services.notify(
            recipients=[secretariat], kind="sheet_submitted", event_key="x", title="Tiêu đề"
        )
        assert mailoutbox == []
    assert [message.subject for message in mailoutbox] == ["[Thi đua] Tiêu đề"]
    assert OutgoingMail.objects.get().status == OutgoingMail.Status.SENT
    assert email_statuses() == {"sent"}


def test_inline_delivery_to_a_failing_server_keeps_the_mail_queued(
    mail_everyone,
    secretariat: User,
    settings,
    mail_server: type[MailServer],
    django_capture_on_commit_callbacks,
) -> None:
    settings.MAIL_DELIVERY = "inline"
    with django_capture_on_commit_callbacks(execute=True):
        services.notify(
            recipients=[secretariat], kind="sheet_submitted", event_key="x", title="Tiêu đề"
        )
    mail = OutgoingMail.objects.get()
    assert (mail.status, mail.attempts) == ("queued", 1)
    mail_server.down = False
    assert deliver_queued(now=mail.next_attempt_at).sent == 1


# ---------------------------------------------------------------------------- the command


def test_deliver_mail_once_prints_what_it_did(
    mail_everyone, secretariat: User, mail_server: type[MailServer]
) -> None:
    queue(secretariat, 2)
    out = StringIO()
    call_command("deliver_mail", "--once", stdout=out)
    mail_server.down = False
    OutgoingMail.objects.update(next_attempt_at=T0)
    call_command("deliver_mail", "--once", stdout=out)
    assert out.getvalue().splitlines() == [
        "Thư: đã gửi 0, sẽ thử lại 2, không gửi được 0.",
        "Thư: đã gửi 2, sẽ thử lại 0, không gửi được 0.",
    ]


@pytest.mark.django_db(transaction=True)
def test_the_worker_runs_until_sigterm_and_stops_cleanly(
    mail_everyone, secretariat: User, mail_server: type[MailServer]
) -> None:
    queue(secretariat)
    mail_server.down = False
    before = signal.getsignal(signal.SIGTERM)
    timer = threading.Timer(0.5, os.kill, (os.getpid(), signal.SIGTERM))
    timer.start()
    out = StringIO()
    try:
        call_command("deliver_mail", "--interval", "0.05", stdout=out)
    finally:
        timer.cancel()
    assert out.getvalue().splitlines()[-1] == "Đã dừng."
    assert signal.getsignal(signal.SIGTERM) is before
    assert len(django_mail.outbox) == 1
    assert OutgoingMail.objects.get().status == OutgoingMail.Status.SENT


# ---------------------------------------------------------------------------- two workers


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_workers_at_once_send_every_message_exactly_once(
    mail_everyone, secretariat: User, focal_point: User, mail_server: type[MailServer]
) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("concurrent transactions need PostgreSQL; SQLite serialises writers")
    queue(secretariat, 20, prefix="a")
    queue(focal_point, 20, prefix="b")
    mail_server.down = False
    mail_server.delay = 0.005  # both workers are sending at the same time
    barrier = threading.Barrier(2)
    reports: list[outbox.DeliveryReport] = []

    def worker() -> None:
        barrier.wait()
        try:
            reports.append(deliver_queued(limit=3))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(reports) == 2
    assert sum(report.sent for report in reports) == 40
    assert mail_server.attempts == 40
    subjects = [(message.to[0], message.subject) for message in django_mail.outbox]
    assert len(subjects) == len(set(subjects)) == 40
    assert set(OutgoingMail.objects.values_list("status", "attempts")) == {("sent", 1)}
    assert email_statuses() == {"sent"}


# ---------------------------------------------------------------------------- the migration


def test_mail_lost_before_the_queue_can_be_retried_from_the_admin(
    mail_everyone, secretariat: User, focal_point: User
) -> None:
    from tests.notifications.conftest import make_notification

    failed = make_notification(secretariat, 1, email_status="failed")
    stuck = make_notification(focal_point, 2, email_status="pending")
    make_notification(secretariat, 3, email_status="sent")
    migration = importlib.import_module("notifications.migrations.0003_outgoing_mail")
    migration.queue_earlier_failures(apps, None)
    rows = OutgoingMail.objects.order_by("notification_id")
    assert [(m.notification_id, m.status, m.to) for m in rows] == [
        (failed.pk, "failed", "thuky@example.gov.vn"),
        (stuck.pk, "failed", "daumoi@example.gov.vn"),
    ]
    assert "Gửi lại ngay" in rows[0].last_error
    stuck.refresh_from_db()
    assert stuck.email_status == "failed"
