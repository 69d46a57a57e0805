"""Every write of two-factor sign-in: enrolment, codes checked, recovery codes renewed, the
authenticator removed. Each change of a person's second step is in the audit trail, under the
context ``account:<person id>``; an entry of no bloc-year is read by the admins of the actor's
council (docs/security.md)."""

from __future__ import annotations

import datetime
import math
from dataclasses import dataclass

import django_otp
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_otp.models import Device, VerifyNotAllowed
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts import twofactor
from blocs.audit import audit_record
from blocs.models import User


def _context(person: User) -> str:
    return f"account:{person.pk}"


@dataclass(frozen=True)
class CodeCheck:
    """What came of a code typed on the code page (or to confirm a change)."""

    device: Device | None = None  # the device that accepted it
    recovery_codes_left: int | None = None  # when a recovery code was used
    wait_seconds: int = 0  # refused without trying: too many wrong codes just now

    @property
    def accepted(self) -> bool:
        return self.device is not None


def _wait_seconds(device: Device) -> int:
    allowed, data = device.verify_is_allowed()
    if allowed or not data or data.get("reason") != VerifyNotAllowed.N_FAILED_ATTEMPTS:
        return 0
    until: datetime.datetime = data["locked_until"]
    return max(1, math.ceil((until - timezone.now()).total_seconds()))


def code_check(*, person: User, code: str) -> CodeCheck:
    """Six digits are checked against the authenticator, anything else against the recovery
    codes. Each device counts its own wrong codes and makes the next try wait 1, 2, 4, 8 …
    seconds (django-otp's throttling, ``OTP_TOTP_THROTTLE_FACTOR``); an app code is accepted
    once (a later code must be of a later 30-second step), a recovery code is deleted."""
    code = twofactor.clean_code(code)
    device: Device | None = (
        twofactor.authenticator(person)
        if twofactor.is_app_code(code)
        else twofactor.recovery_device(person)
    )
    if device is None or not code:
        return CodeCheck()
    wait = _wait_seconds(device)
    if wait:
        return CodeCheck(wait_seconds=wait)
    # In a transaction, the device locked: two requests cannot both use one code.
    verified = django_otp.verify_token(person, device.persistent_id, code)
    if verified is None:
        return CodeCheck()
    if isinstance(verified, StaticDevice):
        left = verified.token_set.count()
        audit_record(
            actor=person,
            context=_context(person),
            action="twofactor.recovery-code-used",
            subject=person.username,
            summary=_("“%(person)s” đăng nhập bằng một mã dự phòng (còn %(left)s mã)")
            % {"person": person, "left": left},
        )
        return CodeCheck(device=verified, recovery_codes_left=left)
    return CodeCheck(device=verified)


@transaction.atomic
def _recovery_codes_create(person: User) -> list[str]:
    StaticDevice.objects.filter(user=person).delete()
    device = StaticDevice.objects.create(user=person, name="recovery-codes", confirmed=True)
    codes: list[str] = []
    while len(codes) < twofactor.RECOVERY_CODE_COUNT:
        code = twofactor.new_recovery_code()
        if code not in codes:
            codes.append(code)
    StaticToken.objects.bulk_create([StaticToken(device=device, token=code) for code in codes])
    return codes


@transaction.atomic
def two_factor_enrol(*, person: User, key: str, step: int) -> tuple[TOTPDevice, list[str]]:
    """The authenticator whose first code (of time step ``step``) was just typed, and ten new
    recovery codes, returned once to be shown once. Any earlier devices of the person go."""
    TOTPDevice.objects.filter(user=person).delete()
    device = TOTPDevice.objects.create(
        user=person,
        name="authenticator",
        key=key,
        confirmed=True,
        # The code typed to confirm is used up: it does not sign in again.
        last_t=step,
    )
    codes = _recovery_codes_create(person)
    audit_record(
        actor=person,
        context=_context(person),
        action="twofactor.enrol",
        subject=person.username,
        summary=_("“%(person)s” bật xác thực hai bước") % {"person": person},
    )
    return device, codes


@transaction.atomic
def recovery_codes_renew(*, person: User) -> list[str]:
    """Ten new recovery codes; every earlier one stops working."""
    codes = _recovery_codes_create(person)
    audit_record(
        actor=person,
        context=_context(person),
        action="twofactor.recovery-codes",
        subject=person.username,
        summary=_("“%(person)s” tạo mã dự phòng mới; các mã cũ hết hiệu lực") % {"person": person},
    )
    return codes


@transaction.atomic
def two_factor_remove(*, person: User, by: User) -> bool:
    """The authenticator and the recovery codes removed: by the person (turning it off, where
    the role allows: accounts.access) or by an admin (a lost phone: ``can_reset_two_factor``).
    A person whose role needs two-factor enrols again at the next sign-in. False when there
    was nothing to remove (nothing is written then)."""
    removed = 0
    for model in (TOTPDevice, StaticDevice):
        count, _by_model = model.objects.filter(user=person).delete()
        removed += count
    if not removed:
        return False
    if by.pk == person.pk:
        action = "twofactor.turn-off"
        summary = _("“%(person)s” tắt xác thực hai bước") % {"person": person}
    else:
        action = "twofactor.reset"
        summary = _(
            "Đặt lại xác thực hai bước của “%(person)s”: ứng dụng xác thực và mã dự phòng bị "
            "xóa, lần đăng nhập sau phải đăng ký lại"
        ) % {"person": person}
    audit_record(
        actor=by,
        context=_context(person),
        action=action,
        subject=person.username,
        summary=summary,
    )
    return True
