"""The e-mail of a notification: Vietnamese, plain text and simple HTML, with the absolute link."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from blocs.models import User
from notifications.models import Notification

SUBJECT_PREFIX = "[Thi đua] "


def absolute_url(path: str) -> str:
    """``SITE_URL`` + a path of the app; an absolute address is kept as it is."""
    if not path or "://" in path:
        return path
    return settings.SITE_URL.rstrip("/") + path


def build_message(
    notification: Notification, recipient: User, *, to: str | None = None
) -> EmailMultiAlternatives:
    """The e-mail of ``notification`` to ``recipient``, at ``to`` (default: their address)."""
    # E-mails go out in the app's language whatever the sender's page was in.
    with translation.override(settings.LANGUAGE_CODE):
        context = {
            "notification": notification,
            "recipient": recipient,
            "link": absolute_url(notification.url),
            "preferences_link": absolute_url(reverse("notifications:preferences")),
            "site_url": settings.SITE_URL,
        }
        text = render_to_string("notifications/email.txt", context)
        html = render_to_string("notifications/email.html", context)
    subject = " ".join(f"{SUBJECT_PREFIX}{notification.title}".split())  # never a header break
    message = EmailMultiAlternatives(
        subject=subject,
        body=text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[to or recipient.email],
        # RFC 3834: out-of-office robots must not answer a notification.
        headers={"Auto-Submitted": "auto-generated", "X-Auto-Response-Suppress": "All"},
    )
    message.attach_alternative(html, "text/html")
    return message
