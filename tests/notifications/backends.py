"""Mail backends that fail, standing in for an SMTP server that is down."""

from __future__ import annotations

import smtplib
from collections.abc import Sequence
from typing import Any

from django.core.mail.backends.base import BaseEmailBackend
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
