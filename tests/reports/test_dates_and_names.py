"""What a document may know: its date is its event's (never today), it prints the names of
that date although units were renamed or merged later, it warns when its date is after its
issuer ceased to exist, and its header, number symbol and signature name one issuer — the bloc
— in every kind."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from blocs import services as bloc_services
from blocs.models import Bloc, BlocYear, Council, Unit, UnitLineage, User
from reports import builders, selectors
from reports.models import Document
from reports.render import render_docx
from tests.conftest import client_for
from tests.factories import BlocFactory, CouncilFactory, UnitFactory
from tests.reports.reading import docx_text
from tests.reports.worlds import DocumentsYear, draft, issued

pytestmark = pytest.mark.django_db

D = datetime.date
BLOC = "KHỐI THI ĐUA THAM MƯU III"


@dataclass
class Reorganised:
    """Quảng Nam's bloc before the 2025 reorganisation, recorded after it."""

    council: Council
    bloc: Bloc
    labour: Unit  # Sở LĐ-TB&XH, head in 2020, merged into Sở Nội vụ on 01/03/2025
    ethnic: Unit  # Ban Dân tộc, renamed Sở Dân tộc và Tôn giáo on 01/03/2025
    home: Unit  # Sở Nội vụ
    year_2020: BlocYear
    year_2024: BlocYear


@pytest.fixture
def reorganised(db: None) -> Reorganised:
    council = CouncilFactory.create(
        code="QNA", name="Hội đồng Thi đua - Khen thưởng tỉnh Quảng Nam", province="Quảng Nam"
    )
    successor = CouncilFactory.create(
        code="DNG", name="Hội đồng Thi đua - Khen thưởng thành phố Đà Nẵng", province="Đà Nẵng"
    )
    labour = UnitFactory.create(
        council=council,
        code="SLDTBXH",
        name="Sở Lao động - Thương binh và Xã hội",
        leader_title="Giám đốc",
        leader_name="Phạm Thị Hòa",
    )
    ethnic = UnitFactory.create(
        council=council, code="BDT", name="Ban Dân tộc", leader_title="Trưởng ban"
    )
    home = UnitFactory.create(council=council, code="SNV", name="Sở Nội vụ")
    bloc = BlocFactory.create(council=council, code="TM3", name="Khối thi đua tham mưu III")
    members = [labour, ethnic, home]
    year_2020 = bloc_services.bloc_year_create(
        bloc=bloc,
        year=2020,
        members=members,
        head=labour,
        deputy=ethnic,
        conference_date=D(2021, 3, 2),
    )
    year_2024 = bloc_services.bloc_year_create(
        bloc=bloc, year=2024, members=members, head=labour, deputy=ethnic
    )
    # The 2025 reorganisation, recorded as the app records it.
    march, july = D(2025, 3, 1), D(2025, 7, 1)
    bloc_services.lineage_record(
        predecessor=labour, successor=home, kind=UnitLineage.Kind.MERGED_INTO, effective_date=march
    )
    bloc_services.unit_rename(
        unit=ethnic, name="Sở Dân tộc và Tôn giáo", short_name="Sở DT&TG", effective_date=march
    )
    bloc_services.council_set_successor(council=council, successor=successor, effective_date=july)
    return Reorganised(council, bloc, labour, ethnic, home, year_2020, year_2024)


def test_a_2021_document_prints_the_names_and_place_of_2021(reorganised: Reorganised) -> None:
    document = draft(reorganised.year_2020, Document.Kind.REPORT)
    assert document.date == D(2021, 3, 2)  # the conference's, not today's
    assert document.place == "Quảng Nam"
    assert document.signer_title == "GIÁM ĐỐC SỞ LAO ĐỘNG - THƯƠNG BINH VÀ XÃ HỘI"
    content = builders.build(document)
    assert content.place_date == "Quảng Nam, ngày 02 tháng 3 năm 2021"
    assert content.issuer_parent == "UBND TỈNH QUẢNG NAM"
    text = " ".join(docx_text(render_docx(content)).split())
    assert "Ban Dân tộc" in text
    assert "Sở Dân tộc và Tôn giáo" not in text  # its name from 01/03/2025
    assert "Trưởng khối: Sở Lao động - Thương binh và Xã hội" in text


def test_a_draft_is_dated_on_its_event_and_never_today(reorganised: Reorganised) -> None:
    # 2024's conference date is not known yet: the draft waits for it, it does not take today.
    document = draft(reorganised.year_2024, Document.Kind.REPORT)
    assert document.date is None
    content = builders.build(document)
    assert str(timezone.localdate().year) not in content.place_date
    assert content.place_date.startswith("Quảng Nam, ngày ")
    # The covenant takes its signing date.
    BlocYear.objects.filter(pk=reorganised.year_2020.pk).update(covenant_date=D(2020, 3, 12))
    reorganised.year_2020.refresh_from_db()
    covenant = draft(reorganised.year_2020, Document.Kind.COVENANT)
    assert covenant.date == D(2020, 3, 12)
    assert builders.build(covenant).place_date == "Quảng Nam, ngày 12 tháng 3 năm 2020"


def test_a_date_after_the_issuer_ceased_is_warned_on_the_page_and_at_issue(
    reorganised: Reorganised,
) -> None:
    document = draft(reorganised.year_2024, Document.Kind.REPORT)
    Document.objects.filter(pk=document.pk).update(date=D(2025, 8, 1))
    admin = bloc_services.user_create(
        username="quantri",
        password="mat-khau-thu-nghiem",
        unit=reorganised.home,
        role=User.Role.COUNCIL_ADMIN,
    )
    client = client_for(admin)
    for url in (
        reverse("reports:document", args=[document.pk]),
        reverse("reports:issue", args=[document.pk]),
    ):
        html = " ".join(client.get(url).content.decode().split())
        assert (
            "Văn bản ghi ngày 01/08/2025, sau khi Hội đồng Thi đua - Khen thưởng tỉnh Quảng Nam "
            "thôi hoạt động (ngày 30/06/2025)"
        ) in html
        assert "Hội đồng kế thừa: Hội đồng Thi đua - Khen thưởng thành phố Đà Nẵng." in html
        assert (
            "sau khi Sở Lao động - Thương binh và Xã hội thôi hoạt động (ngày 28/02/2025)" in html
        )
        assert "Đơn vị kế thừa: Sở Nội vụ." in html


def test_a_date_while_the_issuer_existed_is_not_warned(reorganised: Reorganised) -> None:
    document = draft(reorganised.year_2020, Document.Kind.REPORT)
    assert selectors.document_warnings(document) == []


def _signature_lines(content: Any) -> list[str]:
    return [line for signature in content.signatures for line in signature.lines]


@pytest.mark.parametrize(
    ("kind", "code"),
    [
        (Document.Kind.REPORT, "BC"),
        (Document.Kind.MINUTES, "BB"),
        (Document.Kind.SUBMISSION, "TTr"),
        (Document.Kind.COVENANT, "GƯ"),
        (Document.Kind.SCORE_TABLE, ""),
    ],
)
def test_header_number_symbol_and_signature_name_one_issuer(
    year: DocumentsYear, kind: str, code: str
) -> None:
    """The bloc issues every kind: its name in the header, its symbol in the number; the
    issuer's signature (report, submission, annex) is "TM. <the header's issuer> / TRƯỞNG
    KHỐI"; the minutes are signed by their secretary and chair, the covenant by every member.
    No kind names the head unit as issuer (header or number) any more."""
    if kind == Document.Kind.SCORE_TABLE:
        issued(year.year, Document.Kind.REPORT)
    document = issued(year.year, kind)
    content = builders.build(document)
    assert content.issuer_parent == "UBND TỈNH QUẢNG NAM"
    assert content.issuer == BLOC
    if code:
        assert content.number_line == f"Số: {document.number:02d}/{code}-KTĐ"
    else:
        assert content.number_line == ""  # the annex travels with the report
    lines = _signature_lines(content)
    if kind in (Document.Kind.REPORT, Document.Kind.SUBMISSION, Document.Kind.SCORE_TABLE):
        assert lines[:3] == [f"TM. {BLOC}", "TRƯỞNG KHỐI", "GIÁM ĐỐC SỞ Y TẾ"]
        assert content.signatures[0].name == "Nguyễn Văn Hải"
    elif kind == Document.Kind.MINUTES:
        assert lines == ["THƯ KÝ", "CHỦ TRÌ"]
        assert content.signatures[1].name == "Nguyễn Văn Hải"
    else:
        assert "SỞ Y TẾ" in lines and "BÁO QUẢNG NAM" in lines
    assert "SYT" not in content.number_line
    assert content.issuer != "SỞ Y TẾ"
    with document.docx.open("rb") as docx:
        text = " ".join(docx_text(docx.read()).split())  # a long name may break into lines
    assert BLOC in text
    if code:
        assert f"Số: {document.number:02d}/{code}-KTĐ" in text


def test_a_cluster_issues_as_the_cluster(world: Any) -> None:
    cluster = BlocFactory.create(
        council=world.council, code="CUM1", name="Cụm thi đua số 1", kind=Bloc.Kind.CLUSTER
    )
    units = [UnitFactory.create(council=world.council) for _ in range(2)]
    year = bloc_services.bloc_year_create(
        bloc=cluster,
        year=2021,
        members=units,
        head=units[0],
        deputy=units[1],
        conference_date=D(2022, 1, 10),
    )
    content = builders.build(draft(year, Document.Kind.REPORT))
    assert content.issuer == "CỤM THI ĐUA SỐ 1"
    assert content.number_line.endswith("/BC-CTĐ")
    assert _signature_lines(content)[:2] == ["TM. CỤM THI ĐUA SỐ 1", "CỤM TRƯỞNG"]


def test_building_reads_a_fixed_number_of_queries_whatever_the_size(year: DocumentsYear) -> None:
    """The year's data is read in the same queries for 3 members as for 9."""
    document = draft(year.year, Document.Kind.MINUTES)
    with CaptureQueriesContext(connection) as small:
        builders.build(Document.objects.get(pk=document.pk))
    for _ in range(6):
        unit = UnitFactory.create(council=year.council)
        bloc_services.unit_rename(unit=unit, name=f"{unit.name} mới", effective_date=D(2025, 3, 1))
        year.year.memberships.create(unit=unit)
    with CaptureQueriesContext(connection) as large:
        builders.build(Document.objects.get(pk=document.pk))
    assert len(large.captured_queries) == len(small.captured_queries)
