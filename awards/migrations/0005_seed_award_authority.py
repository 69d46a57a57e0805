"""Who decides each award of each seeded rule set, from the law of its period, and who issued
each decision already recorded, from its number's symbol.

Luật Thi đua, Khen thưởng 2003 (amended 2005, 2013), Chương IV: Điều 78 — the Government's
flag (its decisions are the Prime Minister's, …/QĐ-TTg); Điều 80 — the provincial chairman's
flag and certificate of merit and "Tập thể lao động xuất sắc"; Điều 81 khoản 1 — heads of
agencies: "Tập thể lao động tiên tiến".
Luật Thi đua, khen thưởng 2022 (06/2022/QH15), Chương IV: Điều 78 — Prime Minister; Điều 79 —
provincial chairman; Điều 80 khoản 1 — heads of agencies. Nghị định 98/2023 and 152/2025 do
not move these awards. docs/awards.md gives the sources.

Data, not constants: council admins edit both fields afterwards. An award type a council admin
added under another code is read from its old "decided_by" text, or else from its level.
"""

from django.db import migrations

LAW_2003 = "Luật Thi đua, Khen thưởng 2003"
LAW_2022 = "Luật Thi đua, khen thưởng 2022"


def _law_2003() -> dict[str, tuple[str, str]]:
    return {
        "GOV_FLAG": (
            "prime_minister",
            f"{LAW_2003}, Điều 78 (Chính phủ quyết định; Thủ tướng Chính phủ ký)",
        ),
        "PROV_FLAG": ("provincial_chairman", f"{LAW_2003}, Điều 80"),
        "PROV_CERT": ("provincial_chairman", f"{LAW_2003}, Điều 80"),
        "EXCELLENT_COLLECTIVE": ("provincial_chairman", f"{LAW_2003}, Điều 80"),
        "ADVANCED_COLLECTIVE": ("agency_head", f"{LAW_2003}, Điều 81 khoản 1"),
    }


def _law_2022() -> dict[str, tuple[str, str]]:
    return {
        "GOV_FLAG": ("prime_minister", f"{LAW_2022}, Điều 78"),
        "PROV_FLAG": ("provincial_chairman", f"{LAW_2022}, Điều 79"),
        "PROV_CERT": ("provincial_chairman", f"{LAW_2022}, Điều 79"),
        "EXCELLENT_COLLECTIVE": ("provincial_chairman", f"{LAW_2022}, Điều 79"),
        "ADVANCED_COLLECTIVE": ("agency_head", f"{LAW_2022}, Điều 80 khoản 1"),
    }


BY_RULE_SET = {
    "LUAT-2003": _law_2003(),
    "LUAT-2022-ND98": _law_2022(),
    "LUAT-2022-ND152": _law_2022(),
}
LEVELS = {"national": "prime_minister", "provincial": "provincial_chairman", "agency": "agency_head"}
SYMBOLS = {
    "TTG": "prime_minister",
    "CTN": "president",
    "UBND": "provincial_chairman",
    "CT": "provincial_chairman",
    "CTUBND": "provincial_chairman",
}
LABELS = {
    "president": "Chủ tịch nước",
    "prime_minister": "Thủ tướng Chính phủ",
    "provincial_chairman": "Chủ tịch Ủy ban nhân dân tỉnh",
    "agency_head": "Thủ trưởng cơ quan, đơn vị",
}


def _from_text(text: str) -> str | None:
    text = text.lower()
    for marker, authority in (
        ("thủ tướng", "prime_minister"),
        ("chính phủ", "prime_minister"),
        ("chủ tịch nước", "president"),
        ("thủ trưởng", "agency_head"),
        ("chủ tịch", "provincial_chairman"),
    ):
        if marker in text:
            return authority
    return None


def seed(apps, schema_editor):
    AwardType = apps.get_model("awards", "AwardType")
    Decision = apps.get_model("awards", "Decision")
    for award in AwardType.objects.select_related("rule_set"):
        known = BY_RULE_SET.get(award.rule_set.code, {}).get(award.code)
        if known is not None:
            award.authority, award.authority_basis = known
        else:
            award.authority = (
                _from_text(award.decided_by) or LEVELS.get(award.level) or "provincial_chairman"
            )
        award.save(update_fields=["authority", "authority_basis"])
    for decision in Decision.objects.all():
        symbol = decision.number.rsplit("/QĐ-", 1)[-1].upper() if "/QĐ-" in decision.number else ""
        authority = SYMBOLS.get(symbol, "provincial_chairman")
        if authority != decision.authority:
            decision.authority = authority
            decision.save(update_fields=["authority"])


def unseed(apps, schema_editor):
    """Back to the free text of 0002 (the column comes back with 0006 reversed)."""
    AwardType = apps.get_model("awards", "AwardType")
    for award in AwardType.objects.exclude(authority=None):
        award.decided_by = LABELS.get(award.authority, "")
        award.save(update_fields=["decided_by"])


class Migration(migrations.Migration):
    dependencies = [("awards", "0004_award_authority_fields")]

    operations = [migrations.RunPython(seed, unseed)]
