"""The three periods of law (docs/awards.md) and the five awards with their default gates.

Data, not constants: council admins edit all of it afterwards.
"""

import datetime
from decimal import Decimal

from django.db import migrations

EXCELLENT = "Hoàn thành xuất sắc nhiệm vụ"
GOOD = "Hoàn thành tốt nhiệm vụ"

RULE_SETS = [
    {
        "code": "LUAT-2003",
        "name": "Luật Thi đua, Khen thưởng 2003; Nghị định 91/2017/NĐ-CP; Thông tư 12/2019/TT-BNV",
        "valid_from": None,
        "valid_until": datetime.date(2023, 12, 31),
        "legal_basis": "\n".join(
            [
                "Luật Thi đua, Khen thưởng ngày 26 tháng 11 năm 2003; Luật sửa đổi, bổ sung một số điều "
                "của Luật Thi đua, Khen thưởng ngày 14 tháng 6 năm 2005 và ngày 16 tháng 11 năm 2013;",
                "Nghị định số 91/2017/NĐ-CP ngày 31 tháng 7 năm 2017 của Chính phủ quy định chi tiết "
                "thi hành một số điều của Luật Thi đua, khen thưởng;",
                "Thông tư số 12/2019/TT-BNV ngày 04 tháng 11 năm 2019 của Bộ Nội vụ quy định chi tiết "
                "thi hành một số điều của Nghị định số 91/2017/NĐ-CP;",
            ]
        ),
        "advanced_percent": Decimal(50),
        "advanced_strictly_above": True,
        "deadline": (None, None),
    },
    {
        "code": "LUAT-2022-ND98",
        "name": "Luật Thi đua, khen thưởng 2022; Nghị định 98/2023/NĐ-CP",
        "valid_from": datetime.date(2024, 1, 1),
        "valid_until": datetime.date(2025, 6, 30),
        "legal_basis": "\n".join(
            [
                "Luật Thi đua, khen thưởng ngày 15 tháng 6 năm 2022;",
                "Nghị định số 98/2023/NĐ-CP ngày 31 tháng 12 năm 2023 của Chính phủ quy định chi tiết "
                "thi hành một số điều của Luật Thi đua, khen thưởng;",
            ]
        ),
        "advanced_percent": Decimal(70),
        "advanced_strictly_above": False,
        "deadline": (None, None),
    },
    {
        "code": "LUAT-2022-ND152",
        "name": "Luật Thi đua, khen thưởng 2022; Nghị định 152/2025/NĐ-CP; Thông tư 15/2025/TT-BNV",
        "valid_from": datetime.date(2025, 7, 1),
        "valid_until": None,
        "legal_basis": "\n".join(
            [
                "Luật Thi đua, khen thưởng ngày 15 tháng 6 năm 2022;",
                "Nghị định số 152/2025/NĐ-CP ngày 14 tháng 6 năm 2025 của Chính phủ quy định chi tiết "
                "thi hành một số điều của Luật Thi đua, khen thưởng;",
                "Thông tư số 15/2025/TT-BNV ngày 04 tháng 8 năm 2025 của Bộ Nội vụ;",
            ]
        ),
        "advanced_percent": Decimal(70),
        "advanced_strictly_above": False,
        "deadline": (10, 12),
    },
]


def awards_for(rule_set: dict) -> list[dict]:
    return [
        {
            "code": "GOV_FLAG",
            "name": "Cờ thi đua của Chính phủ",
            "kind": "flag",
            "level": "national",
            "decided_by": "Thủ tướng Chính phủ",
            "order": 10,
            "quota_count": 1,
            "max_rank": 1,
            "required_bands": [EXCELLENT],
            "needs_ballot": True,
            "needs_council_vote": True,
        },
        {
            "code": "PROV_FLAG",
            "name": "Cờ thi đua của Ủy ban nhân dân tỉnh",
            "kind": "flag",
            "level": "provincial",
            "decided_by": "Chủ tịch Ủy ban nhân dân tỉnh",
            "order": 20,
            "quota_count": 1,
            "rank_within_quota": True,
            "required_bands": [EXCELLENT],
            "needs_ballot": True,
            "needs_council_vote": True,
        },
        {
            "code": "PROV_CERT",
            "name": "Bằng khen của Chủ tịch Ủy ban nhân dân tỉnh",
            "kind": "certificate",
            "level": "provincial",
            "decided_by": "Chủ tịch Ủy ban nhân dân tỉnh",
            "order": 30,
            "quota_count": 3,
            "rank_within_quota": True,
            "required_bands": [EXCELLENT, GOOD],
            "needs_ballot": True,
            "history_award_code": "EXCELLENT_COLLECTIVE",
            "history_years": 2,
            "history_alternative": True,
        },
        {
            "code": "EXCELLENT_COLLECTIVE",
            "name": "Tập thể lao động xuất sắc",
            "kind": "unit_title",
            "level": "provincial",
            "decided_by": "Chủ tịch Ủy ban nhân dân tỉnh",
            "order": 40,
            "required_bands": [EXCELLENT],
            "needs_ballot": False,
            "min_completing_percent": Decimal(100),
            "min_advanced_percent": Decimal(70),
            "min_emulation_fighters": 1,
        },
        {
            "code": "ADVANCED_COLLECTIVE",
            "name": "Tập thể lao động tiên tiến",
            "kind": "unit_title",
            "level": "agency",
            "decided_by": "Thủ trưởng cơ quan, đơn vị",
            "order": 50,
            "required_bands": [EXCELLENT, GOOD],
            "needs_ballot": False,
            "min_advanced_percent": rule_set["advanced_percent"],
            "advanced_strictly_above": rule_set["advanced_strictly_above"],
            "no_discipline": True,
        },
    ]


def seed(apps, schema_editor):
    RuleSet = apps.get_model("awards", "RuleSet")
    AwardType = apps.get_model("awards", "AwardType")
    for spec in RULE_SETS:
        day, month = spec["deadline"]
        rule_set, _created = RuleSet.objects.get_or_create(
            code=spec["code"],
            defaults={
                "name": spec["name"],
                "valid_from": spec["valid_from"],
                "valid_until": spec["valid_until"],
                "legal_basis": spec["legal_basis"],
                "proposal_deadline_day": day,
                "proposal_deadline_month": month,
            },
        )
        for award in awards_for(spec):
            AwardType.objects.get_or_create(rule_set=rule_set, code=award["code"], defaults=award)


def unseed(apps, schema_editor):
    apps.get_model("awards", "RuleSet").objects.filter(code__in=[spec["code"] for spec in RULE_SETS]).delete()


class Migration(migrations.Migration):
    dependencies = [("awards", "0001_catalogue_ballots_proposals")]

    operations = [migrations.RunPython(seed, unseed)]
