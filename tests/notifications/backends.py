"""Mail backends that fail, standing in for an SMTP server that is down."""

from __future__ import annotations

import smtplib
import threading
import time
from collections.abc import Sequence
from typing import Any

from django.core.mail.backends.base import BaseEmailBackend
from django.core.mail.backends.locmem import EmailBackend as LocmemBackend
from django.core.mail.message import EmailMessage


class UnreachableBackend(BaseEmailBackend):
    """The server refuses the connection."""

    def open(self) -> bool:
        raise ConnectionRefusedError(111, "Connection refused")

    def send_messages(self, email_messages: Sequence[EmailMessage]) -> int:
        raise ConnectionRefusedError(111, "Connection refused")


class RefusingBackend(BaseEmailBackend):
    """The server accepts the connection, then refuses every message."""

    def open(self) -> bool:
        return True

    def close(self) -> None:
        return None

    def send_messages(self, email_messages: Sequence[EmailMessage], **kwargs: Any) -> int:
        raise smtplib.SMTPRecipientsRefused({"x@example.gov.vn": (550, b"No such user")})


class MailServer(LocmemBackend):
    """A mail server a test can take down and bring back: while ``down`` every message is
    refused with an SMTP error (after ``delay`` seconds, a slow server); once up, messages land
    in ``django.core.mail.outbox``. ``attempts`` counts every message handed to it, from any
    thread. Reset by the ``mail_server`` fixture."""

    down = True
    delay = 0.0
    attempts = 0
    _lock = threading.Lock()

    @classmethod
    def reset(cls) -> None:
        cls.down, cls.delay, cls.attempts = True, 0.0, 0

    def send_messages(self, messages: Sequence[EmailMessage]) -> int:
        with self._lock:
            MailServer.attempts += len(messages)
        if MailServer.delay:
            time.sleep(MailServer.delay)
        if MailServer.down:
            raise smtplib.SMTPException("451 4.3.0 Mail server temporarily unavailable")
        with self._lock:
            return super().send_messages(messages)
