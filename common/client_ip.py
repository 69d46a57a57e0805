"""The address of the person behind a request, through the proxies this site trusts.

Behind a load balancer every request comes from the balancer's address; the person's is in
``X-Forwarded-For``, where each proxy appends the address it received the request from. Only
the entries added by our own proxies can be believed: anything to their left was written by
the client and can be forged. With ``PROXY_COUNT`` trusted proxies in front of the app, the
client is the entry ``PROXY_COUNT`` places from the right end of ``X-Forwarded-For`` (the
last proxy is ``REMOTE_ADDR`` itself, the others appended theirs). Django-axes locks a
username *and* this address (``AXES_CLIENT_IP_CALLABLE``), and the request log records it.
"""

from __future__ import annotations

import ipaddress

from django.conf import settings
from django.http import HttpRequest


def _address(text: str) -> str | None:
    text = text.strip()
    if text.startswith("[") and "]" in text:  # [2001:db8::1]:443
        text = text[1 : text.index("]")]
    elif text.count(":") == 1:  # 203.0.113.7:51234
        text = text.split(":", 1)[0]
    try:
        return str(ipaddress.ip_address(text))
    except ValueError:
        return None


def client_ip(request: HttpRequest) -> str | None:
    remote = _address(request.META.get("REMOTE_ADDR", "") or "")
    trusted: int = getattr(settings, "PROXY_COUNT", 0)
    if trusted <= 0:
        return remote
    forwarded = [
        part for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()
    ]
    if len(forwarded) < trusted:
        # Fewer hops than proxies: the request did not come through all of them (a direct
        # request to an app server); its own address is the only one known.
        return remote
    return _address(forwarded[-trusted]) or remote
