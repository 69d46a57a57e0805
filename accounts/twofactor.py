"""Two-factor sign-in: where a session stands, the person's devices, the enrolment key.

django-otp keeps the devices: a ``TOTPDevice`` (the authenticator app's secret) and a
``StaticDevice`` holding the recovery codes, each code a ``StaticToken`` deleted when used.

The session says how far the sign-in got, under ``SESSION_KEY``. It is written at every sign-in
(``on_login``, on Django's ``user_logged_in`` signal, whatever signed the person in: the login
page, the Django admin's login, the province's single sign-on) and read by
``accounts.middleware.TwoFactorMiddleware`` on every request, without a query in the usual case:

* ``VERIFIED`` — the second step is done: a code was typed, or the province's login said it
  asked for a second factor itself (docs/security.md).
* ``OPEN`` — a password alone, for a person whose role does not need a second step and who
  has not turned it on. Checked again on each request against the role (no query): a person
  made a leader while signed in is asked to enrol at the next page.
* ``CODE`` — the person has an authenticator: the code page before any other page.
* ``ENROL`` — the role needs two-factor and there is no authenticator yet: the enrolment page
  before any other page, the Django admin included.

A session with no state (one that began before this feature) is taken as a fresh sign-in.
"""

from __future__ import annotations

import re
from base64 import b32encode
from binascii import unhexlify
from typing import Any
from urllib.parse import urlencode

import django_otp
import segno
from django.contrib.sessions.backends.base import SessionBase
from django.core import signing
from django.http import HttpRequest
from django.urls import reverse
from django_otp.models import Device
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp.util import random_hex

from accounts.access import requires_two_factor
from blocs.models import User

SESSION_KEY = "accounts.two_factor"
VERIFIED = "verified"
OPEN = "open"
CODE = "code"
ENROL = "enrol"

# Ten recovery codes, each used once (django-otp deletes a code when it matches).
RECOVERY_CODE_COUNT = 10
# The enrolment form carries the new key, signed, for this long: a person who scans the code
# and is called away for an hour starts again with a new key.
ENROL_KEY_MAX_AGE = 30 * 60
_ENROL_SALT = "accounts.two-factor.enrol"
_SEPARATORS = re.compile(r"[\s\-]+")


# ---------------------------------------------------------------- devices


def authenticator(user: User) -> TOTPDevice | None:
    """The person's authenticator app (one per person), once confirmed by a first code."""
    return TOTPDevice.objects.devices_for_user(user, confirmed=True).first()


def recovery_device(user: User) -> StaticDevice | None:
    return StaticDevice.objects.devices_for_user(user, confirmed=True).first()


def has_authenticator(user: User) -> bool:
    return TOTPDevice.objects.devices_for_user(user, confirmed=True).exists()


def recovery_codes_left(user: User) -> int:
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


def new_recovery_code() -> str:
    """Eight letters and digits (40 random bits), as django-otp makes them."""
    return StaticToken.random_token()


def display_code(code: str) -> str:
    """A recovery code as shown: ``abcd-efgh``."""
    return f"{code[:4]}-{code[4:]}" if len(code) == 8 else code


def clean_code(value: str) -> str:
    """What was typed, without the spaces and dashes people copy with it, in lower case."""
    return _SEPARATORS.sub("", value).lower()


def is_app_code(code: str) -> bool:
    """Six digits come from the authenticator app; a recovery code has eight characters."""
    return len(code) == 6 and code.isdigit()


# ---------------------------------------------------------------- the session


def state_at_sign_in(user: User, *, second_factor_done: bool = False) -> str:
    if second_factor_done:
        return VERIFIED
    if has_authenticator(user):
        return CODE
    if requires_two_factor(user):
        return ENROL
    return OPEN


def on_login(sender: Any, request: HttpRequest | None, user: User, **kwargs: Any) -> None:
    """Every sign-in starts over: the second step is asked again, whatever the session held.

    The province's login sets ``second_factor_done`` on the person it returns when its ID
    token says a second factor was used there (accounts/sso.py)."""
    session: SessionBase | None = getattr(request, "session", None)
    if session is None:
        return
    session[SESSION_KEY] = state_at_sign_in(
        user, second_factor_done=getattr(user, "second_factor_done", False)
    )


def pending_step(request: HttpRequest) -> str | None:
    """``CODE`` or ``ENROL`` while the person must pass that page before any other; None when
    nothing is pending (or nobody is signed in). No query unless the state must be worked out
    again (a session from before this feature, a role that changed)."""
    state = request.session.get(SESSION_KEY)
    if state == VERIFIED:
        return None
    user = request.user
    if not user.is_authenticated:
        return None
    assert isinstance(user, User)
    if state == OPEN and not requires_two_factor(user):
        return None
    if state not in (CODE, ENROL):
        state = state_at_sign_in(user)
        request.session[SESSION_KEY] = state
    return state if state in (CODE, ENROL) else None


def mark_verified(request: HttpRequest, device: Device | None) -> None:
    """The second step is done: a new session key (the session now grants more), and
    django-otp's record of the device that was used."""
    request.session.cycle_key()
    request.session[SESSION_KEY] = VERIFIED
    if device is not None:
        django_otp.login(request, device)


def mark_session_verified(session: SessionBase) -> None:
    """A session made without the login page (``Client.force_login``: the benchmark, the test
    suite) counted as past the second step; ``save()`` is the caller's."""
    session[SESSION_KEY] = VERIFIED


def step_url(step: str, next_url: str) -> str:
    name = "accounts:enrol" if step == ENROL else "accounts:verify"
    return f"{reverse(name)}?{urlencode({'next': next_url})}"


# ---------------------------------------------------------------- enrolment


def new_key() -> str:
    """A new authenticator secret: 20 random bytes, hex-encoded as django-otp stores it."""
    return str(random_hex(20))


def sign_key(key: str, user: User) -> str:
    """The key for the enrolment form's hidden field: signed with the person's id, so that the
    form accepts only a key this server made for this person, and only for a while."""
    return signing.dumps({"key": key, "user": user.pk}, salt=_ENROL_SALT)


def unsign_key(value: str, user: User) -> str | None:
    try:
        data = signing.loads(value, salt=_ENROL_SALT, max_age=ENROL_KEY_MAX_AGE)
    except signing.BadSignature:
        return None
    if not isinstance(data, dict) or data.get("user") != user.pk:
        return None
    key = data.get("key")
    return key if isinstance(key, str) else None


def key_for_typing(key: str) -> str:
    """The key as an authenticator app asks for it (base32), in groups of four."""
    text = b32encode(unhexlify(key)).decode("ascii").rstrip("=")
    return " ".join(text[i : i + 4] for i in range(0, len(text), 4))


def otpauth_url(key: str, user: User) -> str:
    """The ``otpauth://`` address the QR code holds (issuer ``OTP_TOTP_ISSUER``)."""
    return str(TOTPDevice(user=user, key=key).config_url)


def qr_code_data_uri(url: str) -> str:
    """The QR code as an SVG ``data:`` address for an ``<img>``: no script, no inline style
    (the Content-Security-Policy allows images from ``data:``)."""
    return str(segno.make_qr(url, error="m").svg_data_uri(scale=5, border=4, dark="#1a1a1a"))


def key_matches(key: str, code: str) -> int | None:
    """The time step of ``code`` if it is the key's code now (one step either side), else
    None. For the first code, before any device exists."""
    if not is_app_code(code):
        return None
    totp = TOTP(unhexlify(key))
    return int(totp.t()) if totp.verify(int(code), tolerance=1) else None
