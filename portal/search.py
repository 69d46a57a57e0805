"""The search behind the header's box: units by any name they have had, blocs, documents by
number or subject, people (docs/search.md).

Who finds what is decided in the apps' ``access.py``: units and blocs are public; documents are
``reports.access.searchable_documents``; people ``blocs.access.visible_people``. Each kind is
one query whatever the data: the first rows in order, with the number of all matches counted by
a window over the same rows.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import (
    Case,
    CharField,
    Count,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
    Window,
)
from django.db.models.functions import Cast, Collate, Concat, LPad
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from blocs import access as bloc_access
from blocs.access import AnyUser
from blocs.models import Bloc, Unit, UnitName
from common.collation import VIETNAMESE
from common.search import Terms, flag, highlight, is_near_supported
from reports import access as report_access
from reports.models import Document

# Rows shown of each kind on the results page, and of one kind when the person asks for all
# of it ("Xem tất cả"): a bounded page either way.
FIRST = 8
ALL = 100

UNITS, BLOCS, DOCUMENTS, PEOPLE = "units", "blocs", "documents", "people"
# The kinds as a list of results names them (a context of their own: in English, plurals).
LABELS = {
    UNITS: pgettext_lazy("search kind", "Đơn vị"),
    BLOCS: pgettext_lazy("search kind", "Khối, cụm thi đua"),
    DOCUMENTS: pgettext_lazy("search kind", "Văn bản"),
    PEOPLE: pgettext_lazy("search kind", "Người dùng"),
}

# What each kind is searched by, as the page says it.
SEARCHED_BY = {
    UNITS: gettext_lazy("đơn vị (tên hiện nay, tên cũ, tên viết tắt, mã)"),
    BLOCS: gettext_lazy("khối, cụm thi đua (tên, mã)"),
    DOCUMENTS: gettext_lazy("văn bản (số, loại, trích yếu, tên khối)"),
    PEOPLE: gettext_lazy(
        "người dùng của hội đồng bạn quản trị (họ tên, tên đăng nhập, thư điện tử)"
    ),
}

Parts = list[tuple[str, bool]]


def plain(text: str) -> Parts:
    """A text shown as it is (a field the search does not read)."""
    return [(text, False)]


@dataclass(frozen=True)
class Hit:
    """One row found: its title with the matching words marked, a link, and what tells it
    apart (short name, council, bloc and year, unit …, marked where the search read it);
    ``note`` is a second marked text after its label (a former name, a document's number)."""

    title: Parts
    url: str | None
    meta: list[Parts] = field(default_factory=list)
    note_label: str = ""
    note: Parts = field(default_factory=list)
    badge: tuple[str, str] | None = None  # (state, label): a draft, a locked account


Found = tuple[list[Hit], int, bool]  # the rows shown, how many were found, near matches


@dataclass(frozen=True)
class Group:
    kind: str
    label: str
    total: int
    hits: list[Hit]
    near: bool  # nothing matched exactly: these are close (PostgreSQL)
    more_url: str | None  # all of this kind, when more were found than shown

    @property
    def anchor(self) -> str:
        return f"ket-qua-{self.kind}"


@dataclass(frozen=True)
class Results:
    query: str
    terms: Terms
    groups: list[Group]  # every kind this person searches, in a fixed order
    only: str  # the kind asked for alone, or ""

    @property
    def searched_by(self) -> list[str]:
        return [str(SEARCHED_BY[group.kind]) for group in self.groups]

    @property
    def total(self) -> int:
        return sum(group.total for group in self.groups)

    @property
    def shown(self) -> list[Group]:
        """The groups with rows to show (only the one asked for, when one was)."""
        return [g for g in self.groups if g.hits and (not self.only or g.kind == self.only)]


def kinds_for(user: AnyUser) -> list[str]:
    """What this person's search covers, in the order of the results page."""
    kinds = [UNITS, BLOCS]
    if report_access.can_search_documents(user):
        kinds.append(DOCUMENTS)
    if bloc_access.can_look_up_people(user):
        kinds.append(PEOPLE)
    return kinds


def _found(
    queryset: QuerySet[Any], exact: Q, order: tuple[Any, ...], limit: int
) -> tuple[list[Any], int, bool]:
    """The first ``limit`` rows in ``order``, the number of all rows, and whether they are near
    matches, in one query. Near matches (PostgreSQL) count only when nothing matches exactly:
    a typing slip still finds something, and a right query is not crowded by look-alikes."""
    counted = queryset.annotate(found=Window(Count("pk")))
    if not is_near_supported():
        rows = list(counted.order_by(*order)[:limit])
        return rows, (rows[0].found if rows else 0), False
    rows = list(
        counted.annotate(exact=flag(exact), found_exact=Window(Count("pk", filter=exact))).order_by(
            "-exact", *order
        )[:limit]
    )
    if not rows:
        return [], 0, False
    if rows[0].found_exact:
        return [row for row in rows if row.exact], rows[0].found_exact, False
    return rows, rows[0].found, True


# ---------------------------------------------------------------------------- units

UNIT_FIELDS = ("name", "short_name", "code")
FORMER_FIELDS = ("name", "short_name")


def _units(terms: Terms, limit: int) -> Found:
    """Units by their name, short name or code today, or by a name they carried before
    (``UnitName``); a unit found by an earlier name shows it."""
    former = UnitName.objects.filter(unit_id=OuterRef("pk"))
    former_found = former.filter(terms.matches(*FORMER_FIELDS))
    now = terms.matches(*UNIT_FIELDS)
    queryset = (
        Unit.objects.filter(now | Q(Exists(former_found)))
        .select_related("council")
        .annotate(
            # Only an exact match on today's name hides the former one: "ban dan toc" is
            # near "Sở Dân tộc và Tôn giáo", but the visitor typed the name of before.
            found_now=flag(terms.exact(*UNIT_FIELDS)),
            former_name=Subquery(
                former_found.annotate(exact=flag(terms.exact(*FORMER_FIELDS)))
                .order_by("-exact", "-valid_until")
                .values("name")[:1]
            ),
        )
    )
    exact = terms.exact(*UNIT_FIELDS) | Q(Exists(former.filter(terms.exact(*FORMER_FIELDS))))
    units, total, near = _found(queryset, exact, ("name", "pk"), limit)
    hits = []
    for unit in units:
        meta = []
        if unit.short_name and unit.short_name != unit.name:
            meta.append(highlight(unit.short_name, terms.words))
        meta.append(plain(unit.council.name))
        if unit.active_until:
            day = date_format(unit.active_until, "SHORT_DATE_FORMAT")
            meta.append(plain(_("hoạt động đến %(day)s") % {"day": day}))
        show_former = not unit.found_now and unit.former_name
        hits.append(
            Hit(
                title=highlight(unit.name, terms.words),
                url=unit.get_absolute_url(),
                meta=meta,
                note_label=_("Tên trước đây:") if show_former else "",
                note=highlight(unit.former_name, terms.words) if show_former else [],
            )
        )
    return hits, total, near


# ---------------------------------------------------------------------------- blocs


def _blocs(terms: Terms, limit: int) -> Found:
    queryset = Bloc.objects.filter(terms.matches("name", "code")).select_related("council")
    blocs, total, near = _found(queryset, terms.exact("name", "code"), ("name", "pk"), limit)
    return (
        [
            Hit(
                title=highlight(bloc.name, terms.words),
                url=bloc.get_absolute_url(),
                meta=[plain(bloc.get_kind_display()), plain(bloc.council.name)],
            )
            for bloc in blocs
        ],
        total,
        near,
    )


# ---------------------------------------------------------------------------- documents


def number_text() -> Case:
    """A document's number as printed after "Số:" (``Document.number_line``): 05/BC-KTĐ;
    empty while it has none (a draft, the annex)."""
    type_code = Case(
        *[When(kind=kind, then=Value(code)) for kind, code in Document.TYPE_CODES.items()],
        default=Value(""),
        output_field=CharField(),
    )
    printed = Concat(
        LPad(Cast("number", CharField()), 2, Value("0")),
        Value("/"),
        type_code,
        Value("-"),
        F("issuer_code"),
        output_field=CharField(),
    )
    return Case(
        When(Q(number__isnull=True) | Q(kind=Document.Kind.SCORE_TABLE), then=Value("")),
        default=printed,
        output_field=CharField(),
    )


def kind_text() -> Case:
    """A document's kind as the page names it ("Báo cáo tổng kết …"), so that "bao cao 2020"
    finds the report of 2020."""
    return Case(
        *[When(kind=kind, then=Value(str(kind.label))) for kind in Document.Kind],
        default=Value(""),
        output_field=CharField(),
    )


KIND_ORDER = Case(
    *[When(kind=kind, then=Value(index)) for index, kind in enumerate(Document.Kind)],
    output_field=IntegerField(),
)


def _documents(user: AnyUser, terms: Terms, limit: int) -> Found:
    """Documents by number, subject, kind or bloc, newest year first, then by bloc in the
    Vietnamese alphabet and in the order of the kinds."""
    fields = ("subject", "number_text", "kind_text", "bloc__name")
    queryset = (
        report_access.searchable_documents(user)
        .alias(number_text=number_text(), kind_text=kind_text())
        .filter(terms.matches(*fields))
        .select_related("bloc_year__bloc")
        .annotate(printed_number=F("number_text"))
    )
    order = ("-bloc_year__year", "bloc__name", KIND_ORDER, "pk")
    documents, total, near = _found(queryset, terms.exact(*fields), order, limit)
    hits = []
    for document in documents:
        meta = [plain(document.get_kind_display()), plain(str(document.bloc_year))]
        if document.date:
            meta.append(plain(date_format(document.date, "SHORT_DATE_FORMAT")))
        hits.append(
            Hit(
                title=highlight(document.subject, terms.words),
                url=document.get_absolute_url(),
                meta=meta,
                note_label=_("Số:") if document.printed_number else "",
                note=highlight(document.printed_number, terms.words),
                badge=("draft", str(Document.State.DRAFT.label)) if document.is_draft else None,
            )
        )
    return hits, total, near


# ---------------------------------------------------------------------------- people

PERSON_FIELDS = ("full_name", "username", "email")


def _people(user: AnyUser, terms: Terms, limit: int) -> Found:
    """People of the councils this person administers, by name, login or e-mail; each links to
    their page in the Django admin for a person who may open it."""
    queryset = (
        bloc_access.visible_people(user)
        .filter(terms.matches(*PERSON_FIELDS))
        .select_related("unit__council")
    )
    order = (Collate("full_name", VIETNAMESE), "username", "pk")
    people, total, near = _found(queryset, terms.exact(*PERSON_FIELDS), order, limit)
    opens_admin = user.is_staff
    hits = []
    for person in people:
        meta = [highlight(person.username, terms.words), plain(person.get_role_display())]
        if person.email:
            meta.append(highlight(person.email, terms.words))
        if person.job_title:
            meta.append(plain(person.job_title))
        if person.unit is not None:
            meta.append(plain(person.unit.short_name or person.unit.name))
        hits.append(
            Hit(
                title=highlight(person.full_name or person.username, terms.words),
                url=reverse("admin:blocs_user_change", args=[person.pk]) if opens_admin else None,
                meta=meta,
                badge=None if person.is_active else ("rejected", _("Tài khoản đã khóa")),
            )
        )
    return hits, total, near


# ---------------------------------------------------------------------------- the page


def search(user: AnyUser, query: str, *, only: str = "") -> Results:
    """What ``query`` finds for this person, grouped by kind. No query for an empty one; else
    one per kind (and those its access rule needs), whatever the data."""
    terms = Terms.parse(query)
    kinds = kinds_for(user)
    only = only if only in kinds else ""
    groups = []
    for kind in kinds:
        hits: list[Hit] = []
        total, near = 0, False
        if terms:
            limit = ALL if kind == only else FIRST
            if kind == UNITS:
                hits, total, near = _units(terms, limit)
            elif kind == BLOCS:
                hits, total, near = _blocs(terms, limit)
            elif kind == DOCUMENTS:
                hits, total, near = _documents(user, terms, limit)
            else:
                hits, total, near = _people(user, terms, limit)
        more = None
        if total > len(hits) and kind != only:
            more = reverse("search") + "?" + urlencode({"q": query, "kind": kind})
        groups.append(Group(kind, str(LABELS[kind]), total, hits, near, more))
    return Results(query=query, terms=terms, groups=groups, only=only)
