"""Reads of the documents pages: a bloc-year's documents as a person may see them, and what an
issue will freeze. Each in a fixed number of queries."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from awards.models import Ballot, Proposal
from blocs.access import AnyUser
from blocs.models import BlocYear, Membership, UnitLineage
from common.dates import short_datetime
from reports import access
from reports.models import Document
from reports.services import PACK_KINDS
from scoring.models import RankingSnapshot


@dataclass(frozen=True)
class DocumentRow:
    """One kind of document of the year, with its document once a draft exists."""

    kind: str
    label: str
    document: Document | None

    @property
    def badge(self) -> str:
        """The badge class: the drafts' grey, the green of things done for issued ones."""
        if self.document is None:
            return ""
        return "done" if self.document.state == Document.State.ISSUED else "draft"

    @property
    def in_pack(self) -> bool:
        return self.kind in PACK_KINDS


@dataclass(frozen=True)
class DocumentsPage:
    bloc_year: BlocYear
    can_manage: bool
    rows: list[DocumentRow]


def _rows(documents: list[Document], *, every_kind: bool) -> list[DocumentRow]:
    by_kind = {document.kind: document for document in documents}
    return [
        DocumentRow(kind=kind.value, label=str(kind.label), document=by_kind.get(kind))
        for kind in Document.Kind
        if every_kind or kind in by_kind
    ]


def _documents(bloc_year: BlocYear, *, kinds: frozenset[str] | None) -> list[Document]:
    """The year's documents: all of them (``kinds`` None), or the issued ones of these kinds."""
    documents = Document.objects.filter(bloc_year=bloc_year).select_related("issued_by")
    if kinds is not None:
        documents = documents.filter(state=Document.State.ISSUED, kind__in=kinds)
    return list(documents)


def documents_page(bloc_year: BlocYear, user: AnyUser) -> DocumentsPage:
    """Every kind for the year's managers (with a button where no draft exists yet); the
    issued documents this person may see for everybody else."""
    can_manage = access.can_manage(user, bloc_year)
    kinds = None if can_manage else access.issued_kinds(user, bloc_year)
    documents = _documents(bloc_year, kinds=kinds) if kinds is None or kinds else []
    return DocumentsPage(
        bloc_year=bloc_year, can_manage=can_manage, rows=_rows(documents, every_kind=can_manage)
    )


@dataclass(frozen=True)
class DocumentsSummary:
    """The documents section of the bloc-year page."""

    url: str
    can_manage: bool
    documents: list[Document] = field(default_factory=list)
    drafts: int = 0
    issued: int = 0


def documents_summary(bloc_year: BlocYear, user: AnyUser) -> DocumentsSummary | None:
    """For managers: the counts and the link; for others: the issued documents they may see.
    None (and no query) when there is nothing for this person."""
    url = reverse("reports:documents", args=[bloc_year.bloc_id, bloc_year.year])
    can_manage = access.can_manage(user, bloc_year)
    kinds = None if can_manage else access.issued_kinds(user, bloc_year)
    if kinds is not None and not kinds:
        return None
    documents = _documents(bloc_year, kinds=kinds)
    issued = [document for document in documents if document.state == Document.State.ISSUED]
    if not can_manage and not issued:
        return None
    return DocumentsSummary(
        url=url,
        can_manage=can_manage,
        documents=issued,
        drafts=len(documents) - len(issued),
        issued=len(issued),
    )


@dataclass(frozen=True)
class NumberSeries:
    """The bloc's series of a year, as the issue page shows it."""

    year: int
    used: list[int]  # by the series' other documents of the year
    next: int

    @property
    def used_text(self) -> str:
        return ", ".join(f"{number:02d}" for number in self.used)


def number_series(document: Document) -> NumberSeries | None:
    """The numbers of the document's series in the year of its date (None while undated)."""
    if document.date is None:
        return None
    numbers = (
        Document.objects.filter(
            bloc_id=document.bloc_id,
            issuer_code=document.issuer_code,
            date__year=document.date.year,
            number__isnull=False,
        )
        .exclude(pk=document.pk)
        .values_list("number", flat=True)
    )
    used = sorted(number for number in numbers if number is not None)
    return NumberSeries(year=document.date.year, used=used, next=(used[-1] if used else 0) + 1)


def _day(day: datetime.date) -> str:
    return day.strftime("%d/%m/%Y")


def document_warnings(document: Document) -> list[str]:
    """What the document's date says that cannot be: the council (and so the province whose
    name the header prints) or the head unit that signs no longer existed on that day."""
    day = document.date
    if day is None:
        return []
    warnings = []
    council = document.bloc_year.bloc.council
    if council.valid_until is not None and day > council.valid_until:
        warning = _(
            "Văn bản ghi ngày %(day)s, sau khi %(council)s thôi hoạt động (ngày %(until)s): "
            "tỉnh và cơ quan in trên văn bản không còn vào ngày đó. Kiểm tra lại ngày của văn bản."
        ) % {"day": _day(day), "council": council.name, "until": _day(council.valid_until)}
        if council.successor is not None:
            warning += " " + _("Hội đồng kế thừa: %(successor)s.") % {
                "successor": council.successor.name
            }
        warnings.append(warning)
    unit = document.issuer
    if unit.active_until is not None and day > unit.active_until:
        warning = _(
            "Văn bản ghi ngày %(day)s, sau khi %(unit)s thôi hoạt động (ngày %(until)s): đơn vị "
            "Trưởng khối không còn để ký văn bản vào ngày đó. Kiểm tra lại ngày của văn bản."
        ) % {
            "day": _day(day),
            "unit": unit.name_on(unit.active_until),
            "until": _day(unit.active_until),
        }
        link = (
            UnitLineage.objects.filter(
                predecessor=unit,
                kind__in=[UnitLineage.Kind.MERGED_INTO, UnitLineage.Kind.RENAMED],
            )
            .select_related("successor")
            .order_by("effective_date", "pk")
            .first()
        )
        if link is not None:
            warning += " " + _("Đơn vị kế thừa: %(successor)s.") % {
                "successor": link.successor.name_on(day)
            }
        warnings.append(warning)
    return warnings


@dataclass(frozen=True)
class FrozenItem:
    """One thing an issue will fix for good, as the check page lists it."""

    label: str
    value: str
    warning: bool = False


USES_RANKING = {Document.Kind.REPORT, Document.Kind.MINUTES, Document.Kind.SCORE_TABLE}
USES_PROPOSALS = {Document.Kind.REPORT, Document.Kind.SUBMISSION}


def issue_summary(document: Document) -> list[FrozenItem]:
    """The data the document will carry from the moment of issue, whatever changes later."""
    bloc_year = document.bloc_year
    items: list[FrozenItem] = []
    if document.kind in USES_RANKING:
        snapshot = (
            RankingSnapshot.objects.filter(bloc_year=bloc_year)
            .order_by("-number")
            .only("number", "created_at", "kind")
            .first()
        )
        if snapshot is None:
            items.append(
                FrozenItem(
                    _("Kết quả chấm điểm, xếp hạng"),
                    _("Chưa chốt: văn bản sẽ ghi “Kết quả chấm điểm chưa được chốt”."),
                    warning=True,
                )
            )
        else:
            items.append(
                FrozenItem(
                    _("Kết quả chấm điểm, xếp hạng"),
                    _("Lần chốt %(number)s (%(kind)s), %(when)s")
                    % {
                        "number": snapshot.number,
                        "kind": snapshot.get_kind_display(),
                        "when": short_datetime(snapshot.created_at),
                    },
                )
            )
    if document.kind == Document.Kind.MINUTES:
        ballot = Ballot.objects.filter(bloc_year=bloc_year).only("held_on").first()
        items.append(
            FrozenItem(
                _("Kết quả bỏ phiếu kín"),
                _("Chưa ghi: văn bản sẽ ghi “Chưa tổ chức bỏ phiếu”."),
                warning=True,
            )
            if ballot is None
            else FrozenItem(
                _("Kết quả bỏ phiếu kín"),
                _("Phiên bỏ phiếu ngày %(day)s")
                % {"day": date_format(ballot.held_on, "SHORT_DATE_FORMAT")},
            )
        )
    if document.kind in USES_PROPOSALS:
        count = (
            Proposal.objects.filter(bloc_year=bloc_year)
            .exclude(status=Proposal.Status.REJECTED)
            .count()
        )
        items.append(
            FrozenItem(
                _("Đề nghị khen thưởng"),
                _("%(count)s đề nghị") % {"count": count},
                warning=count == 0,
            )
        )
    if document.kind == Document.Kind.COVENANT:
        members = Membership.objects.filter(bloc_year=bloc_year).count()
        items.append(
            FrozenItem(
                _("Chữ ký các đơn vị thành viên"), _("%(count)s đơn vị") % {"count": members}
            )
        )
    return items
