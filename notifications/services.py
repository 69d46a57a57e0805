"""Writes of notifications: tell people about an event, mark what was read, choose channels.

``notify`` is what event hooks call inside a service's transaction: it only registers the
delivery with ``transaction.on_commit``, so nothing is shown or sent when the transaction rolls
back. The delivery (``deliver``) writes one row per recipient under a unique
(recipient, event key) constraint, and with it, in the same transaction, the queued e-mail
(``notifications.outbox``): whoever writes the row queues its e-mail, so a second call for the
same event queues nothing. No e-mail is sent here: the mail worker (``manage.py deliver_mail``)
sends it and tries again after a failure, or, with ``MAIL_DELIVERY = "inline"``
(development), it goes out right after the commit. A failing mail server never reaches the
action that caused the event.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from blocs.audit import audit_record
from blocs.models import User
from notifications import outbox
from notifications.models import Notification, NotificationPreference

PREFERENCE_FIELDS = [
    "in_app_enabled",
    "email_enabled",
    "email_sheets",
    "email_proposals",
    "email_deadlines",
]


@dataclass(frozen=True)
class Message:
    """What every recipient of one event is told."""

    kind: str
    event_key: str
    title: str
    body: str = ""
    url: str = ""


def _ids(recipients: Iterable[User | int | None]) -> list[int]:
    ids = {
        recipient.pk if isinstance(recipient, User) else recipient
        for recipient in recipients
        if recipient is not None
    }
    return sorted(pk for pk in ids if pk is not None)


def notify(
    *,
    recipients: Iterable[User | int | None],
    kind: str,
    event_key: str,
    title: str,
    body: str = "",
    url: str = "",
) -> None:
    """Tell ``recipients`` about one event once the current transaction commits.

    Outside a transaction the delivery happens at once. ``event_key`` must name the event, not
    the call (``sheet:42:submitted:7``): a second call with the same key sends nothing more.
    """
    ids = _ids(recipients)
    if not ids:
        return
    message = Message(kind=kind, event_key=event_key, title=title, body=body, url=url)

    def deliver_after_commit() -> None:  # a named function: Django logs robust errors by name
        deliver(recipient_ids=ids, message=message)

    # robust: an error in the delivery is logged and never undoes or breaks the action.
    transaction.on_commit(deliver_after_commit, robust=True)


def preference_of(user: User) -> NotificationPreference:
    """The person's saved choice, or the defaults (everything on) when there is none.

    Reads ``notification_preference`` through ``select_related`` when the caller loaded it.
    """
    try:
        return user.notification_preference
    except NotificationPreference.DoesNotExist:
        return NotificationPreference(user=user)


def deliver(*, recipient_ids: Sequence[int], message: Message) -> list[Notification]:
    """Write the in-app rows and queue the e-mails; what ``notify`` runs after the commit.

    Returns the notifications this call created (empty when everyone had been told already).
    Inactive accounts and people who turned both channels off are skipped; e-mail goes only
    to people with an address who want that kind by e-mail. Each notification and its queued
    e-mail are written in one transaction: a notification "pending" by e-mail always has its
    mail in the queue.
    """
    users = User.objects.filter(pk__in=list(recipient_ids), is_active=True).select_related(
        "notification_preference"
    )
    created: list[Notification] = []
    queued: list[int] = []
    for user in users:
        preference = preference_of(user)
        in_app = preference.wants_in_app(message.kind)
        email = bool(user.email) and preference.wants_email(message.kind)
        if not (in_app or email):
            continue
        try:
            with transaction.atomic():
                notification = Notification.objects.create(
                    recipient=user,
                    kind=message.kind,
                    event_key=message.event_key[:200],
                    title=message.title[:300],
                    body=message.body,
                    url=message.url[:500],
                    in_app=in_app,
                    email_status=(
                        Notification.EmailStatus.PENDING
                        if email
                        else Notification.EmailStatus.NOT_SENT
                    ),
                )
                if email:
                    queued.append(outbox.mail_queue(notification=notification, recipient=user).pk)
        except IntegrityError:
            continue  # told already: a retried job, a double call, a second process
        created.append(notification)
    if queued and settings.MAIL_DELIVERY == "inline":
        outbox.send_after_commit(queued)
    return created


# ---------------------------------------------------------------------------- the reader


def notification_mark_read(*, notification: Notification, user: User) -> bool:
    """Mark one of the person's notifications read; False when it was read already.

    Reading is the person's own state, not a change to the year's records: no audit entry.
    """
    now = timezone.now()
    updated = Notification.objects.filter(
        pk=notification.pk, recipient=user, read_at__isnull=True
    ).update(read_at=now)
    if updated:
        notification.read_at = now
    return bool(updated)


def notifications_mark_all_read(*, user: User) -> int:
    """Mark every unread notification of the person read; returns how many."""
    return Notification.objects.for_user(user).unread().update(read_at=timezone.now())


@transaction.atomic
def preferences_set(
    *,
    user: User,
    in_app_enabled: bool,
    email_enabled: bool,
    email_sheets: bool = True,
    email_proposals: bool = True,
    email_deadlines: bool = True,
) -> NotificationPreference:
    """Save the person's channels; the audit trail keeps what changed (for "why no e-mail?")."""
    values = {
        "in_app_enabled": in_app_enabled,
        "email_enabled": email_enabled,
        "email_sheets": email_sheets,
        "email_proposals": email_proposals,
        "email_deadlines": email_deadlines,
    }
    preference = NotificationPreference.objects.select_for_update().filter(
        user=user
    ).first() or NotificationPreference(user=user)
    changes = {
        name: [getattr(preference, name), value]
        for name, value in values.items()
        if getattr(preference, name) != value
    }
    for name, value in values.items():
        setattr(preference, name, value)
    preference.save()
    user.notification_preference = preference
    if changes:
        audit_record(
            actor=user,
            context=f"user:{user.pk}",
            action="notifications.preferences",
            subject=user.username,
            summary=_("Đổi lựa chọn nhận thông báo"),
            changes=changes,
        )
    return preference
