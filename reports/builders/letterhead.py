"""Who issues a document and how its head and foot read.

The bloc issues its papers in its own name (docs/documents.md, "Who issues"): the header is
the province's people's committee ("UBND TỈNH QUẢNG NAM") over the bloc ("KHỐI THI ĐUA THAM
MƯU III"), the number is the bloc's ("Số: 05/BC-KTĐ"), and the head of the year's head unit
signs for the bloc: "TM. KHỐI THI ĐUA THAM MƯU III / TRƯỞNG KHỐI / GIÁM ĐỐC SỞ Y TẾ". Header,
number symbol and signature name one issuer.

Every name is the one of the document's date: a new document takes the date of the event it
records (the conference; the covenant's signing), never the day it is typed, and its signer's
title is the head unit's name on that date.
"""

from __future__ import annotations

import datetime
from typing import Any

from blocs.models import Bloc, BlocYear, Council, Membership
from common.dates import official_date_line
from reports.content import Content, Signature
from reports.models import Document

# The bloc's own symbol in the number ("Số: 05/BC-KTĐ"): khối thi đua, cụm thi đua.
SERIES_CODES = {Bloc.Kind.BLOC: "KTĐ", Bloc.Kind.CLUSTER: "CTĐ"}
HEAD_TITLES = {Bloc.Kind.BLOC: "TRƯỞNG KHỐI", Bloc.Kind.CLUSTER: "CỤM TRƯỞNG"}


def _locality(council: Council) -> str:
    """ "tỉnh Quảng Nam", "thành phố Đà Nẵng": the part of the council's name after its title."""
    name = council.name
    for marker in ("tỉnh ", "thành phố "):
        if marker in name:
            return name[name.index(marker) :]
    return f"tỉnh {council.province}"


def authority_of(council: Council) -> str:
    """The people's committee the council belongs to: "UBND TỈNH QUẢNG NAM"."""
    return f"UBND {_locality(council)}".upper()


def authority_name(council: Council) -> str:
    """The same in full, as a letter addresses it: "Ủy ban nhân dân tỉnh Quảng Nam"."""
    return f"Ủy ban nhân dân {_locality(council)}"


def event_date(bloc_year: BlocYear, kind: str) -> datetime.date | None:
    """The day a document of ``kind`` records: the covenant's signing, else the conference
    (the minutes, the report and its annex are of the conference; the submission follows it);
    the registration table is dated on the registration deadline."""
    if kind == Document.Kind.COVENANT:
        return bloc_year.covenant_date
    if kind == Document.Kind.REGISTRATION:
        return bloc_year.registration_due
    return bloc_year.conference_date


def names_day(bloc_year: BlocYear, kind: str, date: datetime.date | None) -> datetime.date:
    """The day whose names a document prints: its date; while it has none, the day of its
    event, else the first day of the year (a covenant) or the last (the year-end papers)."""
    if date is not None:
        return date
    event = event_date(bloc_year, kind)
    if event is not None:
        return event
    if kind in (Document.Kind.COVENANT, Document.Kind.REGISTRATION):
        return datetime.date(bloc_year.year, 1, 1)
    return bloc_year.last_day


def document_day(document: Document) -> datetime.date:
    """``names_day`` of a document."""
    return names_day(document.bloc_year, document.kind, document.date)


def head_title(bloc: Bloc) -> str:
    """ "TRƯỞNG KHỐI", or "CỤM TRƯỞNG" for a cluster."""
    return HEAD_TITLES.get(Bloc.Kind(bloc.kind), HEAD_TITLES[Bloc.Kind.BLOC])


def _place_date(document: Document) -> str:
    """ "Quảng Nam, ngày 02 tháng 3 năm 2021"; without a date yet, room to write it."""
    if document.date is None:
        # A covenant (and the registration) is of its year; the year-end papers' year is not
        # known yet.
        start_of_year = (Document.Kind.COVENANT, Document.Kind.REGISTRATION)
        year = document.bloc_year.year if document.kind in start_of_year else ""
        return f"{document.place}, ngày      tháng      năm {year or '      '}"
    return official_date_line(document.place, document.date)


def document_header(document: Document, kind_title: str) -> Content:
    """The head of ``Content`` from the document's header fields, under ``kind_title``, with
    the issuer's signature (builders whose documents others sign replace it)."""
    council = document.bloc_year.bloc.council
    return Content(
        issuer_parent=document.issuer_parent,
        issuer=document.issuer_name,
        number_line=document.number_line,
        place_date=_place_date(document),
        kind_title=kind_title,
        subject=document.subject,
        recipients=document.recipient_lines,
        demo_notice="Dữ liệu minh họa: số liệu giả định để trình diễn." if council.is_demo else "",
        signatures=[issuer_signature(document)],
        draft=document.is_draft,
    )


def issuer_signature(document: Document) -> Signature:
    """The issuer's signature, naming the issuer of the header: "TM. KHỐI THI ĐUA THAM MƯU
    III", "TRƯỞNG KHỐI", the signer's title ("GIÁM ĐỐC SỞ Y TẾ"), the name."""
    lines = (
        f"TM. {document.issuer_name}" if document.issuer_name else "",
        head_title(document.bloc_year.bloc),
        document.signer_title,
    )
    return Signature(lines=tuple(line for line in lines if line), name=document.signer_name)


def signer(document: Document, *lines: str) -> Signature:
    """The signer's block: ``lines``, then the signer's title, then the name. (Prefer
    ``issuer_signature``, whose first line is always the header's issuer.)"""
    return Signature(
        lines=tuple(line for line in (*lines, document.signer_title) if line),
        name=document.signer_name,
    )


MEMBERS_RECIPIENTS = "\n".join(
    [
        "Hội đồng Thi đua - Khen thưởng (b/c)",
        "Sở Nội vụ (Phòng Thi đua, khen thưởng)",
        "Các đơn vị thành viên",
        "Lưu: VT.",
    ]
)


def defaults(bloc_year: BlocYear, kind: str) -> dict[str, Any]:
    """A new document's header: issued by the bloc, signed by the head of the year's head
    unit, dated on the day of its event, with the names of that day."""
    head = (
        Membership.objects.filter(bloc_year=bloc_year, role=Membership.Role.HEAD)
        .select_related("unit__council", "bloc_year__bloc")
        .prefetch_related("unit__former_names")
        .first()
    )
    if head is None:
        return {}
    unit = head.unit
    bloc = bloc_year.bloc
    council = bloc.council
    year = bloc_year.year
    date = event_date(bloc_year, kind)
    day = names_day(bloc_year, kind, date)
    subjects = {
        Document.Kind.REPORT: (
            f"Tổng kết công tác thi đua năm {year} và phương hướng, nhiệm vụ năm {year + 1} "
            f"của {bloc.name}"
        ),
        Document.Kind.MINUTES: f"Họp bình xét, suy tôn thi đua năm {year} của {bloc.name}",
        Document.Kind.SUBMISSION: (
            f"Đề nghị khen thưởng cho các tập thể thuộc {bloc.name} năm {year}"
        ),
        Document.Kind.COVENANT: f"{bloc.name} năm {year}",
        Document.Kind.SCORE_TABLE: (
            f"Bảng tổng hợp kết quả chấm điểm thi đua năm {year} của {bloc.name}"
        ),
        Document.Kind.REGISTRATION: (
            f"Tổng hợp đăng ký thi đua năm {year} của các đơn vị thành viên {bloc.name}"
        ),
    }
    recipients = {
        Document.Kind.REPORT: MEMBERS_RECIPIENTS,
        Document.Kind.SUBMISSION: "\n".join(
            [
                "Như trên",
                "Hội đồng Thi đua - Khen thưởng (b/c)",
                "Các đơn vị được đề nghị",
                "Lưu: VT.",
            ]
        ),
        Document.Kind.COVENANT: MEMBERS_RECIPIENTS,
        Document.Kind.REGISTRATION: MEMBERS_RECIPIENTS,
    }
    return {
        "bloc": bloc,
        "issuer": unit,
        "issuer_parent": authority_of(council),
        "issuer_name": bloc.name.upper(),
        "issuer_code": SERIES_CODES.get(Bloc.Kind(bloc.kind), SERIES_CODES[Bloc.Kind.BLOC]),
        "place": council.province,
        "date": date,
        "subject": subjects[Document.Kind(kind)],
        "signer_title": " ".join(
            part for part in (unit.leader_title, unit.name_on(day)) if part
        ).upper(),
        "signer_name": unit.leader_name,
        "recipients": recipients.get(Document.Kind(kind), ""),
    }
