"""What a council admin asks for when reorganising units, and the checks that refuse what cannot be.

``Reorganisation`` is the request (the operation, its effective date, the units, the successor,
the new names or units); ``check_request`` raises a ``ValidationError`` keyed by the form field
each message is about, so the form shows it at that field. The preview (``preview.py``) checks
first and then works out what the request changes. Package overview in ``__init__.py``.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Max, Q
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from blocs.models import Council, Unit, UnitLineage, UnitName

DAY = datetime.timedelta(days=1)


class Operation(models.TextChoices):
    RENAME = "rename", gettext_lazy("Đổi tên")
    MERGE = "merge", gettext_lazy("Sáp nhập, hợp nhất")
    SPLIT = "split", gettext_lazy("Chia tách, thành lập mới")
    TRANSFER = "transfer", gettext_lazy("Chuyển chức năng, nhiệm vụ")


def short_date(day: datetime.date) -> str:
    return date_format(day, "SHORT_DATE_FORMAT")


@dataclass(frozen=True)
class NewUnit:
    """A unit the reorganisation creates (the new unit of a merge, the units of a split)."""

    code: str
    name: str
    short_name: str = ""
    kind: str = Unit.Kind.DEPARTMENT
    joins_blocs: bool = True  # split: takes the split unit's place in its open bloc-years

    @property
    def key(self) -> str:
        return f"new:{self.code}"


@dataclass(frozen=True)
class Reorganisation:
    """What the admin asks for. ``units`` are the units reorganised (one, or several merged)."""

    council: Council
    operation: str
    effective_date: datetime.date
    units: tuple[Unit, ...]
    target: Unit | None = None  # merge into an existing unit; transfer functions to
    new_unit: NewUnit | None = None  # merge into a unit created now
    new_name: str = ""
    new_short_name: str = ""
    new_units: tuple[NewUnit, ...] = ()
    original_ends: bool = True  # split: the split unit stops existing
    note: str = ""

    @property
    def unit_field(self) -> str:
        """The form field that names the reorganised unit(s), for error messages."""
        return "units" if self.operation == Operation.MERGE else "unit"


def unit_key(unit: Unit) -> str:
    """An existing unit's key in the preview; ``NewUnit.key`` is a created unit's."""
    return f"unit:{unit.pk}"


def successor_display(request: Reorganisation) -> tuple[str, str]:
    """The key and name of the unit a merge goes into: the chosen unit or the one created."""
    if request.target is not None:
        return unit_key(request.target), request.target.name
    assert request.new_unit is not None
    return request.new_unit.key, request.new_unit.name


# ------------------------------------------------------------------------------ checking


def last_reorganisation(unit: Unit) -> tuple[datetime.date | None, datetime.date | None]:
    """The date of the unit's latest recorded reorganisation and of its latest rename."""
    link_day = UnitLineage.objects.filter(Q(predecessor=unit) | Q(successor=unit)).aggregate(
        day=Max("effective_date")
    )["day"]
    last_name_end = UnitName.objects.filter(unit=unit).aggregate(day=Max("valid_until"))["day"]
    rename_day = last_name_end + DAY if last_name_end else None
    latest = max((day for day in (link_day, rename_day) if day), default=None)
    return latest, rename_day


def check_request(request: Reorganisation) -> None:
    """Refuse what cannot be: the error names the form field it is about."""
    errors: dict[str, list[str]] = {}

    def refuse(field_name: str, message: str) -> None:
        errors.setdefault(field_name, []).append(message)

    council, op = request.council, request.operation
    unit_field = request.unit_field
    if not request.units:
        refuse(unit_field, _("Chọn đơn vị cần sắp xếp."))
    elif op != Operation.MERGE and len(request.units) != 1:
        refuse(unit_field, _("Chọn một đơn vị."))
    for unit in request.units:
        if unit.council_id != council.pk:
            refuse(
                unit_field,
                _("%(unit)s thuộc hội đồng khác, không sắp xếp được ở hội đồng này.")
                % {"unit": unit},
            )
    target = request.target
    if target is not None and target.council_id != council.pk:
        refuse(
            "target",
            _("%(unit)s thuộc hội đồng khác, không sắp xếp được ở hội đồng này.")
            % {"unit": target},
        )
    if op == Operation.MERGE:
        if target is None and request.new_unit is None:
            refuse("target", _("Chọn đơn vị tiếp nhận, hoặc nhập đơn vị mới được thành lập."))
        if target is not None and request.new_unit is not None:
            refuse(
                "target",
                _("Chọn đơn vị tiếp nhận hoặc nhập đơn vị mới, không chọn cả hai."),
            )
        if target is not None and target in request.units:
            refuse("target", _("Không thể sáp nhập một đơn vị vào chính nó."))
    if op == Operation.TRANSFER:
        if target is None:
            refuse("target", _("Chọn đơn vị nhận chức năng, nhiệm vụ."))
        elif target in request.units:
            refuse("target", _("Không thể chuyển chức năng, nhiệm vụ cho chính đơn vị đó."))
        if not request.note.strip():
            refuse("note", _("Ghi các chức năng, nhiệm vụ được chuyển."))
    if op == Operation.RENAME:
        if not request.new_name.strip():
            refuse("new_name", _("Nhập tên mới."))
        elif request.units and request.new_name.strip() == request.units[0].name:
            refuse("new_name", _("Tên mới trùng tên hiện nay của đơn vị."))
    if op == Operation.SPLIT and not request.new_units:
        refuse("new_units", _("Nhập ít nhất một đơn vị mới."))
    new_units = [*request.new_units, *([request.new_unit] if request.new_unit else [])]
    codes = [new.code for new in new_units]
    taken = set(Unit.objects.filter(council=council, code__in=codes).values_list("code", flat=True))
    code_field = "new_code" if op == Operation.MERGE else "new_units"
    for new in new_units:
        if not new.code.strip() or not new.name.strip():
            refuse(code_field, _("Đơn vị mới cần có mã và tên."))
        if new.code in taken:
            refuse(
                code_field,
                _("Mã %(code)s đã có đơn vị dùng trong hội đồng.") % {"code": new.code},
            )
    if len(set(codes)) != len(codes):
        refuse(code_field, _("Các đơn vị mới phải có mã khác nhau."))
    if not errors:
        _check_dates(request, refuse)
    if errors:
        raise ValidationError(errors)


def _check_dates(request: Reorganisation, refuse: Callable[[str, str], None]) -> None:
    day, op = request.effective_date, request.operation
    for unit in request.units:
        if unit.active_from and unit.active_from > day:
            refuse(
                "effective_date",
                _("%(unit)s chỉ hoạt động từ %(day)s.")
                % {"unit": unit, "day": short_date(unit.active_from)},
            )
        # A unit may still take part in reorganisations of the day it ended (merged into one
        # unit and giving some functions to another on the same date).
        if unit.active_until and unit.active_until < day - DAY:
            refuse(
                "effective_date",
                _("%(unit)s đã ngừng hoạt động từ sau ngày %(day)s.")
                % {"unit": unit, "day": short_date(unit.active_until)},
            )
        latest, rename_day = last_reorganisation(unit)
        if latest and day < latest:
            refuse(
                "effective_date",
                _(
                    "Ngày hiệu lực phải từ %(day)s trở đi: %(unit)s đã có lần sắp xếp "
                    "có hiệu lực ngày %(day)s."
                )
                % {"unit": unit, "day": short_date(latest)},
            )
        elif op == Operation.RENAME and rename_day and day <= rename_day:
            refuse(
                "effective_date",
                _("Ngày đổi tên phải sau lần đổi tên trước (%(day)s).")
                % {"day": short_date(rename_day)},
            )
    target = request.target
    if target is not None:
        if target.active_until and target.active_until < day:
            refuse(
                "target",
                _("%(unit)s đã ngừng hoạt động từ sau ngày %(day)s.")
                % {"unit": target, "day": short_date(target.active_until)},
            )
        if target.active_from and target.active_from > day:
            refuse(
                "target",
                _("%(unit)s chỉ hoạt động từ %(day)s.")
                % {"unit": target, "day": short_date(target.active_from)},
            )
