"""What opening next year will create, as the preview shows it: the ``Plan`` and its parts,
the admin's answers (``RolloverChoices``), and the labels of origins, bases and actions."""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy

from awards.models import Proposal
from awards.open_proposals import open_label
from blocs.models import BlocYear, Council, Membership, Unit
from scoring.models import CriteriaSet


class Origin(models.TextChoices):
    KEPT = "kept", gettext_lazy("Giữ nguyên")
    RENAMED = "renamed", gettext_lazy("Giữ nguyên, tên mới")
    SUCCESSOR = "successor", gettext_lazy("Đơn vị kế thừa")
    SPLIT = "split", gettext_lazy("Đơn vị sau chia tách")
    ADDED = "added", gettext_lazy("Quản trị thêm")


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
    """The admin's answers: split unit id → chosen unit ids (empty: none joins), head, deputy,
    members taken out (unit id → the reason, may be blank) and units added by hand.
    ``None`` for head or deputy means "the suggestion"."""

    splits: Mapping[int, frozenset[int]] = field(default_factory=dict)
    head_id: int | None = None
    deputy_id: int | None = None
    removed: Mapping[int, str] = field(default_factory=dict)
    added: frozenset[int] = frozenset()


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
    removed: bool = False  # taken out by the admin (``reason`` is then the admin's, maybe blank)


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
    candidates: tuple[tuple[int, str], ...] = ()  # units the admin may add: (id, name in N+1)
    open_proposals: tuple[Proposal, ...] = ()  # of year N, not in a final state (a warning)
    digest: str = ""

    @property
    def head(self) -> PlannedMember | None:
        return next((m for m in self.members if m.role == Membership.Role.HEAD), None)

    @property
    def deputy(self) -> PlannedMember | None:
        return next((m for m in self.members if m.role == Membership.Role.DEPUTY), None)

    @property
    def open_proposal_rows(self) -> list[tuple[Proposal, str, str]]:
        """The open proposals of N for the warning: (proposal, unit's name in N, status)."""
        return [
            (proposal, proposal.unit.name_in_year(self.source.year), open_label(proposal))
            for proposal in self.open_proposals
        ]

    @property
    def removed(self) -> tuple[DroppedMember, ...]:
        return tuple(dropped for dropped in self.dropped if dropped.removed)

    @property
    def left_out(self) -> tuple[DroppedMember, ...]:
        """Members of N that do not carry over, by the rules (not by the admin's choice)."""
        return tuple(dropped for dropped in self.dropped if not dropped.removed)

    @property
    def unanswered(self) -> tuple[SplitQuestion, ...]:
        return tuple(question for question in self.splits if question.chosen is None)

    @property
    def ready(self) -> bool:
        return not self.problems and not self.unanswered and not self.errors


class PlanOutdated(ValidationError):
    """The data changed since the preview was shown."""


def short_date(day: datetime.date) -> str:
    return date_format(day, "SHORT_DATE_FORMAT")
