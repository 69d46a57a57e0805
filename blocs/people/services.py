"""Writes to people's accounts from the app's pages. Each one checks what it writes
(``rules.person_problems``), refuses a change that would lock the actor out of their own
account (``access.lockout_problems``) and writes an audit entry of context ``user:<id>``.

Accounts are made without a password (Django's "unusable" password): the person sets one
through the e-mailed link (``blocs.people.mail``). The role decides the Django-admin access
(``blocs.services.user_apply_role``: ``is_staff`` and the ``council-admins`` group for council
admins, nobody else); no page here ever sets ``is_superuser``.
"""

from __future__ import annotations

import datetime
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from typing import Any

from axes.utils import reset as reset_login_attempts
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from blocs import access
from blocs.audit import audit_entry, audit_record, audit_record_many
from blocs.models import Unit, User
from blocs.people import rules
from blocs.services import user_apply_role

CONTEXT = "user:{pk}"


def _context(person: User) -> str:
    return CONTEXT.format(pk=person.pk)


def _new_account(
    *, username: str, full_name: str, email: str, job_title: str, role: str, unit: Unit
) -> User:
    person = User(
        username=username,
        full_name=full_name,
        email=User.objects.normalize_email(email),
        job_title=job_title,
        role=role,
        unit=unit,
    )
    person.set_unusable_password()
    person.save()
    user_apply_role(user=person)
    return person


def _created_changes(person: User) -> dict[str, Any]:
    return {
        "username": [None, person.username],
        "full_name": [None, person.full_name],
        "email": [None, person.email],
        "job_title": [None, person.job_title],
        "unit": [None, str(person.unit)],
        "role": [None, person.role],
    }


@transaction.atomic
def person_create(
    *,
    council_ids: Collection[int],
    username: str,
    full_name: str,
    email: str,
    unit: Unit | None,
    role: str = User.Role.FOCAL_POINT,
    job_title: str = "",
    by: User,
    day: datetime.date | None = None,
) -> User:
    """A new account of one of the ``council_ids``' open units, without a password. Refused
    with a ``ValidationError`` naming each wrong field."""
    username, full_name, email, job_title = (
        username.strip(),
        full_name.strip(),
        email.strip(),
        job_title.strip(),
    )
    problems = rules.person_problems(
        username=username,
        taken=rules.taken_usernames([username]),
        full_name=full_name,
        email=email,
        job_title=job_title,
        role=role,
        unit=unit,
        council_ids=council_ids,
        day=day or timezone.localdate(),
    )
    if problems:
        raise ValidationError(problems)
    assert unit is not None
    person = _new_account(
        username=username,
        full_name=full_name,
        email=email,
        job_title=job_title,
        role=role,
        unit=unit,
    )
    audit_record(
        actor=by,
        context=_context(person),
        action="people.create",
        subject=person.username,
        summary=_("Tạo tài khoản “%(username)s” (%(role)s, %(unit)s)")
        % {"username": person.username, "role": person.get_role_display(), "unit": unit.name},
        changes=_created_changes(person),
    )
    return person


def _field_name(name: str) -> str:
    field = User._meta.get_field(name)
    return str(getattr(field, "verbose_name", name))


@transaction.atomic
def person_change(
    *,
    person: User,
    council_ids: Collection[int],
    full_name: str,
    email: str,
    unit: Unit | None,
    role: str,
    job_title: str = "",
    by: User,
    day: datetime.date | None = None,
) -> User:
    """Change a person's name, e-mail, job title, unit and role. A unit that closed since the
    person joined it may stay; a new one must be open. Nobody demotes themself out of the
    council admin role or moves out of the councils they manage."""
    current = User.objects.select_for_update(of=("self",)).select_related("unit").get(pk=person.pk)
    full_name, email, job_title = full_name.strip(), email.strip(), job_title.strip()
    problems = rules.person_problems(
        full_name=full_name,
        email=email,
        job_title=job_title,
        role=role,
        unit=unit,
        council_ids=council_ids,
        day=day or timezone.localdate(),
        email_required=False,
    )
    if unit is not None and unit.pk == current.unit_id:
        problems.pop("unit", None)
    problems.update(
        {
            field: problem
            for field, problem in access.lockout_problems(
                by,
                current,
                role=role,
                unit_council_id=unit.council_id if unit is not None else None,
                is_active=current.is_active,
            ).items()
            if field not in problems
        }
    )
    if problems:
        raise ValidationError(problems)
    assert unit is not None
    new = {
        "full_name": full_name,
        "email": User.objects.normalize_email(email),
        "job_title": job_title,
        "role": role,
    }
    changes: dict[str, Any] = {
        field: [getattr(current, field), value]
        for field, value in new.items()
        if getattr(current, field) != value
    }
    if unit.pk != current.unit_id:
        changes["unit"] = [str(current.unit) if current.unit else None, str(unit)]
    if not changes:
        return person
    for field, value in new.items():
        setattr(person, field, value)
    person.unit = unit
    person.save(update_fields=[*new, "unit"])
    if "role" in changes:
        user_apply_role(user=person)
    audit_record(
        actor=by,
        context=_context(person),
        action="people.change",
        subject=person.username,
        summary=_("Sửa tài khoản “%(username)s”: %(fields)s")
        % {
            "username": person.username,
            "fields": ", ".join(_field_name(name) for name in changes),
        },
        changes=changes,
    )
    return person


@transaction.atomic
def person_deactivate(*, person: User, by: User) -> User:
    """Lock an account: the person can no longer log in, and their open sessions end at their
    next request (an inactive account is not loaded from its session). Nothing they did is
    removed. Nobody locks their own account."""
    return _set_active(person=person, by=by, active=False)


@transaction.atomic
def person_reactivate(*, person: User, by: User) -> User:
    """Open a locked account again, with the password it had."""
    return _set_active(person=person, by=by, active=True)


def _set_active(*, person: User, by: User, active: bool) -> User:
    current = User.objects.select_for_update().get(pk=person.pk)
    problems = access.lockout_problems(
        by, current, role=current.role, unit_council_id=None, is_active=active
    )
    if "is_active" in problems:
        raise ValidationError({"is_active": problems["is_active"]})
    person.is_active = active
    if current.is_active == active:
        return person
    User.objects.filter(pk=person.pk).update(is_active=active)
    audit_record(
        actor=by,
        context=_context(person),
        action="people.reactivate" if active else "people.deactivate",
        subject=person.username,
        summary=(
            _("Mở lại tài khoản “%(username)s”") if active else _("Khóa tài khoản “%(username)s”")
        )
        % {"username": person.username},
        changes={"is_active": [current.is_active, active]},
    )
    return person


# ---------------------------------------------------------------------------- many at once


@dataclass(frozen=True)
class NewPerson:
    """One account to make, as the upload read it (``row``: its row in the file)."""

    row: int
    username: str
    full_name: str
    email: str
    unit_id: int
    role: str
    job_title: str = ""


class RowsRefused(ValidationError):
    """The rows that cannot be made now, ``{row number: {field: problem}}``: nothing was made."""

    def __init__(self, problems: dict[int, dict[str, str]]) -> None:
        super().__init__(
            [
                f"{row}: {field}: {problem}"
                for row, fields in problems.items()
                for field, problem in fields.items()
            ]
        )
        self.problems = problems


@transaction.atomic
def people_create_many(
    *,
    people: Sequence[NewPerson],
    council_ids: Collection[int],
    by: User,
    source: str = "",
    day: datetime.date | None = None,
) -> list[User]:
    """Make every account of the list, or none: each row is checked again here (a login name
    taken, a unit closed since the preview) and any problem refuses the whole list with
    ``RowsRefused``. One audit entry per account, naming the file (``source``) and its row."""
    if not people:
        raise ValidationError(_("Danh sách không có tài khoản nào."))
    day = day or timezone.localdate()
    units = {unit.pk: unit for unit in rules.open_units(council_ids, day)}
    taken = rules.taken_usernames(person.username for person in people)
    seen: dict[str, int] = {}
    refused: dict[int, dict[str, str]] = {}
    for person in people:
        problems = rules.person_problems(
            username=person.username,
            taken=taken,
            full_name=person.full_name,
            email=person.email,
            job_title=person.job_title,
            role=person.role,
            unit=units.get(person.unit_id),
            council_ids=council_ids,
            day=day,
        )
        if person.unit_id not in units and "unit" in problems:
            problems["unit"] = _("Đơn vị không thuộc hội đồng này hoặc không còn hoạt động.")
        folded = person.username.lower()
        if folded in seen and "username" not in problems:
            problems["username"] = _("Tên đăng nhập trùng với dòng %(row)s.") % {
                "row": seen[folded]
            }
        seen.setdefault(folded, person.row)
        if problems:
            refused[person.row] = problems
    if refused:
        raise RowsRefused(refused)
    made = [
        _new_account(
            username=person.username,
            full_name=person.full_name,
            email=person.email,
            job_title=person.job_title,
            role=person.role,
            unit=units[person.unit_id],
        )
        for person in people
    ]
    rows = {person.username: person.row for person in people}
    audit_record_many(
        audit_entry(
            actor=by,
            context=_context(account),
            action="people.create",
            subject=account.username,
            summary=_("Tạo tài khoản “%(username)s” từ tệp “%(file)s”, dòng %(row)s")
            % {"username": account.username, "file": source, "row": rows[account.username]},
            changes=_created_changes(account),
        )
        for account in made
    )
    return made


# ---------------------------------------------------------------------------- passwords


@transaction.atomic
def password_set(*, person: User, password: str, how: str) -> User:
    """The person's new password, set by themself: ``how`` is ``"change"`` (signed in, with
    the old password) or ``"reset"`` (through an e-mailed link). A reset also clears the login
    throttling's failed attempts of that login name: the person proved they own the e-mail
    address, and may log in at once."""
    person.set_password(password)
    person.save(update_fields=["password"])
    if how == "reset":
        reset_login_attempts(username=person.username)
    audit_record(
        actor=person,
        context=_context(person),
        action=f"people.password_{how}",
        subject=person.username,
        summary=_("Đặt mật khẩu mới qua liên kết gửi bằng thư")
        if how == "reset"
        else _("Đổi mật khẩu"),
        changes={"password": ["***", "***"]},
    )
    return person


def password_link_record(*, people: Sequence[User], by: User, sent: bool = True) -> None:
    """The audit entries of set-password links sent by an admin (never the link itself)."""
    audit_record_many(
        audit_entry(
            actor=by,
            context=_context(person),
            action="people.password_link" if sent else "people.password_link_failed",
            subject=person.username,
            summary=(
                _("Gửi liên kết đặt mật khẩu đến %(email)s")
                if sent
                else _("Không gửi được liên kết đặt mật khẩu đến %(email)s")
            )
            % {"email": person.email},
        )
        for person in people
    )
