"""Who issues a document and how its head and foot read: the people's committee a council
belongs to ("UBND TỈNH QUẢNG NAM"), the header block of ``Content`` built from a document, the
signer's block, and ``defaults``, the header of a new document (issued by the year's head unit,
in its name of that year, with the subject and recipients of its kind).
"""

from __future__ import annotations

from typing import Any

from blocs.models import BlocYear, Council, Membership
from reports.content import Content, Signature
from reports.models import Document
from thidua.lib.dates import official_date_line


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


def document_header(document: Document, kind_title: str) -> Content:
    """The head of ``Content`` from the document's header fields, under ``kind_title``."""
    council = document.bloc_year.bloc.council
    return Content(
        issuer_parent=document.issuer_parent,
        issuer=document.issuer_name,
        number_line=document.number_line,
        place_date=official_date_line(document.place, document.date),
        kind_title=kind_title,
        subject=document.subject,
        recipients=document.recipient_lines,
        demo_notice="Dữ liệu minh họa: số liệu giả định để trình diễn." if council.is_demo else "",
    )


def signer(document: Document, *lines: str) -> Signature:
    """The signer's block: ``lines``, then the signer's title, then the name."""
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
    """A new document's header: issued by the year's head unit, in its name of that year."""
    head = (
        Membership.objects.filter(bloc_year=bloc_year, role=Membership.Role.HEAD)
        .select_related("unit__council")
        .first()
    )
    if head is None:
        return {}
    unit = head.unit
    council = unit.council
    bloc = bloc_year.bloc.name
    year = bloc_year.year
    subjects = {
        Document.Kind.REPORT: (
            f"Tổng kết công tác thi đua năm {year} và phương hướng, nhiệm vụ năm {year + 1} "
            f"của {bloc}"
        ),
        Document.Kind.MINUTES: f"Họp bình xét, suy tôn thi đua năm {year} của {bloc}",
        Document.Kind.SUBMISSION: f"Đề nghị khen thưởng cho các tập thể thuộc {bloc} năm {year}",
        Document.Kind.COVENANT: f"{bloc} năm {year}",
        Document.Kind.SCORE_TABLE: (
            f"Kèm theo Báo cáo tổng kết công tác thi đua năm {year} của {bloc}"
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
    }
    date = (
        bloc_year.covenant_date if kind == Document.Kind.COVENANT else bloc_year.conference_date
    ) or None
    return {
        "issuer": unit,
        "issuer_parent": authority_of(council),
        "issuer_name": unit.name_in_year(year).upper(),
        "issuer_code": unit.code,
        "place": council.province,
        "date": date,
        "subject": subjects[Document.Kind(kind)],
        "signer_title": " ".join(
            part for part in (unit.leader_title, unit.name_in_year(year)) if part
        ).upper(),
        "signer_name": unit.leader_name,
        "recipients": recipients.get(Document.Kind(kind), ""),
    }
