"""The search's world: the shared ``world`` of tests/conftest.py, and

* a second council, Hòa Bình, whose units' names sort differently in the Vietnamese alphabet
  (Dân before Đài), in code-point order (Đài after Sở) and folded (Đài before Dân), with a
  person of its own;
* a renamed unit of the first council (Sở Văn hóa - Thông tin, now Sở Văn hóa, Thể thao và
  Du lịch) and the Đài PT-TH;
* the documents of ``tests/reports/test_permissions_reports.py``: 2019 of the bloc published,
  its report and minutes issued, its submission a draft; 2020 not published, its report issued.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

import pytest

from blocs import services
from blocs.models import BlocYear, Council, Unit, User
from reports.models import Document
from tests.conftest import World, verified_year
from tests.factories import BlocFactory, CouncilFactory, UnitFactory, UserFactory
from tests.reports.worlds import draft, issued_quickly, publish

# The Hòa Bình units in the Vietnamese alphabet (the order the search must give).
HOA_BINH_UNITS = [
    "Ban Dân tộc tỉnh Hòa Bình",
    "Bảo hiểm xã hội tỉnh Hòa Bình",
    "Dân quân tỉnh Hòa Bình",
    "Đài Phát thanh - Truyền hình tỉnh Hòa Bình",
    "Sở Y tế tỉnh Hòa Bình",
    "Ủy ban Mặt trận Tổ quốc tỉnh Hòa Bình",
]


@dataclass
class SearchWorld:
    world: World
    hoa_binh: Council
    hoa_binh_units: list[Unit]
    hoa_binh_person: User
    renamed: Unit
    radio: Unit
    published: BlocYear
    report: Document  # 2019, issued
    minutes: Document  # 2019, issued
    submission: Document  # 2019, draft
    unpublished_report: Document  # 2020, issued

    def __getattr__(self, name: str) -> Any:
        return getattr(self.world, name)

    @property
    def documents(self) -> list[Document]:
        return [self.report, self.minutes, self.submission, self.unpublished_report]


@pytest.fixture
def search_world(world: World) -> SearchWorld:
    hoa_binh = CouncilFactory.create(
        code="HBI", name="Hội đồng Thi đua - Khen thưởng tỉnh Hòa Bình", province="Hòa Bình"
    )
    # Created out of order, so that the order found is the search's own.
    units = {
        name: UnitFactory.create(council=hoa_binh, code=f"HB{index}", name=name, short_name="")
        for index, name in reversed(list(enumerate(HOA_BINH_UNITS)))
    }
    BlocFactory.create(council=hoa_binh, code="CUM1", name="Cụm thi đua số 1 tỉnh Hòa Bình")
    person = UserFactory.create(
        username="nguoi.hoabinh",
        full_name="Đinh Thị Hòa",
        email="hoa@hoabinh.example",
        unit=units["Sở Y tế tỉnh Hòa Bình"],
    )
    renamed = UnitFactory.create(
        council=world.council,
        code="SVHTTDL",
        name="Sở Văn hóa - Thông tin",
        short_name="Sở VH-TT",
        active_from=datetime.date(2000, 1, 1),
    )
    services.unit_rename(
        unit=renamed,
        name="Sở Văn hóa, Thể thao và Du lịch",
        short_name="Sở VH-TT&DL",
        effective_date=datetime.date(2008, 3, 1),
    )
    radio = UnitFactory.create(
        council=world.council,
        code="DPTTH",
        name="Đài Phát thanh - Truyền hình Quảng Nam",
        short_name="Đài PT-TH Quảng Nam",
    )
    published = verified_year(world.bloc, 2019, [world.head, world.deputy, world.member])
    publish(published)
    return SearchWorld(
        world=world,
        hoa_binh=hoa_binh,
        hoa_binh_units=[units[name] for name in HOA_BINH_UNITS],
        hoa_binh_person=person,
        renamed=renamed,
        radio=radio,
        published=published,
        report=issued_quickly(published, Document.Kind.REPORT),
        minutes=issued_quickly(published, Document.Kind.MINUTES),
        submission=draft(published, Document.Kind.SUBMISSION),
        unpublished_report=issued_quickly(world.bloc_year, Document.Kind.REPORT),
    )
