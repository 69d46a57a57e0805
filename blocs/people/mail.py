"""The e-mail that carries a set-password link: to a new account, or to a person whose admin
sends one again (an invitation that expired, a forgotten password).

The link is Django's password-reset link (``default_token_generator``): it opens the same
page as "Quên mật khẩu?", works once, and no longer works once the password has changed or
after ``PASSWORD_RESET_TIMEOUT`` (three days by default). Nobody but the person ever knows the
password. The link is built on ``SITE_URL``, never on the address the request came to.

The messages go out right away, through one connection to the mail server; a message that
fails is reported back (the account stays, and the admin sends its link again from the
person's page). The link itself is never stored.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.core.mail import EmailMessage, get_connection
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from blocs.models import User

logger = logging.getLogger(__name__)

SUBJECT_TEMPLATE = "registration/set_password_subject.txt"
BODY_TEMPLATE = "registration/set_password_email.txt"


def set_password_link(person: User) -> str:
    """The one-use link with which ``person`` sets a password (Django's token)."""
    uid = urlsafe_base64_encode(force_bytes(person.pk))
    token = default_token_generator.make_token(person)
    path = reverse("password-reset-confirm", kwargs={"uidb64": uid, "token": token})
    return f"{settings.SITE_URL}{path}"


def link_days() -> int:
    """How many days a link works (at least one)."""
    return max(1, int(settings.PASSWORD_RESET_TIMEOUT) // 86400)


def set_password_message(person: User, *, new_account: bool) -> EmailMessage:
    context = {
        "person": person,
        "new_account": new_account,
        "link": set_password_link(person),
        "days": link_days(),
        "login_url": f"{settings.SITE_URL}{reverse('login')}",
        "site_url": settings.SITE_URL,
    }
    subject = "".join(render_to_string(SUBJECT_TEMPLATE, context).splitlines())
    body = render_to_string(BODY_TEMPLATE, context)
    return EmailMessage(subject, body, settings.DEFAULT_FROM_EMAIL, [person.email])


@dataclass
class Sent:
    """Who got their link and who did not (the mail server refused or could not be reached)."""

    sent: list[User] = field(default_factory=list)
    failed: list[User] = field(default_factory=list)


def send_set_password_links(people: Sequence[User], *, new_accounts: bool) -> Sent:
    """Send each person their link, through one connection; never raises for a mail error."""
    result = Sent()
    if not people:
        return result
    connection = get_connection(fail_silently=False)
    try:
        connection.open()
    except Exception:
        logger.warning("Mail server unreachable: %s set-password link(s) not sent", len(people))
        result.failed.extend(people)
        return result
    try:
        for person in people:
            try:
                message = set_password_message(person, new_account=new_accounts)
                message.connection = connection
                message.send()
            except Exception:
                logger.warning("Set-password link to person %s not sent", person.pk, exc_info=True)
                result.failed.append(person)
                try:  # a failed message may leave the connection unusable: start a new one
                    connection.close()
                    connection.open()
                except Exception:
                    logger.warning("Mail server unreachable after a failure")
            else:
                result.sent.append(person)
    finally:
        connection.close()
    return result
