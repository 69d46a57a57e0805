"""Codes as an authenticator app makes them, for the tests (and the browser tests' sign-in).

RFC 6238 is written out here (HMAC-SHA1, 30-second steps, six digits) rather than taken from
django-otp, so that the tests check the app against the standard, not against itself."""

from __future__ import annotations

import base64
import hashlib
import hmac
import struct
import time

from django_otp.plugins.otp_totp.models import TOTPDevice

STEP = 30


def totp(key_hex: str, step: int | None = None) -> str:
    """The six digits of time step ``step`` (now, by default) for a hex-encoded key."""
    counter = int(time.time()) // STEP if step is None else step
    digest = hmac.new(bytes.fromhex(key_hex), struct.pack(">Q", counter), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    number = struct.unpack(">I", digest[offset : offset + 4])[0] & 0x7FFFFFFF
    return f"{number % 1_000_000:06d}"


def key_from_page(text: str) -> str:
    """The hex key from the base32 key the enrolment page shows in groups of four."""
    letters = "".join(text.split()).upper()
    letters += "=" * (-len(letters) % 8)
    return base64.b32decode(letters).hex()


def next_code(device: TOTPDevice) -> str:
    """The code a person would type now. A code is accepted once: when this step's code was
    used already (a test signs in twice within 30 seconds), the next step's, which the app
    accepts as a clock one step ahead; failing that the device forgets its last step, as
    30 seconds of waiting would."""
    device.refresh_from_db()
    now = int(time.time()) // STEP
    step = max(now, device.last_t + 1)
    if step > now + 1:
        TOTPDevice.objects.filter(pk=device.pk).update(last_t=now - 1)
        step = now
    return totp(device.key, step)
