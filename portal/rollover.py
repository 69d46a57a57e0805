"""Opening next year of a bloc from this year: members, head and deputy, criteria set.

``rollover_plan`` works out what year N+1 will be (the preview); ``rollover_apply`` creates
exactly that, or nothing. It lives in the project package because it reads and writes two
apps (blocs: the bloc-year and its members; scoring: the criteria set cloned as a draft) and
reads a third (reports: the year-end report that may name next year's head and deputy).

The rules (docs/reorganisation.md, "Opening next year"):

* members of N are carried over, except that reorganisations in force on 1 January of N+1 are
  applied: a unit merged into another (or renamed into a new unit) is replaced by its successor,
  once however many members merged into it; a unit renamed in place keeps its membership under
  the new name; a unit split since the start of N makes the admin choose which successor(s)
  join; a unit that ended without a successor leaves. A successor that belongs to another bloc
  of the council (in N or N+1) stays there, and a successor of another council cannot join.
* head and deputy: those the year-end report of N names for next year when they are members of
  N+1; otherwise the rotation rule: N's deputy (or its successor) becomes head, and the member
  after it in alphabetical order of the N+1 names (cyclically, skipping N's head when there are
  more than two members) becomes deputy. The admin may choose others.
* the criteria set N used (its scoring's set, else its own set, else the council's shared set
  of N) is cloned as a draft for N+1: an own set as an own set, a shared set as a shared set
  unless the council already has a shared set for N+1, which is then used as it is.
* a council that had ended by 1 January of N+1 (merged into a successor) cannot open N+1: its
  successor council sets up its own blocs; the refusal names it.
"""

from __future__ import annotations

import datetime
import hashlib
import json
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field, replace

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from blocs import services as bloc_services
from blocs.audit import audit_record
from blocs.models import Bloc, BlocYear, Council, Membership, Unit, UnitLineage, User
from common.collation import vietnamese_sort_key
from reports.models import Document
from scoring.models import CriteriaSet, ScoringSeason
from scoring.services import criteria as criteria_services

FOLLOWED = (UnitLineage.Kind.MERGED_INTO, UnitLineage.Kind.RENAMED)
LAST_YEAR = 2100


class Origin(models.TextChoices):
    KEPT = "kept", gettext_lazy("Giữ nguyên")
    RENAMED = "renamed", gettext_lazy("Giữ nguyên, tên mới")
    SUCCESSOR = "successor", gettext_lazy("Đơn vị kế thừa")
    SPLIT = "split", gettext_lazy("Đơn vị sau chia tách")


class Basis(models.TextChoices):
    CONFERENCE = "conference", gettext_lazy("Theo hội nghị tổng kết")
    ROTATION = "rotation", gettext_lazy("Theo luân phiên")
    ADMIN = "admin", gettext_lazy("Quản trị chọn")
    NONE = "none", gettext_lazy("Chưa có")


class CriteriaAction(models.TextChoices):
    CLONE_OWN = "clone_own", gettext_lazy("Sao chép thành bảng nháp riêng của khối")
    CLONE_SHARED = "clone_shared", gettext_lazy("Sao chép thành bảng nháp dùng chung")
    USE_SHARED = "use_shared", gettext_lazy("Dùng bảng chung đã có của năm mới")
    NONE = "none", gettext_lazy("Không có bảng để sao chép")


NO_SUCCESSOR = 0  # the "none of them" answer to a split question


@dataclass(frozen=True)
class RolloverChoices:
    """The admin's answers: split unit id → chosen unit ids (empty: none joins), head, deputy.
    ``None`` for head or deputy means "the suggestion"."""

    splits: Mapping[int, frozenset[int]] = field(default_factory=dict)
    head_id: int | None = None
    deputy_id: int | None = None


@dataclass(frozen=True)
class PlannedMember:
    unit: Unit
    name: str  # the name in N+1
    role: str
    origin: str
    replaces: tuple[str, ...] = ()  # names in N of the members whose place it takes

    @property
    def role_label(self) -> str:
        return str(Membership.Role(self.role).label)

    @property
    def origin_label(self) -> str:
        return str(Origin(self.origin).label)


@dataclass(frozen=True)
class DroppedMember:
    unit: Unit
    name: str
    reason: str


@dataclass(frozen=True)
class SplitQuestion:
    unit: Unit
    name: str
    effective_date: datetime.date
    options: tuple[tuple[int, str], ...]  # (unit id, name in N+1)
    chosen: frozenset[int] | None  # None: not answered yet; empty: none of them joins

    @property
    def field_name(self) -> str:
        return f"split_{self.unit.pk}"


@dataclass(frozen=True)
class CriteriaPlan:
    action: str
    source: CriteriaSet | None = None
    name: str = ""  # of the clone
    existing: CriteriaSet | None = None  # the shared set of N+1 that will be used

    @property
    def action_label(self) -> str:
        return str(CriteriaAction(self.action).label)


@dataclass(frozen=True)
class Plan:
    """The preview: exactly what ``rollover_apply`` creates."""

    source: BlocYear
    year: int
    choices: RolloverChoices
    members: tuple[PlannedMember, ...]
    dropped: tuple[DroppedMember, ...]
    splits: tuple[SplitQuestion, ...]
    suggested_head_id: int | None
    suggested_deputy_id: int | None
    head_basis: str
    deputy_basis: str
    head_reason: str
    deputy_reason: str
    suggestion_notes: tuple[str, ...]
    criteria: CriteriaPlan
    problems: tuple[str, ...]  # why N+1 cannot be opened at all
    errors: Mapping[str, str]  # choices that cannot be: field name → message
    existing: BlocYear | None = None
    successor_council: Council | None = None
    digest: str = ""

    @property
    def head(self) -> PlannedMember | None:
        return next((m for m in self.members if m.role == Membership.Role.HEAD), None)

    @property
    def deputy(self) -> PlannedMember | None:
        return next((m for m in self.members if m.role == Membership.Role.DEPUTY), None)

    @property
    def unanswered(self) -> tuple[SplitQuestion, ...]:
        return tuple(question for question in self.splits if question.chosen is None)

    @property
    def ready(self) -> bool:
        return not self.problems and not self.unanswered and not self.errors


class PlanOutdated(ValidationError):
    """The data changed since the preview was shown."""


def _short(day: datetime.date) -> str:
    return date_format(day, "SHORT_DATE_FORMAT")


def _active_on(unit: Unit, day: datetime.date) -> bool:
    return unit.active_until is None or unit.active_until >= day


# ------------------------------------------------------------------------------ members


def _links_from(unit_ids: set[int], cutoff: datetime.date) -> dict[int, list[UnitLineage]]:
    """Links in force on ``cutoff`` from these units and, generation by generation, from their
    successors (one query per generation)."""
    found: dict[int, list[UnitLineage]] = {}
    frontier = set(unit_ids)
    while frontier:
        links = list(
            UnitLineage.objects.filter(predecessor_id__in=frontier, effective_date__lte=cutoff)
            .select_related("successor")
            .prefetch_related("successor__former_names")
            .order_by("effective_date", "pk")
        )
        for link in links:
            found.setdefault(link.predecessor_id, []).append(link)
        frontier = {link.successor_id for link in links} - found.keys() - unit_ids
        unit_ids = unit_ids | frontier
    return found


@dataclass
class _Resolution:
    """Where the members of N went: (final unit, origin, member of N it came from)."""

    arrivals: list[tuple[Unit, str, Unit]] = field(default_factory=list)
    dropped: list[DroppedMember] = field(default_factory=list)
    questions: list[SplitQuestion] = field(default_factory=list)


def _resolve(
    member: Unit,
    links: dict[int, list[UnitLineage]],
    choices: RolloverChoices,
    source_year: int,
    into: _Resolution,
) -> None:
    year = source_year + 1
    cutoff = datetime.date(year, 1, 1)
    start = datetime.date(source_year, 1, 1)

    def follow(unit: Unit, origin: str, seen: frozenset[int]) -> None:
        own = [link for link in links.get(unit.pk, []) if link.successor_id not in seen]
        identity = [link for link in own if link.kind in FOLLOWED]
        splits = [
            link
            for link in own
            if link.kind == UnitLineage.Kind.SPLIT_INTO
            and (link.effective_date > start or not _active_on(unit, cutoff))
        ]
        if len(identity) == 1 and not splits:
            follow(identity[0].successor, Origin.SUCCESSOR, seen | {identity[0].successor_id})
            return
        if identity or splits:
            options: list[tuple[int, str]] = []
            if not identity and _active_on(unit, cutoff):
                options.append((unit.pk, unit.name_in_year(year)))
            successors = {link.successor_id: link.successor for link in identity + splits}
            options += [(pk, successor.name_in_year(year)) for pk, successor in successors.items()]
            chosen = choices.splits.get(unit.pk)
            valid = {pk for pk, _name in options} | {NO_SUCCESSOR}
            if chosen is not None and not chosen <= valid:
                chosen = None
            into.questions.append(
                SplitQuestion(
                    unit=unit,
                    name=unit.name_in_year(source_year),
                    effective_date=max(link.effective_date for link in identity + splits),
                    options=tuple(options),
                    chosen=None if chosen is None else chosen - {NO_SUCCESSOR},
                )
            )
            for pk in sorted(chosen or ()):
                if pk == unit.pk:
                    into.arrivals.append((unit, origin, member))
                elif pk in successors:
                    follow(successors[pk], Origin.SPLIT, seen | {pk})
            return
        if not _active_on(unit, cutoff):
            assert unit.active_until is not None
            into.dropped.append(
                DroppedMember(
                    member,
                    member.name_in_year(source_year),
                    _("%(unit)s ngừng hoạt động từ sau ngày %(day)s, không có đơn vị kế thừa.")
                    % {"unit": unit.name_on(unit.active_until), "day": _short(unit.active_until)},
                )
            )
            return
        into.arrivals.append((unit, origin, member))

    follow(member, Origin.KEPT, frozenset({member.pk}))


def _members(
    bloc_year: BlocYear, memberships: list[Membership], choices: RolloverChoices
) -> tuple[list[tuple[Unit, str, list[Unit]]], list[DroppedMember], list[SplitQuestion]]:
    """The units of N+1 (with origin and the members of N they replace), those left out."""
    year = bloc_year.year + 1
    bloc, council = bloc_year.bloc, bloc_year.bloc.council
    member_ids = {m.unit_id for m in memberships}
    links = _links_from(member_ids, datetime.date(year, 1, 1))
    resolution = _Resolution()
    for membership in memberships:
        _resolve(membership.unit, links, choices, bloc_year.year, resolution)
    arriving_ids = {unit.pk for unit, _origin, _member in resolution.arrivals}
    elsewhere = {
        (unit_id, member_year): bloc_name
        for unit_id, member_year, bloc_name in Membership.objects.filter(
            unit_id__in=arriving_ids, year__in=[bloc_year.year, year]
        )
        .exclude(bloc_year__bloc=bloc)
        .values_list("unit_id", "year", "bloc_year__bloc__name")
    }
    planned: dict[int, tuple[Unit, str, list[Unit]]] = {}
    dropped = list(resolution.dropped)
    for unit, origin, member in resolution.arrivals:
        came = member.name_in_year(bloc_year.year)
        reason = ""
        if unit.council_id != council.pk:
            reason = _("%(unit)s thuộc hội đồng khác, không là thành viên của khối được.") % {
                "unit": unit.name_in_year(year)
            }
        elif (unit.pk, year) in elsewhere:
            reason = _("%(unit)s đã là thành viên của %(bloc)s năm %(year)s.") % {
                "unit": unit.name_in_year(year),
                "bloc": elsewhere[unit.pk, year],
                "year": year,
            }
        elif unit.pk != member.pk and (unit.pk, bloc_year.year) in elsewhere:
            reason = _("%(unit)s thuộc %(bloc)s năm %(year)s, tiếp tục ở khối đó.") % {
                "unit": unit.name_in_year(year),
                "bloc": elsewhere[unit.pk, bloc_year.year],
                "year": bloc_year.year,
            }
        if reason:
            dropped.append(DroppedMember(member, came, reason))
            continue
        if unit.pk in planned:
            replaced = planned[unit.pk][2]
            if member not in replaced:
                replaced.append(member)
            if origin == Origin.KEPT:
                planned[unit.pk] = (unit, origin, replaced)
            continue
        planned[unit.pk] = (unit, origin, [member])
    return list(planned.values()), dropped, resolution.questions


# ------------------------------------------------------------------------------ head, deputy


def _normal(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", text).casefold().split()).strip(" .;,")


def _conference_names(bloc_year: BlocYear) -> tuple[str, str]:
    """Next year's head and deputy as the year-end report of N names them (free text)."""
    narrative = (
        Document.objects.filter(bloc_year=bloc_year, kind=Document.Kind.REPORT)
        .values_list("narrative", flat=True)
        .first()
    ) or {}
    return str(narrative.get("next_head") or "").strip(), str(
        narrative.get("next_deputy") or ""
    ).strip()


def _match(text: str, units: list[Unit], years: tuple[int, int]) -> Unit | None:
    wanted = _normal(text)
    if not wanted:
        return None
    found = []
    for unit in units:
        names = {unit.name, unit.short_name, unit.code}
        for year in years:
            day = datetime.date(year, 12, 31)
            names |= {unit.name_on(day), unit.short_name_on(day)}
        if wanted in {_normal(name) for name in names if name}:
            found.append(unit)
    return found[0] if len(found) == 1 else None


def _next_in_order(order: list[Unit], after: Unit, skip: set[int]) -> Unit | None:
    """The member after ``after`` in the cyclic order, skipping ``skip``."""
    start = order.index(after) if after in order else -1
    for step in range(1, len(order) + 1):
        candidate = order[(start + step) % len(order)]
        if candidate.pk not in skip:
            return candidate
    return None


@dataclass
class _Suggestion:
    head: Unit | None = None
    deputy: Unit | None = None
    head_basis: str = Basis.NONE
    deputy_basis: str = Basis.NONE
    head_reason: str = ""
    deputy_reason: str = ""
    notes: list[str] = field(default_factory=list)


def _suggest(
    bloc_year: BlocYear,
    memberships: list[Membership],
    planned: list[tuple[Unit, str, list[Unit]]],
) -> _Suggestion:
    """The conference's choice when the year-end report names it, else the rotation rule."""
    previous, year = bloc_year.year, bloc_year.year + 1
    units = [unit for unit, _origin, _replaced in planned]
    order = sorted(units, key=lambda unit: vietnamese_sort_key(unit.name_in_year(year)))
    found = _Suggestion()
    head_text, deputy_text = _conference_names(bloc_year)
    found.head = _match(head_text, units, (previous, year))
    found.deputy = _match(deputy_text, units, (previous, year))
    if found.head and found.deputy and found.head.pk == found.deputy.pk:
        found.deputy = None
    for text, unit, role in (
        (head_text, found.head, _("Trưởng khối")),
        (deputy_text, found.deputy, _("Khối phó")),
    ):
        if text and unit is None:
            found.notes.append(
                _(
                    "Báo cáo tổng kết năm %(year)s ghi %(role)s năm tới là “%(text)s”, không khớp "
                    "đúng một đơn vị của khối năm %(next)s; đề xuất theo luân phiên."
                )
                % {"year": previous, "role": role, "text": text, "next": year}
            )
    conference = _("Theo báo cáo tổng kết năm %(year)s (hội nghị bầu).") % {"year": previous}
    if found.head:
        found.head_basis, found.head_reason = Basis.CONFERENCE, conference
    if found.deputy:
        found.deputy_basis, found.deputy_reason = Basis.CONFERENCE, conference
    came_from = {member.pk: unit for unit, _origin, replaced in planned for member in replaced}
    old = {m.role: came_from.get(m.unit_id) for m in memberships}
    old_head, old_deputy = old.get(Membership.Role.HEAD), old.get(Membership.Role.DEPUTY)
    if found.head is None and order:
        found.head_basis = Basis.ROTATION
        if old_deputy is not None:
            found.head = old_deputy
            found.head_reason = _("Theo luân phiên: Khối phó năm %(year)s làm Trưởng khối.") % {
                "year": previous
            }
        else:
            found.head = _next_in_order(order, old_head, set()) if old_head else order[0]
            found.head_reason = _(
                "Theo luân phiên: năm %(year)s không có Khối phó chuyển sang; chọn đơn vị kế "
                "tiếp theo thứ tự tên."
            ) % {"year": previous}
    if found.deputy is None and found.head is not None and len(order) > 1:
        skip = {found.head.pk}
        if old_head is not None and len(order) > 2:
            skip.add(old_head.pk)
        found.deputy = _next_in_order(order, found.head, skip)
        found.deputy_basis = Basis.ROTATION
        found.deputy_reason = _(
            "Theo luân phiên: đơn vị kế tiếp Trưởng khối theo thứ tự tên (bỏ qua Trưởng khối "
            "năm %(year)s)."
        ) % {"year": previous}
    return found


# ------------------------------------------------------------------------------ criteria


def _criteria(bloc_year: BlocYear) -> CriteriaPlan:
    year = bloc_year.year + 1
    season = ScoringSeason.objects.filter(bloc_year=bloc_year).select_related("criteria_set")
    source = next((s.criteria_set for s in season), None)
    if source is None:
        source = (
            CriteriaSet.objects.filter(bloc_year=bloc_year).order_by("-created_at", "-pk").first()
            or CriteriaSet.objects.filter(
                council_id=bloc_year.bloc.council_id, year=bloc_year.year, bloc_year__isnull=True
            )
            .order_by("-created_at", "-pk")
            .first()
        )
    if source is None:
        return CriteriaPlan(CriteriaAction.NONE)
    name = source.name.replace(str(source.year), str(year))
    if source.bloc_year_id is not None:
        return CriteriaPlan(CriteriaAction.CLONE_OWN, source, name)
    existing = (
        CriteriaSet.objects.filter(council_id=source.council_id, year=year, bloc_year__isnull=True)
        .order_by("-created_at", "-pk")
        .first()
    )
    if existing is not None:
        return CriteriaPlan(CriteriaAction.USE_SHARED, source, existing=existing)
    return CriteriaPlan(CriteriaAction.CLONE_SHARED, source, name)


# ------------------------------------------------------------------------------ the plan


def _problems(bloc_year: BlocYear) -> tuple[list[str], BlocYear | None, Council | None]:
    year = bloc_year.year + 1
    council = bloc_year.bloc.council
    problems = []
    existing = BlocYear.objects.filter(bloc_id=bloc_year.bloc_id, year=year).first()
    if existing is not None:
        problems.append(
            _("%(bloc)s đã có năm %(year)s; không mở lại được.")
            % {"bloc": bloc_year.bloc.name, "year": year}
        )
    if year > LAST_YEAR:
        problems.append(_("Năm %(year)s nằm ngoài phạm vi ứng dụng.") % {"year": year})
    successor = None
    cutoff = datetime.date(min(year, LAST_YEAR), 1, 1)
    if not council.is_active_on(cutoff):
        successor = council.successor
        if successor is not None and council.valid_until is not None:
            problems.append(
                _(
                    "%(council)s đã hợp nhất vào %(successor)s từ ngày %(day)s. Từ năm %(year)s, "
                    "các khối thi đua do %(successor)s thành lập và quản lý; lịch sử của khối "
                    "này được giữ nguyên."
                )
                % {
                    "council": council.name,
                    "successor": successor.name,
                    "day": _short(council.valid_until + datetime.timedelta(days=1)),
                    "year": year,
                }
            )
        else:
            problems.append(
                _("%(council)s không hoạt động vào ngày 01/01/%(year)s.")
                % {"council": council.name, "year": year}
            )
    return problems, existing, successor


def rollover_plan(bloc_year: BlocYear, choices: RolloverChoices | None = None) -> Plan:
    """What opening next year would create, with the admin's ``choices`` applied."""
    choices = choices or RolloverChoices()
    year = bloc_year.year + 1
    problems, existing, successor = _problems(bloc_year)
    memberships = list(
        Membership.objects.filter(bloc_year=bloc_year)
        .select_related("unit")
        .prefetch_related("unit__former_names")
    )
    planned, dropped, questions = _members(bloc_year, memberships, choices)
    suggestion = _suggest(bloc_year, memberships, planned)
    head_id = suggestion.head.pk if suggestion.head else None
    deputy_id = suggestion.deputy.pk if suggestion.deputy else None
    head_basis, deputy_basis = suggestion.head_basis, suggestion.deputy_basis
    head_reason, deputy_reason = suggestion.head_reason, suggestion.deputy_reason
    names = {unit.pk: unit.name_in_year(year) for unit, _origin, _replaced in planned}
    errors: dict[str, str] = {}
    chosen_head, chosen_deputy = head_id, deputy_id
    if choices.head_id is not None and choices.head_id != head_id:
        if choices.head_id in names:
            chosen_head, head_basis = choices.head_id, Basis.ADMIN
            head_reason = _("Quản trị chọn; đề xuất là %(unit)s.") % {
                "unit": names.get(head_id or 0, "–")
            }
        else:
            errors["head"] = _("Trưởng khối phải là thành viên của khối năm %(year)s.") % {
                "year": year
            }
    if choices.deputy_id is not None and choices.deputy_id != deputy_id:
        if choices.deputy_id in names:
            chosen_deputy, deputy_basis = choices.deputy_id, Basis.ADMIN
            deputy_reason = _("Quản trị chọn; đề xuất là %(unit)s.") % {
                "unit": names.get(deputy_id or 0, "–")
            }
        else:
            errors["deputy"] = _("Khối phó phải là thành viên của khối năm %(year)s.") % {
                "year": year
            }
    if chosen_head is not None and chosen_head == chosen_deputy:
        errors["deputy"] = _("Trưởng khối và Khối phó phải là hai đơn vị khác nhau.")
    roles = {chosen_head: Membership.Role.HEAD, chosen_deputy: Membership.Role.DEPUTY}
    members = [
        PlannedMember(
            unit=unit,
            name=unit.name_in_year(year),
            role=roles.get(unit.pk, Membership.Role.MEMBER),
            origin=Origin.RENAMED
            if origin == Origin.KEPT and unit.name_in_year(year) != unit.name_in_year(year - 1)
            else origin,
            replaces=tuple(
                member.name_in_year(year - 1) for member in replaced if member.pk != unit.pk
            ),
        )
        for unit, origin, replaced in planned
    ]
    order = {Membership.Role.HEAD: 0, Membership.Role.DEPUTY: 1, Membership.Role.MEMBER: 2}
    members.sort(key=lambda m: (order[Membership.Role(m.role)], vietnamese_sort_key(m.name)))
    plan = Plan(
        source=bloc_year,
        year=year,
        choices=choices,
        members=tuple(members),
        dropped=tuple(dropped),
        splits=tuple(questions),
        suggested_head_id=head_id,
        suggested_deputy_id=deputy_id,
        head_basis=head_basis,
        deputy_basis=deputy_basis,
        head_reason=head_reason,
        deputy_reason=deputy_reason,
        suggestion_notes=tuple(suggestion.notes),
        criteria=_criteria(bloc_year),
        problems=tuple(problems),
        errors=errors,
        existing=existing,
        successor_council=successor,
    )
    return replace(plan, digest=_digest(plan))


def _digest(plan: Plan) -> str:
    """What the admin saw and did not choose in the same submission: members (not roles, which
    the admin picks on the same page), who is left out, splits, the criteria set, refusals."""
    parts = {
        "year": plan.year,
        "members": sorted((m.unit.pk, m.origin, m.replaces) for m in plan.members),
        "dropped": sorted((d.unit.pk, d.reason) for d in plan.dropped),
        "splits": [
            (q.unit.pk, q.options, sorted(q.chosen) if q.chosen is not None else None)
            for q in plan.splits
        ],
        "suggested": (plan.suggested_head_id, plan.suggested_deputy_id),
        "criteria": (
            plan.criteria.action,
            plan.criteria.source.pk if plan.criteria.source else None,
            plan.criteria.existing.pk if plan.criteria.existing else None,
            plan.criteria.name,
        ),
        "problems": plan.problems,
    }
    return hashlib.sha256(
        json.dumps(parts, sort_keys=True, default=str, ensure_ascii=False).encode()
    ).hexdigest()[:32]


# ------------------------------------------------------------------------------ applying


@transaction.atomic
def rollover_apply(*, plan: Plan, by: User | None) -> BlocYear:
    """Create year N+1 exactly as ``plan`` shows it, or nothing.

    The plan is worked out again under a lock on the bloc, so that two admins cannot open the
    same year twice and nothing that changed since the preview slips in unseen."""
    Bloc.objects.select_for_update().filter(pk=plan.source.bloc_id).first()
    source = BlocYear.objects.select_related("bloc__council").get(pk=plan.source.pk)
    fresh = rollover_plan(source, plan.choices)
    if fresh.digest != plan.digest:
        raise PlanOutdated(
            _("Dữ liệu đã thay đổi từ lúc xem trước. Hãy xem lại trước khi mở năm mới.")
        )
    if not fresh.ready:
        raise ValidationError(
            [*fresh.problems, *fresh.errors.values()]
            + [
                _("Chọn đơn vị tham gia khối thay %(unit)s.") % {"unit": question.name}
                for question in fresh.unanswered
            ]
        )
    head, deputy = fresh.head, fresh.deputy
    bloc_year = bloc_services.bloc_year_create(
        bloc=source.bloc,
        year=fresh.year,
        members=[member.unit for member in fresh.members],
        head=head.unit if head else None,
        deputy=deputy.unit if deputy else None,
    )
    criteria = fresh.criteria
    clone = None
    if criteria.source is not None and criteria.action in (
        CriteriaAction.CLONE_OWN,
        CriteriaAction.CLONE_SHARED,
    ):
        clone = criteria_services.criteria_set_clone(
            source=criteria.source,
            year=fresh.year,
            by=by,
            bloc_year=bloc_year if criteria.action == CriteriaAction.CLONE_OWN else None,
            name=criteria.name,
        )
    audit_record(
        actor=by,
        bloc_year=bloc_year,
        context=f"bloc-year:{bloc_year.pk}",
        action="bloc_year.rollover",
        summary=ngettext(
            "Mở năm %(year)s từ năm %(previous)s: %(count)s thành viên",
            "Mở năm %(year)s từ năm %(previous)s: %(count)s thành viên",
            len(fresh.members),
        )
        % {"year": fresh.year, "previous": source.year, "count": len(fresh.members)},
        changes={
            "members": [[m.unit.pk, m.name, m.role, m.origin, m.replaces] for m in fresh.members],
            "dropped": [[d.unit.pk, d.name, d.reason] for d in fresh.dropped],
            "splits": {
                str(q.unit.pk): sorted(q.chosen) for q in fresh.splits if q.chosen is not None
            },
            "head_basis": fresh.head_basis,
            "deputy_basis": fresh.deputy_basis,
            "criteria": [criteria.action, clone.pk if clone else None],
        },
    )
    return bloc_year
