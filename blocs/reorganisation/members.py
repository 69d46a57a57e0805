"""What a reorganisation does to the members of each open bloc-year.

For every bloc-year the reorganised units belong to that is still open, ``year_edits`` lists the
membership edits (``MembershipEdit``): the successor of a merge takes the place of the first
merged unit and the others leave; the new units of a split take the split unit's place; head and
deputy roles left pass to the successor when it has none, else stay vacant for the admin; a
rename only shows the new name; a year already being scored keeps its members. The preview
(``preview.py``) collects them, ``apply.py`` writes them. Package overview in ``__init__.py``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from blocs.models import BlocYear, Membership
from blocs.reorganisation.request import Operation, Reorganisation, successor_display, unit_key

# Bloc-years whose members a reorganisation may still change: scoring has not started.
CHANGEABLE_STATES = frozenset({BlocYear.State.SETUP, BlocYear.State.UNDERWAY})
LEADERSHIP = (Membership.Role.HEAD, Membership.Role.DEPUTY)
_ROLE_ORDER: dict[str, int] = {
    Membership.Role.HEAD: 0,
    Membership.Role.DEPUTY: 1,
    Membership.Role.MEMBER: 2,
}


class Edit(models.TextChoices):
    """What happens to one membership of an open bloc-year."""

    REPLACE = "replace", gettext_lazy("Thay bằng")
    ADD = "add", gettext_lazy("Thêm")
    REMOVE = "remove", gettext_lazy("Bỏ khỏi khối")
    SET_ROLE = "set_role", gettext_lazy("Nhận vai trò")
    RENAME = "rename", gettext_lazy("Hiển thị tên mới")
    KEEP = "keep", gettext_lazy("Giữ nguyên")
    VACANT = "vacant", gettext_lazy("Để trống vai trò")


@dataclass(frozen=True)
class MembershipEdit:
    action: str
    unit_key: str  # "unit:<id>" or "new:<code>"
    unit_name: str
    role: str = ""
    other_name: str = ""  # the unit replaced, or the former name
    reason: str = ""
    replaces_key: str = ""  # REPLACE: the unit that leaves

    @property
    def action_label(self) -> str:
        return str(Edit(self.action).label)

    @property
    def role_label(self) -> str:
        return str(Membership.Role(self.role).label) if self.role else ""


@dataclass(frozen=True)
class BlocYearChange:
    bloc_year: BlocYear
    edits: tuple[MembershipEdit, ...]

    @property
    def changes_members(self) -> bool:
        return any(
            edit.action in (Edit.REPLACE, Edit.ADD, Edit.REMOVE, Edit.SET_ROLE)
            for edit in self.edits
        )


@dataclass
class _YearState:
    """One open bloc-year while the edits are worked out: unit key → role."""

    bloc_year: BlocYear
    roles: dict[str, str]
    edits: list[MembershipEdit] = field(default_factory=list)


def _give_roles(state: _YearState, freed: list[str], key: str, name: str) -> None:
    """Head or deputy roles left by the predecessors pass to ``key`` while it has none."""
    for role in sorted(freed, key=LEADERSHIP.index):
        if state.roles.get(key) == Membership.Role.MEMBER:
            state.roles[key] = role
            state.edits.append(MembershipEdit(Edit.SET_ROLE, key, name, role))
        else:
            state.edits.append(
                MembershipEdit(
                    Edit.VACANT,
                    "",
                    "",
                    role,
                    reason=_("Quản trị chọn lại đơn vị giữ vai trò này."),
                )
            )


def _merge_edits(
    request: Reorganisation, state: _YearState, elsewhere: dict[int, dict[int, str]]
) -> None:
    """The successor takes the place of the first merged unit (the head before the deputy
    before members); the other merged units leave; roles they leave pass to the successor
    when it has none."""
    year = state.bloc_year.year
    key, name = successor_display(request)
    other_bloc = elsewhere.get(request.target.pk, {}).get(year) if request.target else None
    was_member = key in state.roles
    present = [unit for unit in request.units if unit_key(unit) in state.roles]
    present.sort(key=lambda unit: _ROLE_ORDER[state.roles[unit_key(unit)]])
    freed: list[str] = []
    for unit in present:
        role = state.roles.pop(unit_key(unit))
        old_name = unit.name_in_year(year)
        if key not in state.roles and other_bloc is None:
            state.roles[key] = role
            state.edits.append(
                MembershipEdit(
                    Edit.REPLACE, key, name, role, other_name=old_name, replaces_key=unit_key(unit)
                )
            )
            continue
        if role in LEADERSHIP:
            freed.append(role)
        if other_bloc is not None:
            reason = _("%(unit)s là thành viên của %(bloc)s năm %(year)s.") % {
                "unit": name,
                "bloc": other_bloc,
                "year": year,
            }
        elif was_member:
            reason = _("%(unit)s đã là thành viên của khối năm này.") % {"unit": name}
        else:
            reason = _("cùng hợp nhất vào %(unit)s.") % {"unit": name}
        state.edits.append(
            MembershipEdit(Edit.REMOVE, unit_key(unit), old_name, role, reason=reason)
        )
    _give_roles(state, freed, key if key in state.roles else "", name)


def _split_edits(request: Reorganisation, state: _YearState) -> None:
    (unit,) = request.units
    role = state.roles.get(unit_key(unit))
    if role is None:
        return
    old_name = unit.name_in_year(state.bloc_year.year)
    joining = [new for new in request.new_units if new.joins_blocs]
    if request.original_ends:
        del state.roles[unit_key(unit)]
        if not joining:
            state.edits.append(
                MembershipEdit(
                    Edit.REMOVE,
                    unit_key(unit),
                    old_name,
                    role,
                    reason=_("Không đơn vị mới nào được chọn tham gia khối."),
                )
            )
            if role in LEADERSHIP:
                _give_roles(state, [role], "", "")
            return
        first, *others = joining
        state.roles[first.key] = role
        state.edits.append(
            MembershipEdit(
                Edit.REPLACE,
                first.key,
                first.name,
                role,
                other_name=old_name,
                replaces_key=unit_key(unit),
            )
        )
    else:
        others = joining
    for new in others:
        state.roles[new.key] = Membership.Role.MEMBER
        state.edits.append(MembershipEdit(Edit.ADD, new.key, new.name, Membership.Role.MEMBER))


def year_edits(
    request: Reorganisation,
    bloc_year: BlocYear,
    elsewhere: dict[int, dict[int, str]],
) -> tuple[MembershipEdit, ...]:
    roles = {unit_key(m.unit): m.role for m in bloc_year.memberships.all()}
    state = _YearState(bloc_year=bloc_year, roles=roles)
    involved = [unit for unit in request.units if unit_key(unit) in roles]
    op = request.operation
    if op == Operation.RENAME:
        (unit,) = request.units
        return (
            MembershipEdit(
                Edit.RENAME,
                unit_key(unit),
                request.new_name.strip(),
                roles[unit_key(unit)],
                other_name=unit.name_in_year(bloc_year.year),
            ),
        )
    if bloc_year.state not in CHANGEABLE_STATES:
        return tuple(
            MembershipEdit(
                Edit.KEEP,
                unit_key(unit),
                unit.name_in_year(bloc_year.year),
                roles[unit_key(unit)],
                reason=_(
                    "Năm này đã mở chấm điểm (%(state)s): giữ thành viên như cũ; "
                    "nếu cần, quản trị sửa trong trang quản trị."
                )
                % {"state": bloc_year.get_state_display()},
            )
            for unit in involved
        )
    if op == Operation.MERGE:
        _merge_edits(request, state, elsewhere)
    elif op == Operation.SPLIT:
        _split_edits(request, state)
    return tuple(state.edits)
