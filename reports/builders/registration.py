"""The bloc's summary of its members' emulation registrations (Bảng tổng hợp đăng ký thi đua):
what each member unit registered at the start of the year, the count of units per award, and
each unit's pledge. The head of the bloc signs it for the bloc and sends it to the council
(with the covering letter of the bloc's series, hence no number of its own).

Every member has a row: one that did not register reads "Chưa đăng ký", a registration recorded
after the deadline "Đăng ký muộn", one the secretariat recorded "Thư ký khối ghi thay".
"""

from __future__ import annotations

from collections import Counter

from django.db.models import Prefetch
from django.utils import timezone

from awards.models import AwardType, Registration
from reports.builders.data import YearData
from reports.builders.letterhead import document_header
from reports.content import Column, Content, Heading, Paragraph, Table
from reports.models import Document


def _registrations(data: YearData) -> dict[int, Registration]:
    return {
        registration.unit_id: registration
        for registration in Registration.objects.filter(bloc_year=data.bloc_year).prefetch_related(
            Prefetch("awards", queryset=AwardType.objects.order_by("order", "pk"))
        )
    }


def _note(registration: Registration | None) -> str:
    if registration is None:
        return ""
    day = timezone.localtime(registration.registered_at).date()
    notes = [f"{day:%d/%m/%Y}"]
    if registration.late:
        notes.append("Đăng ký muộn")
    if registration.on_behalf:
        notes.append("Thư ký khối ghi thay")
    return "; ".join(notes)


def build_registration(document: Document, data: YearData) -> Content:
    """Bảng tổng hợp đăng ký thi đua: một dòng cho mỗi đơn vị thành viên."""
    content = document_header(document, "BẢNG TỔNG HỢP ĐĂNG KÝ THI ĐUA")
    blocks = content.blocks
    registrations = _registrations(data)
    blocks.append(
        Paragraph(
            f"Thực hiện phong trào thi đua năm {data.year}, {data.bloc_name} tổng hợp đăng ký "
            f"thi đua của các đơn vị thành viên như sau:"
        )
    )
    rows = []
    counts: Counter[str] = Counter()
    order: dict[str, int] = {}
    for number, member in enumerate(data.members, start=1):
        registration = registrations.get(member.unit.pk)
        awards = list(registration.awards.all()) if registration is not None else []
        for award in awards:
            counts[award.name] += 1
            order.setdefault(award.name, award.order)
        rows.append(
            (
                str(number),
                member.name,
                "; ".join(award.name for award in awards) or "Chưa đăng ký",
                _note(registration),
            )
        )
    blocks.append(
        Table(
            columns=(
                Column("STT", 12, "center"),
                Column("Đơn vị", 55),
                Column("Danh hiệu, hình thức khen thưởng đăng ký", 68),
                Column("Ngày đăng ký, ghi chú", 30),
            ),
            rows=tuple(rows),
        )
    )
    registered = sum(1 for member in data.members if member.unit.pk in registrations)
    blocks.append(
        Paragraph(f"Số đơn vị đã đăng ký: {registered}/{len(data.members)} đơn vị thành viên.")
    )
    for name in sorted(counts, key=lambda name: order[name]):
        blocks.append(Paragraph(f"– {name}: {counts[name]} đơn vị đăng ký."))
    pledges = [
        (member.name, registrations[member.unit.pk].pledge.strip())
        for member in data.members
        if member.unit.pk in registrations and registrations[member.unit.pk].pledge.strip()
    ]
    if pledges:
        blocks.append(Heading("NỘI DUNG ĐĂNG KÝ CỦA CÁC ĐƠN VỊ"))
        for name, pledge in pledges:
            blocks.append(Paragraph(f"{name}:", bold=True))
            blocks.extend(Paragraph(line.strip()) for line in pledge.splitlines() if line.strip())
    if not registrations:
        content.missing.append("Bản đăng ký thi đua của các đơn vị (chưa đơn vị nào đăng ký)")
    return content  # signed by the issuer (``document_header``)
