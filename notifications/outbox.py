"""The e-mail queue: what an event writes, and what ``manage.py deliver_mail`` sends.

``services.deliver`` writes a notification and, when the person gets it by e-mail, its
``OutgoingMail`` row in the same transaction (``mail_queue``): a notification is never
"pending" without a queued mail, and nothing is sent while a request waits. The worker
(``deliver_due``) claims the rows that are due, renders and sends each through
``EMAIL_BACKEND``, and records the outcome on the row and on its notification
(``email_status``): sent; or the error and the next attempt 1, 2, 4 … minutes later (at most an
hour apart); after ``MAX_ATTEMPTS`` it gives up ("failed", with the reason), and "retry now" in
Django admin (``outgoing_mail_retry``) queues it again.

Claiming is one statement, ``UPDATE … WHERE pk IN (SELECT … FOR UPDATE SKIP LOCKED LIMIT n)``,
which stamps the rows with the pass's name and moves their next attempt a lease ahead. Two
workers on PostgreSQL take different rows and never wait for each other; SQLite serialises
writers, so a second worker waits and then finds nothing due. A worker that dies while it holds
rows leaves them due again when the lease ends: a message is sent at least once, and twice only
if the process dies between the mail server's answer and the row's update.

With ``MAIL_DELIVERY = "inline"`` (the default with ``DEBUG``) the same delivery runs right after
the commit, for the rows just written, so ``make run`` needs no worker.
"""

from __future__ import annotations

import contextlib
import datetime
import logging
import os
import secrets
import socket
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from django.core.mail import get_connection
from django.core.mail.backends.base import BaseEmailBackend
from django.db import close_old_connections, transaction
from django.db.models import F, OuterRef, Q, QuerySet, Subquery
from django.utils import timezone

from blocs.models import User
from notifications.mail import build_message
from notifications.models import Notification, OutgoingMail

logger = logging.getLogger(__name__)

FIRST_RETRY = datetime.timedelta(minutes=1)
LONGEST_WAIT = datetime.timedelta(hours=1)
# 1 + 2 + 4 + … + 32 minutes, then hourly: the twelfth attempt is about six hours after the
# first, so a mail server down for a morning loses nothing.
MAX_ATTEMPTS = 12
BATCH = 20
# How long a pass holds the rows it claimed. It must outlast a batch sent to a silent server
# (BATCH × EMAIL_TIMEOUT, 200 s by default); a crashed worker's rows are due again after it.
LEASE = datetime.timedelta(minutes=15)
ERROR_LENGTH = 2000

Clock = Callable[[], datetime.datetime]


class NothingSent(Exception):
    """The mail backend returned without sending the message."""


@dataclass
class DeliveryReport:
    """What one run of the worker did."""

    sent: int = 0
    retrying: int = 0
    failed: int = 0
    released: int = 0  # claimed, then handed back unsent because the worker was stopped

    @property
    def attempted(self) -> int:
        return self.sent + self.retrying + self.failed

    def __str__(self) -> str:
        return f"Thư: đã gửi {self.sent}, sẽ thử lại {self.retrying}, không gửi được {self.failed}."


def retry_delay(attempts: int) -> datetime.timedelta:
    """The wait after the ``attempts``-th failed attempt: 1, 2, 4 … minutes, at most an hour."""
    return min(FIRST_RETRY * 2 ** min(max(attempts - 1, 0), 16), LONGEST_WAIT)


# ---------------------------------------------------------------------------- queueing


def mail_queue(*, notification: Notification, recipient: User) -> OutgoingMail:
    """Queue the e-mail of ``notification``; called in the transaction that writes it."""
    return OutgoingMail.objects.create(
        notification=notification, recipient=recipient, to=recipient.email
    )


def send_after_commit(mail_ids: Sequence[int]) -> None:
    """Inline delivery (development): send these queued mails as soon as the transaction
    commits, through the worker's own code, so they are claimed and recorded the same way."""
    ids = list(mail_ids)

    def send_mail_after_commit() -> None:  # a named function: Django logs robust errors by name
        deliver_due(ids=ids)

    transaction.on_commit(send_mail_after_commit, robust=True)


# ---------------------------------------------------------------------------- the worker


def deliver_due(
    *,
    now: datetime.datetime | None = None,
    ids: Sequence[int] | None = None,
    limit: int = BATCH,
    should_stop: Callable[[], bool] = lambda: False,
) -> DeliveryReport:
    """Send every queued mail that is due (``ids`` only, when given), ``limit`` at a time.

    ``now`` fixes the clock of the run (tests); ``should_stop`` is asked before each message,
    and the rest of the batch is handed back unsent when it says yes. Never raises for a mail
    error: each is recorded on its row.
    """
    clock: Clock = (lambda: now) if now is not None else timezone.now
    report = DeliveryReport()
    while not should_stop():
        token = _pass_name()
        claimed = _claim(token, clock(), limit, ids)
        if claimed:
            _send_batch(claimed, token, clock, report, should_stop)
        if len(claimed) < limit:
            break
    return report


def deliver_until_stopped(*, stop: threading.Event, interval: float) -> None:
    """The worker's loop: deliver what is due, sleep ``interval`` seconds, until ``stop`` is set
    (by SIGTERM). A message being sent is finished; the rest of its batch is handed back."""
    while not stop.is_set():
        close_old_connections()  # a long-lived process: drop a connection the server closed
        try:
            report = deliver_due(should_stop=stop.is_set)
        except Exception:
            logger.exception("Mail delivery pass failed; next pass in %s s", interval)
        else:
            if report.attempted:
                logger.info("%s", report)
        stop.wait(interval)
    close_old_connections()


def _pass_name() -> str:
    return f"{socket.gethostname()[:40]}:{os.getpid()}:{secrets.token_hex(6)}"


def _claim(
    token: str, now: datetime.datetime, limit: int, ids: Sequence[int] | None
) -> list[OutgoingMail]:
    due = OutgoingMail.objects.filter(status=OutgoingMail.Status.QUEUED, next_attempt_at__lte=now)
    if ids is not None:
        due = due.filter(pk__in=list(ids))
    with transaction.atomic():
        # One statement: on PostgreSQL the sub-select locks the rows it picks and skips those
        # another pass holds; on SQLite the UPDATE takes the write lock before reading.
        picked = (
            due.order_by("next_attempt_at", "pk")
            .select_for_update(skip_locked=True)
            .values("pk")[:limit]
        )
        if not due.filter(pk__in=picked).update(
            claimed_by=token, next_attempt_at=now + LEASE, attempts=F("attempts") + 1
        ):
            return []  # the idle pass: one UPDATE on the partial index of due mail
        return list(
            OutgoingMail.objects.filter(claimed_by=token)
            .select_related("notification", "recipient")
            .order_by("pk")
        )


def _send_batch(
    claimed: list[OutgoingMail],
    token: str,
    clock: Clock,
    report: DeliveryReport,
    should_stop: Callable[[], bool],
) -> None:
    """One connection for the batch; a failed message closes it, the next one opens anew."""
    connection: BaseEmailBackend = get_connection(fail_silently=False)
    try:
        connection.open()
    except Exception as error:
        logger.warning("Mail server unreachable: %s e-mail(s) not sent", len(claimed))
        for mail in claimed:
            _record_failure(mail, token, error, clock(), report)
        return
    try:
        for index, mail in enumerate(claimed):
            if should_stop():
                report.released += _release(claimed[index:], token)
                return
            try:
                message = build_message(mail.notification, mail.recipient, to=mail.to)
                if not connection.send_messages([message]):
                    raise NothingSent("the mail backend sent nothing")
            except Exception as error:
                _record_failure(mail, token, error, clock(), report)
                with contextlib.suppress(Exception):
                    connection.close()  # never reuse a connection in an unknown state
            else:
                _record_sent(mail, token, clock(), report)
    finally:
        with contextlib.suppress(Exception):
            connection.close()


def _record_sent(
    mail: OutgoingMail, token: str, at: datetime.datetime, report: DeliveryReport
) -> None:
    with transaction.atomic():
        updated = OutgoingMail.objects.filter(pk=mail.pk, claimed_by=token).update(
            status=OutgoingMail.Status.SENT, sent_at=at, last_attempt_at=at, claimed_by=""
        )
        if updated:
            Notification.objects.filter(pk=mail.notification_id).update(
                email_status=Notification.EmailStatus.SENT, emailed_at=at
            )
    if not updated:  # held longer than the lease; another pass may send it too
        logger.warning("E-mail %s sent after its claim had lapsed", mail.pk)
    report.sent += 1


def _record_failure(
    mail: OutgoingMail,
    token: str,
    error: Exception,
    at: datetime.datetime,
    report: DeliveryReport,
) -> None:
    reason = f"{type(error).__name__}: {error}"[:ERROR_LENGTH]
    event_key, user_id = mail.notification.event_key, mail.recipient_id
    with transaction.atomic():
        mine = OutgoingMail.objects.filter(pk=mail.pk, claimed_by=token)
        if mail.attempts >= MAX_ATTEMPTS:
            if mine.update(
                status=OutgoingMail.Status.FAILED,
                last_attempt_at=at,
                last_error=reason,
                claimed_by="",
            ):
                Notification.objects.filter(pk=mail.notification_id).update(
                    email_status=Notification.EmailStatus.FAILED
                )
            report.failed += 1
            logger.error(
                "Notification e-mail %s to user %s not sent after %s attempts; given up: %s",
                event_key,
                user_id,
                mail.attempts,
                reason,
            )
            return
        next_attempt = at + retry_delay(mail.attempts)
        mine.update(
            next_attempt_at=next_attempt, last_attempt_at=at, last_error=reason, claimed_by=""
        )
    report.retrying += 1
    logger.warning(
        "Notification e-mail %s to user %s not sent (attempt %s of %s), next at %s: %s",
        event_key,
        user_id,
        mail.attempts,
        MAX_ATTEMPTS,
        next_attempt.isoformat(),
        reason,
    )


def _release(mails: Sequence[OutgoingMail], token: str) -> int:
    """Hand claimed mails back unsent: due at once, the attempt not counted."""
    return OutgoingMail.objects.filter(pk__in=[mail.pk for mail in mails], claimed_by=token).update(
        claimed_by="", next_attempt_at=timezone.now(), attempts=F("attempts") - 1
    )


# ---------------------------------------------------------------------------- retry now


def outgoing_mail_retry(
    *, mails: QuerySet[OutgoingMail], now: datetime.datetime | None = None
) -> int:
    """Queue ``mails`` again for an attempt now, with a fresh series of attempts; returns how
    many. The address is read again from the account (the usual fix for a refused recipient).

    Left alone: mails already sent, mails a worker is sending right now, and mails whose
    person has no address any more or whose account is inactive.
    """
    now = now or timezone.now()
    in_flight = Q(next_attempt_at__gt=now) & ~Q(claimed_by="")
    with transaction.atomic():
        ids = list(
            mails.exclude(status=OutgoingMail.Status.SENT)
            .exclude(in_flight)
            .filter(recipient__is_active=True)
            .exclude(recipient__email="")
            .select_for_update(of=("self",))
            .values_list("pk", flat=True)
        )
        if not ids:
            return 0
        OutgoingMail.objects.filter(pk__in=ids).update(
            status=OutgoingMail.Status.QUEUED,
            attempts=0,
            next_attempt_at=now,
            claimed_by="",
            to=Subquery(User.objects.filter(pk=OuterRef("recipient_id")).values("email")[:1]),
        )
        Notification.objects.filter(outgoing_mail__in=ids).update(
            email_status=Notification.EmailStatus.PENDING
        )
    return len(ids)
