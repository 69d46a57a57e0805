"""How many "Quên mật khẩu?" requests a person or a machine may make.

Without a limit the page sends an e-mail to any address as often as anyone asks: a script can
fill a person's mailbox, or the mail server's quota, from one machine. Two limits, each over the
last hour:

* **per address**: ``PER_ADDRESS`` e-mails. Past it the page answers exactly as before ("check
  your mailbox") and no e-mail goes out, so the answer still never tells whether an account has
  the address;
* **per machine** (the client's address, through the trusted proxies): ``PER_CLIENT`` requests.
  Past it the form comes back with what was typed, the reason and the time to try again, with
  status 429.

Each request is one ``ResetRequest`` row; rows older than a day are deleted as new ones come,
so the table stays small. The address is stored as a keyed digest (HMAC with the site's secret
key), never as typed.
"""

from __future__ import annotations

import datetime
import hashlib
import hmac
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from blocs.models import ResetRequest

PER_ADDRESS = 3
PER_CLIENT = 10
WINDOW = datetime.timedelta(hours=1)
KEPT = datetime.timedelta(days=1)


@dataclass(frozen=True)
class Verdict:
    send: bool  # whether the e-mail may go out
    refused_until: datetime.datetime | None = None  # the machine asked too often: until when


def address_key(email: str) -> str:
    secret = settings.SECRET_KEY.encode()
    return hmac.new(secret, email.strip().lower().encode(), hashlib.sha256).hexdigest()


def decide(*, by_address: list[datetime.datetime], by_client: list[datetime.datetime]) -> Verdict:
    """The rule, on the times of the earlier requests within the window (pure)."""
    if len(by_client) >= PER_CLIENT:
        return Verdict(send=False, refused_until=min(by_client) + WINDOW)
    return Verdict(send=len(by_address) < PER_ADDRESS)


@transaction.atomic
def reset_requested(email: str, client: str | None) -> Verdict:
    """Record a request and say what may be done with it (a refused machine's request is not
    recorded, so waiting is enough to be let in again)."""
    now = timezone.now()
    ResetRequest.objects.filter(at__lt=now - KEPT).delete()
    key = address_key(email)
    recent = ResetRequest.objects.filter(at__gte=now - WINDOW)
    verdict = decide(
        by_address=list(recent.filter(address=key).values_list("at", flat=True)),
        by_client=list(recent.filter(client=client or "").values_list("at", flat=True))
        if client
        else [],
    )
    if verdict.refused_until is None:
        ResetRequest.objects.create(at=now, client=client or "", address=key)
    return verdict
