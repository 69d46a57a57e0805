"""What an account made or changed on the people pages must be, by field.

One home for these checks: the forms, the upload's reading and the services all ask
``person_problems``, so a cell of an uploaded list and a field of the form are refused with the
same words.

* **Login names** are ASCII letters, digits and ``. _ - @ +`` (at most 150): people type them on
  office computers whose keyboard may not type Vietnamese marks, and a name that differs from
  another only by its case (``DauMoi`` and ``daumoi``) is refused as taken.
* **Full name** is required, and so is the **e-mail** of a new account: it carries the link
  with which the person sets their password (nobody else ever types it). An existing account
  may stay without one (it then gets no link and no e-mail notices).
* **Unit**: one of the council's units (or of a council it succeeded) that is open today.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Collection, Iterable

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db.models import Q, QuerySet
from django.db.models.functions import Lower
from django.utils.translation import gettext as _

from blocs.models import Unit, User
from common.workbooks import fold_header

USERNAME = re.compile(r"^[A-Za-z0-9.@+_-]+$")
USERNAME_LENGTH = 150
FULL_NAME_LENGTH = 150
JOB_TITLE_LENGTH = 150
EMAIL_LENGTH = 254

# A role as people write it in a list: the labels (Vietnamese and English), the stored values
# and the short words offices use. Matched after ``fold_header`` (no case, marks or spaces).
_ROLE_WORDS: dict[str, tuple[str, ...]] = {
    User.Role.FOCAL_POINT: (
        "Cán bộ đầu mối đơn vị",
        "Cán bộ đầu mối",
        "Đầu mối",
        "focal_point",
        "Focal point",
        "Unit focal point",
    ),
    User.Role.LEADER: ("Lãnh đạo", "leader"),
    User.Role.COUNCIL_ADMIN: (
        "Quản trị – Ban Thi đua - Khen thưởng",
        "Quản trị",
        "Quản trị viên",
        "council_admin",
        "Council admin",
    ),
}
ROLE_BY_WORD = {fold_header(word): role for role, words in _ROLE_WORDS.items() for word in words}


def role_from_text(text: str) -> str | None:
    """The role a cell names (blank: a unit focal point), or None when it names none."""
    if not text.strip():
        return User.Role.FOCAL_POINT
    return ROLE_BY_WORD.get(fold_header(text))


def open_units(council_ids: Collection[int], day: datetime.date) -> QuerySet[Unit]:
    """The units of these councils that are open on ``day``, by name."""
    return Unit.objects.filter(
        Q(active_from__isnull=True) | Q(active_from__lte=day),
        Q(active_until__isnull=True) | Q(active_until__gte=day),
        council_id__in=list(council_ids),
    ).order_by("name", "pk")


def is_open(unit: Unit, day: datetime.date) -> bool:
    return (unit.active_from is None or unit.active_from <= day) and (
        unit.active_until is None or unit.active_until >= day
    )


def taken_usernames(usernames: Iterable[str]) -> set[str]:
    """Which of these login names an account has already, whatever the case (lower case)."""
    wanted = {name.lower() for name in usernames if name}
    if not wanted:
        return set()
    return set(
        User.objects.annotate(folded=Lower("username"))
        .filter(folded__in=sorted(wanted))
        .values_list("folded", flat=True)
    )


def username_problem(username: str) -> str | None:
    if not username:
        return _("Nhập tên đăng nhập.")
    if len(username) > USERNAME_LENGTH:
        return _("Tên đăng nhập dài quá %(max)s ký tự.") % {"max": USERNAME_LENGTH}
    if not USERNAME.match(username):
        return _(
            "Tên đăng nhập chỉ gồm chữ không dấu, chữ số và các dấu . _ - @ + (không có "
            "khoảng trắng), ví dụ daumoi.syt."
        )
    return None


def email_problem(email: str, *, required: bool = True) -> str | None:
    if not email:
        if not required:
            return None
        return _("Nhập địa chỉ thư điện tử: liên kết đặt mật khẩu được gửi đến đó.")
    if len(email) > EMAIL_LENGTH:
        return _("Địa chỉ thư điện tử dài quá %(max)s ký tự.") % {"max": EMAIL_LENGTH}
    try:
        validate_email(email)
    except ValidationError:
        return _("Địa chỉ thư điện tử không hợp lệ, ví dụ đúng: daumoi@syt.quangnam.gov.vn.")
    return None


def person_problems(
    *,
    full_name: str,
    email: str,
    job_title: str,
    role: str,
    unit: Unit | None,
    council_ids: Collection[int],
    day: datetime.date,
    username: str | None = None,
    taken: Collection[str] = (),
    email_required: bool = True,
) -> dict[str, str]:
    """Every problem of an account's fields, by field (``username`` is checked when given, a
    new account's; ``taken`` holds the login names in use, in lower case). A new account needs
    an e-mail address (its set-password link goes there); an existing one may have none."""
    problems: dict[str, str] = {}
    if username is not None:
        problem = username_problem(username)
        if problem is None and username.lower() in taken:
            problem = _("Tên đăng nhập “%(username)s” đã có người dùng.") % {"username": username}
        if problem:
            problems["username"] = problem
    if not full_name:
        problems["full_name"] = _("Nhập họ và tên.")
    elif len(full_name) > FULL_NAME_LENGTH:
        problems["full_name"] = _("Họ và tên dài quá %(max)s ký tự.") % {"max": FULL_NAME_LENGTH}
    problem = email_problem(email, required=email_required)
    if problem:
        problems["email"] = problem
    if len(job_title) > JOB_TITLE_LENGTH:
        problems["job_title"] = _("Chức vụ dài quá %(max)s ký tự.") % {"max": JOB_TITLE_LENGTH}
    if role not in User.Role.values:
        problems["role"] = _("Chọn một vai trò trong danh sách.")
    if unit is None:
        problems["unit"] = _("Chọn đơn vị.")
    elif unit.council_id not in council_ids:
        problems["unit"] = _("Đơn vị %(unit)s không thuộc hội đồng này.") % {"unit": unit.name}
    elif not is_open(unit, day):
        problems["unit"] = _("Đơn vị %(unit)s không còn hoạt động.") % {"unit": unit.name}
    return problems
