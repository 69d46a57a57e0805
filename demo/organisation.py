"""The demo organisation: Quảng Nam's council and blocs, its 2025 merger into Đà Nẵng.

Unit lists follow the source article (Khối thi đua tham mưu III) and the province's published reorganisation; the
members of the other blocs, heads and deputies of each year and all dates not in the article
are plausible inventions, and every page of these councils says so.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db import transaction

from blocs import services
from blocs.models import Bloc, BlocYear, Council, Unit, UnitLineage, User

DEMO_PASSWORD = "thidua2021"

D = datetime.date


@dataclass(frozen=True)
class UnitSpec:
    code: str
    name: str
    short_name: str
    kind: str = Unit.Kind.DEPARTMENT
    leader_title: str = "Giám đốc"
    leader_name: str = ""


QNA_UNITS = [
    # Khối thi đua tham mưu III (the source article)
    UnitSpec(
        "DPTTH",
        "Đài Phát thanh - Truyền hình Quảng Nam",
        "Đài PT-TH Quảng Nam",
        Unit.Kind.PRESS,
        "Giám đốc",
        "Nguyễn Văn Hùng",
    ),
    UnitSpec(
        "BQN", "Báo Quảng Nam", "Báo Quảng Nam", Unit.Kind.PRESS, "Tổng Biên tập", "Trần Thị Mai"
    ),
    UnitSpec("SGDDT", "Sở Giáo dục và Đào tạo", "Sở GD-ĐT", leader_name="Lê Văn Thanh"),
    UnitSpec(
        "SLDTBXH", "Sở Lao động - Thương binh và Xã hội", "Sở LĐ-TB&XH", leader_name="Phạm Thị Hòa"
    ),
    UnitSpec("STTTT", "Sở Thông tin và Truyền thông", "Sở TT-TT", leader_name="Hồ Quang Bửu"),
    UnitSpec(
        "SVHTTDL", "Sở Văn hóa, Thể thao và Du lịch", "Sở VH-TT&DL", leader_name="Nguyễn Thanh Hồng"
    ),
    UnitSpec("SYT", "Sở Y tế", "Sở Y tế", leader_name="Nguyễn Văn Hai"),
    # Khối thi đua tham mưu I
    UnitSpec("BDT", "Ban Dân tộc", "Ban Dân tộc", Unit.Kind.OFFICE, "Trưởng ban", "A Viết Sơn"),
    UnitSpec("STP", "Sở Tư pháp", "Sở Tư pháp", leader_name="Võ Đình Thanh"),
    UnitSpec("SNV", "Sở Nội vụ", "Sở Nội vụ", leader_name="Lê Văn Dũng"),
    UnitSpec(
        "TTT",
        "Thanh tra tỉnh",
        "Thanh tra tỉnh",
        Unit.Kind.OFFICE,
        "Chánh Thanh tra",
        "Trần Văn Ân",
    ),
    UnitSpec(
        "VPUB",
        "Văn phòng Ủy ban nhân dân tỉnh",
        "Văn phòng UBND tỉnh",
        Unit.Kind.OFFICE,
        "Chánh Văn phòng",
        "Nguyễn Hữu Phú",
    ),
    UnitSpec("SNGV", "Sở Ngoại vụ", "Sở Ngoại vụ", leader_name="Trần Thị Thanh Tú"),
    UnitSpec(
        "VPDDBQH",
        "Văn phòng Đoàn đại biểu Quốc hội và Hội đồng nhân dân tỉnh",
        "Văn phòng Đoàn ĐBQH và HĐND tỉnh",
        Unit.Kind.OFFICE,
        "Chánh Văn phòng",
        "Nguyễn Văn Lượng",
    ),
    UnitSpec("SKHDT", "Sở Kế hoạch và Đầu tư", "Sở KH-ĐT", leader_name="Trần Hữu Thể"),
    UnitSpec("STC", "Sở Tài chính", "Sở Tài chính", leader_name="Nguyễn Đức Tuấn"),
    UnitSpec("SKHCN", "Sở Khoa học và Công nghệ", "Sở KH&CN", leader_name="Trần Văn Mẫn"),
    # Khối thi đua tham mưu II
    UnitSpec("SCT", "Sở Công Thương", "Sở Công Thương", leader_name="Phan Thái Bình"),
    UnitSpec(
        "SNNPTNT",
        "Sở Nông nghiệp và Phát triển nông thôn",
        "Sở NN&PTNT",
        leader_name="Phan Xuân Quang",
    ),
    UnitSpec("SGTVT", "Sở Giao thông vận tải", "Sở GTVT", leader_name="Lê Văn Tuấn"),
    UnitSpec("SXD", "Sở Xây dựng", "Sở Xây dựng", leader_name="Lê Trí Thanh"),
    UnitSpec("STNMT", "Sở Tài nguyên và Môi trường", "Sở TN&MT", leader_name="Nguyễn Hồng Quang"),
    UnitSpec(
        "BQLKKT",
        "Ban Quản lý các khu kinh tế và khu công nghiệp tỉnh",
        "BQL các KKT và KCN",
        Unit.Kind.OFFICE,
        "Trưởng ban",
        "Trần Văn Thành",
    ),
]

DNG_UNITS = [
    UnitSpec("SNV", "Sở Nội vụ", "Sở Nội vụ", leader_name="Nguyễn Quang Vinh"),
    UnitSpec("SGDDT", "Sở Giáo dục và Đào tạo", "Sở GD-ĐT", leader_name="Lê Thị Bích Thuận"),
    UnitSpec("SYT", "Sở Y tế", "Sở Y tế", leader_name="Ngô Thị Kim Yến"),
    UnitSpec(
        "SVHTTDL", "Sở Văn hóa, Thể thao và Du lịch", "Sở VH-TT&DL", leader_name="Nguyễn Văn Phú"
    ),
    UnitSpec("SKHCN", "Sở Khoa học và Công nghệ", "Sở KH&CN", leader_name="Huỳnh Văn Thanh"),
    UnitSpec("SDTTG", "Sở Dân tộc và Tôn giáo", "Sở DT&TG", leader_name="A Viết Sơn"),
    UnitSpec(
        "BPTTH",
        "Báo và Phát thanh, Truyền hình Đà Nẵng",
        "Báo và PT-TH Đà Nẵng",
        Unit.Kind.PRESS,
        "Tổng Biên tập",
        "Nguyễn Đức Nam",
    ),
]


@dataclass(frozen=True)
class YearSpec:
    year: int
    state: str
    head: str
    deputy: str
    members: list[str]
    covenant_date: datetime.date | None = None
    conference_date: datetime.date | None = None


TM3 = ["DPTTH", "BQN", "SGDDT", "SLDTBXH", "STTTT", "SVHTTDL", "SYT"]
TM1 = ["BDT", "STP", "SNV", "TTT", "VPUB", "SNGV", "VPDDBQH", "SKHDT", "STC", "SKHCN"]
TM2 = ["SCT", "SNNPTNT", "SGTVT", "SXD", "STNMT", "BQLKKT"]

QNA_BLOCS = [
    (
        "TM3",
        "Khối thi đua tham mưu III",
        "Các cơ quan tham mưu về văn hóa - xã hội, báo chí của UBND tỉnh.",
        [
            # Scored, finalized and published by demo/scoring.py.
            YearSpec(
                2020, BlocYear.State.UNDERWAY, "SYT", "SGDDT", TM3, D(2020, 3, 12), D(2021, 3, 2)
            ),
            YearSpec(2021, BlocYear.State.SCORING, "SLDTBXH", "DPTTH", TM3, D(2021, 3, 2)),
        ],
    ),
    (
        "TM1",
        "Khối thi đua tham mưu I",
        "Các cơ quan tham mưu tổng hợp, nội chính của UBND tỉnh.",
        [
            YearSpec(
                2020, BlocYear.State.DECIDED, "SNV", "TTT", TM1, D(2020, 3, 10), D(2021, 1, 15)
            ),
            YearSpec(2021, BlocYear.State.SCORING, "VPUB", "STC", TM1, D(2021, 3, 9)),
        ],
    ),
    (
        "TM2",
        "Khối thi đua tham mưu II",
        "Các cơ quan tham mưu về kinh tế, hạ tầng của UBND tỉnh.",
        [
            YearSpec(
                2020, BlocYear.State.DECIDED, "SCT", "SXD", TM2, D(2020, 3, 11), D(2021, 1, 20)
            ),
            YearSpec(2021, BlocYear.State.UNDERWAY, "SXD", "STNMT", TM2, D(2021, 3, 16)),
        ],
    ),
]

DNG_BLOCS = [
    (
        "VHXH",
        "Khối thi đua văn hóa - xã hội",
        "Các sở, cơ quan báo chí lĩnh vực văn hóa - xã hội của thành phố sau hợp nhất.",
        [
            YearSpec(
                2026,
                BlocYear.State.SCORING,
                "SYT",
                "SGDDT",
                ["SGDDT", "SYT", "SVHTTDL", "SKHCN", "SDTTG", "BPTTH"],
                D(2026, 3, 20),
            ),
        ],
    ),
]

# (username, council code, unit code, role, full name, job title)
USERS = [
    (
        "quantri",
        "DNG",
        "SNV",
        User.Role.COUNCIL_ADMIN,
        "Trần Thị Thu Hà",
        "Chuyên viên Phòng Thi đua, khen thưởng",
    ),
    (
        "lanhdao",
        "DNG",
        "SNV",
        User.Role.LEADER,
        "Nguyễn Quang Vinh",
        "Giám đốc Sở Nội vụ, Phó Chủ tịch Hội đồng TĐKT",
    ),
    ("thuky", "QNA", "SLDTBXH", User.Role.FOCAL_POINT, "Lê Thị Thu", "Chánh Văn phòng Sở LĐ-TB&XH"),
    (
        "daumoi",
        "QNA",
        "BQN",
        User.Role.FOCAL_POINT,
        "Phan Văn Nam",
        "Trưởng phòng Hành chính - Trị sự",
    ),
    (
        "daumoi.syt",
        "QNA",
        "SYT",
        User.Role.FOCAL_POINT,
        "Võ Thị Lan",
        "Chuyên viên Văn phòng Sở Y tế",
    ),
    (
        "daumoi.sgddt",
        "QNA",
        "SGDDT",
        User.Role.FOCAL_POINT,
        "Huỳnh Văn Tâm",
        "Chuyên viên Văn phòng Sở GD-ĐT",
    ),
    (
        "daumoi.dptth",
        "QNA",
        "DPTTH",
        User.Role.FOCAL_POINT,
        "Đặng Thị Ngọc",
        "Phó Trưởng phòng Tổ chức - Hành chính",
    ),
    (
        "daumoi.stttt",
        "QNA",
        "STTTT",
        User.Role.FOCAL_POINT,
        "Ngô Minh Quân",
        "Chuyên viên Văn phòng Sở TT-TT",
    ),
    (
        "daumoi.svhttdl",
        "QNA",
        "SVHTTDL",
        User.Role.FOCAL_POINT,
        "Trương Thị Hạnh",
        "Chuyên viên Văn phòng Sở VH-TT&DL",
    ),
    (
        "daumoi.stp",
        "QNA",
        "STP",
        User.Role.FOCAL_POINT,
        "Bùi Văn Khánh",
        "Chuyên viên Văn phòng Sở Tư pháp",
    ),
]


def _units(council: Council, specs: list[UnitSpec]) -> dict[str, Unit]:
    units = {}
    for spec in specs:
        unit, _created = Unit.objects.update_or_create(
            council=council,
            code=spec.code,
            defaults={
                "name": spec.name,
                "short_name": spec.short_name,
                "kind": spec.kind,
                "leader_title": spec.leader_title,
                "leader_name": spec.leader_name,
            },
        )
        units[spec.code] = unit
    return units


def _blocs(council: Council, units: dict[str, Unit], specs: list) -> None:
    for code, name, description, years in specs:
        bloc, _created = Bloc.objects.update_or_create(
            council=council, code=code, defaults={"name": name, "description": description}
        )
        for spec in years:
            if BlocYear.objects.filter(bloc=bloc, year=spec.year).exists():
                continue
            services.bloc_year_create(
                bloc=bloc,
                year=spec.year,
                members=[units[member] for member in spec.members],
                head=units[spec.head],
                deputy=units[spec.deputy],
                state=spec.state,
                covenant_date=spec.covenant_date,
                conference_date=spec.conference_date,
            )
            BlocYear.objects.filter(bloc=bloc, year=spec.year).update(
                covenant_place=f"Hội trường {units[spec.head].short_name}"
                if spec.covenant_date
                else "",
                conference_place=f"Hội trường {units[spec.head].short_name}"
                if spec.conference_date
                else "",
            )


def _reorganisation(
    qna: dict[str, Unit], dng: dict[str, Unit], councils: tuple[Council, Council]
) -> None:
    """The 2025 reorganisation: departments merged on 1/3, the province on 1/7."""
    if UnitLineage.objects.filter(predecessor=qna["STTTT"]).exists():
        return
    march, july = D(2025, 3, 1), D(2025, 7, 1)
    services.lineage_record(
        predecessor=qna["STTTT"],
        successor=qna["SKHCN"],
        kind=UnitLineage.Kind.MERGED_INTO,
        effective_date=march,
        note=(
            "Hợp nhất Sở Thông tin và Truyền thông vào Sở Khoa học và Công nghệ; "
            "quản lý báo chí chuyển sang Sở VH-TT&DL."
        ),
    )
    services.lineage_record(
        predecessor=qna["STTTT"],
        successor=qna["SVHTTDL"],
        kind=UnitLineage.Kind.FUNCTIONS_TRANSFERRED,
        effective_date=march,
        note="Chức năng quản lý nhà nước về báo chí, xuất bản.",
    )
    services.lineage_record(
        predecessor=qna["SLDTBXH"],
        successor=qna["SNV"],
        kind=UnitLineage.Kind.MERGED_INTO,
        effective_date=march,
        note="Hợp nhất Sở Lao động - Thương binh và Xã hội vào Sở Nội vụ.",
    )
    services.lineage_record(
        predecessor=qna["SLDTBXH"],
        successor=qna["SYT"],
        kind=UnitLineage.Kind.FUNCTIONS_TRANSFERRED,
        effective_date=march,
        note="Bảo trợ xã hội, trẻ em, phòng chống tệ nạn xã hội.",
    )
    services.lineage_record(
        predecessor=qna["SLDTBXH"],
        successor=qna["SGDDT"],
        kind=UnitLineage.Kind.FUNCTIONS_TRANSFERRED,
        effective_date=march,
        note="Giáo dục nghề nghiệp.",
    )
    services.unit_rename(
        unit=qna["BDT"], name="Sở Dân tộc và Tôn giáo", short_name="Sở DT&TG", effective_date=march
    )
    for qna_code, dng_code in [
        ("SKHCN", "SKHCN"),
        ("SNV", "SNV"),
        ("SYT", "SYT"),
        ("SGDDT", "SGDDT"),
        ("SVHTTDL", "SVHTTDL"),
        ("BDT", "SDTTG"),
        ("BQN", "BPTTH"),
        ("DPTTH", "BPTTH"),
    ]:
        services.lineage_record(
            predecessor=qna[qna_code],
            successor=dng[dng_code],
            kind=UnitLineage.Kind.MERGED_INTO,
            effective_date=july,
            note="Hợp nhất tỉnh Quảng Nam và thành phố Đà Nẵng (Nghị quyết 202/2025/QH15).",
        )
    services.council_set_successor(council=councils[0], successor=councils[1], effective_date=july)


def _users(units: dict[tuple[str, str], Unit]) -> None:
    for username, council_code, unit_code, role, full_name, job_title in USERS:
        if User.objects.filter(username=username).exists():
            continue
        services.user_create(
            username=username,
            password=DEMO_PASSWORD,
            unit=units[(council_code, unit_code)],
            role=role,
            full_name=full_name,
            job_title=job_title,
        )


@transaction.atomic
def load_organisation() -> None:
    qna_council, _created = Council.objects.update_or_create(
        code="QNA",
        defaults={
            "name": "Hội đồng Thi đua - Khen thưởng tỉnh Quảng Nam",
            "province": "Quảng Nam",
            "valid_from": D(1997, 1, 1),
            "is_demo": True,
        },
    )
    dng_council, _created = Council.objects.update_or_create(
        code="DNG",
        defaults={
            "name": "Hội đồng Thi đua - Khen thưởng thành phố Đà Nẵng",
            "province": "Đà Nẵng",
            "is_demo": True,
        },
    )
    qna = _units(qna_council, QNA_UNITS)
    dng = _units(dng_council, DNG_UNITS)
    _blocs(qna_council, qna, QNA_BLOCS)
    _blocs(dng_council, dng, DNG_BLOCS)
    _reorganisation(qna, dng, (qna_council, dng_council))
    all_units = {("QNA", code): unit for code, unit in qna.items()}
    all_units |= {("DNG", code): unit for code, unit in dng.items()}
    _users(all_units)


def demo_logins() -> list[tuple[str, str, str]]:
    """(username, role, unit) of the demo people, for the banner ``make run`` prints."""
    users = User.objects.filter(username__in=[row[0] for row in USERS]).select_related("unit")
    by_name = {user.username: user for user in users}
    return [
        (user.username, str(user.get_role_display()), user.unit.short_name if user.unit else "")
        for user in (by_name[row[0]] for row in USERS if row[0] in by_name)
    ]
