"""Demo criteria sets and score sheets. All points are invented (the article gives none).

2020 (Khối thi đua tham mưu III): every sheet verified, totals arranged so that Sở LĐ-TB&XH
leads and Đài PT-TH Quảng Nam and Sở TT-TT follow with equal totals, separated by section I.
2021: sheets in every state, one line not applicable, one sheet entered on a unit's behalf.
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from pathlib import Path

from django.db import transaction
from django.utils import timezone

from blocs import deadlines
from blocs.models import Bloc, BlocYear, Membership, User
from scoring import rules
from scoring.importer import CouncilChoice, import_bloc_year
from scoring.layers import Layer
from scoring.models import (
    CriteriaSet,
    Criterion,
    Publication,
    RankingSnapshot,
    ScoreSheet,
    ScoringSeason,
)
from scoring.services import criteria as criteria_services
from scoring.services import ranking as ranking_services
from scoring.services import sheets as sheet_services
from scoring.services import transitions
from scoring.services.sheets import LineEntry

D = Decimal
C = Criterion

# code, title, max, kind, method, points per occurrence, scored by, guidance
# fmt: off
CRITERIA: list[tuple[str, str, str, str, str, str | None, str, str]] = [
    ("I", "Thực hiện nhiệm vụ chính trị, chuyên môn được giao", "60", C.Kind.STANDARD, C.Method.DIRECT, None, C.ScoredBy.UNIT, ""),
    ("I.1", "Hoàn thành các chỉ tiêu, nhiệm vụ trọng tâm được UBND tỉnh giao trong năm", "30", C.Kind.STANDARD, C.Method.TARGET, None, C.ScoredBy.UNIT, "Điểm = 30 × số nhiệm vụ hoàn thành / số nhiệm vụ được giao."),
    ("I.2", "Tham mưu ban hành văn bản, cơ chế, chính sách theo chương trình công tác", "15", C.Kind.STANDARD, C.Method.TARGET, None, C.ScoredBy.UNIT, "Điểm = 15 × số văn bản đã trình / số văn bản theo kế hoạch."),
    ("I.3", "Công tác thanh tra, kiểm tra, giải quyết khiếu nại, tố cáo", "10", C.Kind.STANDARD, C.Method.DIRECT, None, C.ScoredBy.UNIT, ""),
    ("I.3.a", "Thực hiện kế hoạch thanh tra, kiểm tra chuyên ngành", "5", C.Kind.STANDARD, C.Method.DIRECT, None, C.ScoredBy.UNIT, ""),
    ("I.3.b", "Giải quyết khiếu nại, tố cáo đúng thời hạn", "5", C.Kind.STANDARD, C.Method.DIRECT, None, C.ScoredBy.UNIT, ""),
    ("I.4", "Thực hành tiết kiệm, chống lãng phí; phòng, chống tham nhũng", "5", C.Kind.STANDARD, C.Method.DIRECT, None, C.ScoredBy.UNIT, ""),
    ("II", "Cải cách hành chính, chuyển đổi số", "10", C.Kind.STANDARD, C.Method.DIRECT, None, C.ScoredBy.UNIT, ""),
    ("II.1", "Chỉ số cải cách hành chính (PAR Index) của đơn vị", "5", C.Kind.STANDARD, C.Method.RELATIVE_BEST, None, C.ScoredBy.UNIT, "Đơn vị có chỉ số cao nhất khối được 5 điểm; đơn vị khác tính tỷ lệ."),
    ("II.2", "Tỷ lệ hồ sơ, văn bản xử lý trên môi trường điện tử", "5", C.Kind.STANDARD, C.Method.TARGET, None, C.ScoredBy.UNIT, "Chỉ tiêu 100%."),
    ("III", "Công tác thi đua, khen thưởng", "15", C.Kind.STANDARD, C.Method.DIRECT, None, C.ScoredBy.UNIT, ""),
    ("III.1", "Tổ chức phát động thi đua, ký giao ước, đăng ký thi đua đầu năm", "5", C.Kind.STANDARD, C.Method.PASS_FAIL, None, C.ScoredBy.UNIT, ""),
    ("III.2", "Báo cáo công tác thi đua, khen thưởng đầy đủ, đúng hạn", "5", C.Kind.STANDARD, C.Method.DIRECT, None, C.ScoredBy.UNIT, ""),
    ("III.3", "Phát hiện, bồi dưỡng, nhân rộng điển hình tiên tiến", "5", C.Kind.STANDARD, C.Method.DIRECT, None, C.ScoredBy.UNIT, ""),
    ("IV", "Xây dựng Đảng, đoàn thể và đoàn kết nội bộ", "10", C.Kind.STANDARD, C.Method.DIRECT, None, C.ScoredBy.UNIT, ""),
    ("IV.1", "Tổ chức cơ sở đảng được xếp loại hoàn thành tốt nhiệm vụ trở lên", "5", C.Kind.STANDARD, C.Method.PASS_FAIL, None, C.ScoredBy.UNIT, ""),
    ("IV.2", "Công đoàn, Đoàn thanh niên, Hội phụ nữ cơ sở vững mạnh", "5", C.Kind.STANDARD, C.Method.DIRECT, None, C.ScoredBy.UNIT, ""),
    ("V", "Tham gia hoạt động chung của Khối", "5", C.Kind.STANDARD, C.Method.DIRECT, None, C.ScoredBy.UNIT, ""),
    ("V.1", "Tham dự đầy đủ các cuộc họp, hội nghị, hoạt động của Khối", "3", C.Kind.STANDARD, C.Method.DIRECT, None, C.ScoredBy.BLOC, "Trưởng khối chấm theo sổ theo dõi."),
    ("V.2", "Tham gia kiểm tra chéo giữa các đơn vị trong Khối", "2", C.Kind.STANDARD, C.Method.DIRECT, None, C.ScoredBy.BLOC, ""),
    ("VI", "Điểm thưởng", "6", C.Kind.BONUS, C.Method.DIRECT, None, C.ScoredBy.UNIT, ""),
    ("VI.1", "Được tặng Cờ thi đua, Bằng khen của Thủ tướng, Bộ, ngành, UBND tỉnh trong năm", "4", C.Kind.BONUS, C.Method.PER_OCCURRENCE, "2", C.ScoredBy.UNIT, "2 điểm mỗi lần, tối đa 4 điểm."),
    ("VI.2", "Đảm nhận Trưởng khối, Khối phó", "2", C.Kind.BONUS, C.Method.DIRECT, None, C.ScoredBy.BLOC, ""),
    ("VII", "Điểm trừ", "13", C.Kind.PENALTY, C.Method.DIRECT, None, C.ScoredBy.UNIT, ""),
    ("VII.1", "Chậm gửi báo cáo, hồ sơ thi đua, khen thưởng", "5", C.Kind.PENALTY, C.Method.PER_OCCURRENCE, "1", C.ScoredBy.UNIT, "Trừ 1 điểm mỗi lần, tối đa 5 điểm."),
    ("VII.2", "Không tổ chức phát động, không ký giao ước hoặc không đăng ký thi đua đầu năm", "8", C.Kind.PENALTY, C.Method.DIRECT, None, C.ScoredBy.COUNCIL, "Cơ quan thường trực Hội đồng chấm: trừ 8 điểm."),
]

# Verified inputs of 2020, per unit: (value, target) by leaf code. The self-assessment is the
# same except where SELF_2020 says otherwise (the secretariat lowered those lines).
LEAVES = ["I.1", "I.2", "I.3.a", "I.3.b", "I.4", "II.1", "II.2", "III.1", "III.2", "III.3", "IV.1", "IV.2", "V.1", "V.2", "VI.1", "VI.2", "VII.1", "VII.2"]

VERIFIED_2020: dict[str, list[tuple[str, str | None]]] = {
    # Totals: LĐ-TB&XH 97,65; Đài PT-TH 95,55 and TT-TT 95,55 (Đài ahead on section I: 57,75
    # against 55,75); Y tế 94,00; GD-ĐT 92,65; VH-TT&DL 84,50; Báo Quảng Nam 80,55.
    #             I.1           I.2           I.3.a        I.3.b        I.4           II.1           II.2           III.1       III.2         III.3         IV.1        IV.2          V.1           V.2           VI.1        VI.2        VII.1       VII.2
    "SLDTBXH": [("19", "20"), ("12", "12"), ("5", None), ("5", None), ("5", None), ("90.0", None), ("98", "100"), ("1", None), ("5", None), ("4.75", None), ("1", None), ("4", None), ("3", None), ("1.5", None), ("1", None), ("0", None), ("1", None), ("0", None)],
    "DPTTH":   [("19", "20"), ("12", "12"), ("5", None), ("4.5", None), ("4.75", None), ("86.4", None), ("95", "100"), ("1", None), ("4.75", None), ("4.25", None), ("1", None), ("4.25", None), ("3", None), ("2", None), ("1", None), ("0", None), ("2", None), ("0", None)],
    "STTTT":   [("18", "20"), ("11", "12"), ("5", None), ("5", None), ("5", None), ("86.4", None), ("95", "100"), ("1", None), ("5", None), ("4.5", None), ("1", None), ("4.25", None), ("3", None), ("1.5", None), ("1", None), ("0", None), ("0", None), ("0", None)],
    "SYT":     [("18", "20"), ("11", "12"), ("4.5", None), ("4.5", None), ("4.75", None), ("85.5", None), ("95", "100"), ("1", None), ("4.75", None), ("4.5", None), ("1", None), ("4.75", None), ("3", None), ("2", None), ("0", None), ("2", None), ("1", None), ("0", None)],
    "SGDDT":   [("18", "20"), ("10", "12"), ("5", None), ("4.75", None), ("4.75", None), ("84.6", None), ("94", "100"), ("1", None), ("4.75", None), ("4.5", None), ("1", None), ("5", None), ("3", None), ("2", None), ("0", None), ("1", None), ("1", None), ("0", None)],
    "SVHTTDL": [("16", "20"), ("9", "12"), ("4.5", None), ("4.25", None), ("4.5", None), ("81.0", None), ("90", "100"), ("1", None), ("4.25", None), ("4", None), ("1", None), ("4.25", None), ("2.75", None), ("1.75", None), ("0", None), ("0", None), ("0", None), ("0", None)],
    "BQN":     [("15", "20"), ("9", "12"), ("4.25", None), ("4.25", None), ("4.5", None), ("79.2", None), ("88", "100"), ("1", None), ("4.25", None), ("3.75", None), ("1", None), ("4", None), ("2.5", None), ("1.5", None), ("0", None), ("0", None), ("1", None), ("0", None)],
}
# fmt: on
# Lines where the unit claimed more than the secretariat accepted, with the reason given.
SELF_2020: dict[str, dict[str, tuple[str, str | None, str]]] = {
    "STTTT": {"III.3": ("5", None, "Chỉ có 2 mô hình được UBND tỉnh công nhận trong năm.")},
    "SYT": {"I.3.a": ("5", None, "Biên bản kiểm tra chỉ có 9/10 cuộc theo kế hoạch.")},
    "BQN": {"I.1": ("16", "20", "Nhiệm vụ số hóa tòa soạn chưa nghiệm thu trong năm.")},
    "DPTTH": {
        "VII.1": ("1", None, "Báo cáo 6 tháng và báo cáo năm đều gửi chậm (CV số 112, 245).")
    },
}


def _criteria_set(
    *, bloc_year: BlocYear | None, council_id: int, year: int, name: str, by: User | None
) -> CriteriaSet:
    existing = CriteriaSet.objects.filter(
        council_id=council_id, year=year, bloc_year=bloc_year, name=name
    ).first()
    if existing:
        return existing
    criteria_set = criteria_services.criteria_set_create(
        council=bloc_year.bloc.council
        if bloc_year
        else BlocYear.objects.filter(bloc__council_id=council_id).first().bloc.council,  # type: ignore[union-attr]
        year=year,
        name=name,
        by=by,
        bloc_year=bloc_year,
        bonus_cap=D("5"),
    )
    for order, (code, title, max_points, kind, method, ppo, scored_by, guidance) in enumerate(
        CRITERIA
    ):
        criteria_services.criterion_save(
            criteria_set=criteria_set,
            by=by,
            code=code,
            title=title,
            max_points=D(max_points),
            kind=kind,
            method=method,
            points_per_occurrence=D(ppo) if ppo else None,
            scored_by=scored_by,
            guidance=guidance,
            order=(order + 1) * 10,
        )
    return criteria_set


def _entries(
    values: list[tuple[str, str | None]], ids: dict[str, int], codes: list[str]
) -> dict[int, LineEntry]:
    return {
        ids[code]: LineEntry(D(value), D(target) if target else None, "")
        for code, (value, target) in zip(LEAVES, values, strict=True)
        if code in codes
    }


def _sheet(bloc_year: BlocYear, code: str) -> ScoreSheet:
    return ScoreSheet.objects.select_related("bloc_year__scoring__criteria_set", "unit").get(
        bloc_year=bloc_year, unit__code=code
    )


def _save(
    sheet: ScoreSheet,
    layer: Layer,
    entries: dict[int, LineEntry],
    by: User | None,
    on_behalf: bool = False,
) -> None:
    sheet.refresh_from_db()
    sheet_services.sheet_save(
        sheet=sheet, layer=layer, entries=entries, version=sheet.version, by=by, on_behalf=on_behalf
    )


def _user(username: str) -> User | None:
    return User.objects.filter(username=username).first()


def _focal(code: str) -> User | None:
    """The demo focal point of a unit of Khối tham mưu III."""
    return _user({"SLDTBXH": "thuky", "BQN": "daumoi"}.get(code, f"daumoi.{code.lower()}"))


def _unit_leaves(criteria_set: CriteriaSet) -> dict[str, int]:
    return dict(criteria_set.criteria.values_list("code", "id"))


UNIT_LEAVES = [
    code
    for code, *_rest in CRITERIA
    if code in LEAVES and next(c for c in CRITERIA if c[0] == code)[6] == C.ScoredBy.UNIT
]
BLOC_LEAVES = [code for code in LEAVES if code not in UNIT_LEAVES]


def _score_2020(bloc_year: BlocYear, criteria_set: CriteriaSet) -> None:
    ids = _unit_leaves(criteria_set)
    secretary, deputy_staff, admin = _user("daumoi.syt"), _user("daumoi.sgddt"), _user("quantri")
    for code, values in VERIFIED_2020.items():
        sheet = _sheet(bloc_year, code)
        if sheet.state != ScoreSheet.State.DRAFT:
            continue
        self_values = list(values)
        for leaf, (value, target, _reason) in SELF_2020.get(code, {}).items():
            self_values[LEAVES.index(leaf)] = (value, target)
        _save(sheet, Layer.SELF, _entries(self_values, ids, UNIT_LEAVES), _focal(code))
        transitions.sheet_submit(sheet=sheet, by=_focal(code))
        # The head (Sở Y tế) never verifies itself: its deputy (Sở GD-ĐT) does.
        verifier = deputy_staff if code == "SYT" else secretary
        verified = _entries(values, ids, LEAVES)
        for leaf, (_value, _target, reason) in SELF_2020.get(code, {}).items():
            verified[ids[leaf]] = LineEntry(
                verified[ids[leaf]].value,
                verified[ids[leaf]].target,
                reason or "Theo hồ sơ minh chứng.",
            )
        council_lines = {ids["VII.2"]: verified.pop(ids["VII.2"])}
        _save(sheet, Layer.VERIFIED, verified, verifier)
        _save(sheet, Layer.VERIFIED, council_lines, admin)
        transitions.sheet_mark_verified(sheet=sheet, by=verifier)


EXAMPLE_2019 = (
    Path(__file__).resolve().parent.parent / "docs" / "examples" / "khoi-tham-muu-iii-2019.xlsx"
)


def _import_2019(bloc: Bloc) -> None:
    """2019 comes in through the workbook contract, from the example file kept in docs/."""
    if BlocYear.objects.filter(bloc=bloc, year=2019).exists():
        return
    result = import_bloc_year(
        EXAMPLE_2019.read_bytes(),
        filename=EXAMPLE_2019.name,
        choice=CouncilChoice(code=bloc.council.code),
        by=_user("quantri"),
    )
    bloc_year = result.bloc_year
    secretary = _user("daumoi.svhttdl")
    ranking_services.bloc_year_finalize(bloc_year=bloc_year, by=secretary)
    ranking_services.publish_provisional(
        bloc_year=bloc_year, by=secretary, days=5, today=datetime.date(2020, 1, 13)
    )
    ranking_services.publish_final(
        bloc_year=bloc_year, by=secretary, today=datetime.date(2020, 1, 20)
    )


def _publish_2020(bloc_year: BlocYear) -> None:
    """Finalize, publish for complaints, then publish for good, on the dates of early 2021."""
    if RankingSnapshot.objects.filter(bloc_year=bloc_year).exists():
        return
    shares = (
        ("SGDDT", "72.50"),
        ("SYT", "68.00"),
        ("BQN", "41.20"),
        ("DPTTH", "38.50"),
        ("STTTT", "35.00"),
    )
    for code, share in shares:
        Membership.objects.filter(bloc_year=bloc_year, unit__code=code).update(women_share=D(share))
    secretary = _user("daumoi.syt")
    snapshot = ranking_services.bloc_year_finalize(bloc_year=bloc_year, by=secretary)
    ranking_services.publish_provisional(
        bloc_year=bloc_year, by=secretary, days=5, today=datetime.date(2021, 2, 22)
    )
    ranking_services.publish_final(
        bloc_year=bloc_year, by=secretary, today=datetime.date(2021, 3, 1)
    )
    tz = timezone.get_default_timezone()
    RankingSnapshot.objects.filter(pk=snapshot.pk).update(
        created_at=datetime.datetime(2021, 2, 19, 16, 30, tzinfo=tz)
    )
    Publication.objects.filter(bloc_year=bloc_year).update(
        provisional_at=datetime.datetime(2021, 2, 22, 9, 0, tzinfo=tz),
        final_at=datetime.datetime(2021, 3, 1, 8, 0, tzinfo=tz),
    )


def _score_2021(bloc_year: BlocYear, criteria_set: CriteriaSet) -> None:
    ids = _unit_leaves(criteria_set)
    thuky, deputy_staff = _user("thuky"), _user("daumoi.dptth")
    base = VERIFIED_2020
    # Sở LĐ-TB&XH (head): submitted, waiting for the deputy to verify it.
    sheet = _sheet(bloc_year, "SLDTBXH")
    if sheet.state == ScoreSheet.State.DRAFT:
        _save(sheet, Layer.SELF, _entries(base["SLDTBXH"], ids, UNIT_LEAVES), thuky)
        transitions.sheet_submit(sheet=sheet, by=thuky)
    # Đài PT-TH: verified by the head's secretariat.
    sheet = _sheet(bloc_year, "DPTTH")
    if sheet.state == ScoreSheet.State.DRAFT:
        _save(sheet, Layer.SELF, _entries(base["DPTTH"], ids, UNIT_LEAVES), deputy_staff)
        transitions.sheet_submit(sheet=sheet, by=deputy_staff)
        sheet.refresh_from_db()
        sheet_services.sheet_accept_self(sheet=sheet, version=sheet.version, by=thuky)
        _save(sheet, Layer.VERIFIED, _entries(base["DPTTH"], ids, BLOC_LEAVES[:-1]), thuky)
        _save(sheet, Layer.VERIFIED, {ids["VII.2"]: LineEntry(D(0))}, _user("quantri"))
        transitions.sheet_mark_verified(sheet=sheet, by=thuky)
    # Sở Y tế: returned for explanation on I.1.
    sheet = _sheet(bloc_year, "SYT")
    if sheet.state == ScoreSheet.State.DRAFT:
        syt = _user("daumoi.syt")
        _save(sheet, Layer.SELF, _entries(base["SYT"], ids, UNIT_LEAVES), syt)
        transitions.sheet_submit(sheet=sheet, by=syt)
        transitions.sheet_return_for_explanation(
            sheet=sheet,
            questions={
                ids[
                    "I.1"
                ]: "Đề nghị gửi báo cáo kết quả 19/20 nhiệm vụ; nhiệm vụ nào chưa hoàn thành và lý do?"
            },
            by=thuky,
        )
    # Sở GD-ĐT: submitted; one line not applicable, one line verified lower with a reason.
    sheet = _sheet(bloc_year, "SGDDT")
    if sheet.state == ScoreSheet.State.DRAFT:
        gd = _user("daumoi.sgddt")
        sheet_services.line_set_not_applicable(
            line=sheet.lines.get(criterion_id=ids["I.3.b"]),
            not_applicable=True,
            reason="Trong năm đơn vị không có đơn khiếu nại, tố cáo thuộc thẩm quyền giải quyết.",
            by=thuky,
        )
        entries = _entries(base["SGDDT"], ids, UNIT_LEAVES)
        entries.pop(ids["I.3.b"])
        _save(sheet, Layer.SELF, entries, gd)
        transitions.sheet_submit(sheet=sheet, by=gd)
        _save(
            sheet,
            Layer.VERIFIED,
            {ids["III.3"]: LineEntry(D("4"), None, "Chỉ có 1 mô hình được UBND tỉnh công nhận.")},
            thuky,
        )
    # Sở TT-TT and Báo Quảng Nam: drafts, partly filled.
    for code, count in (("STTTT", 9), ("BQN", 6)):
        sheet = _sheet(bloc_year, code)
        if (
            sheet.state == ScoreSheet.State.DRAFT
            and not sheet.lines.filter(self_value__isnull=False).exists()
        ):
            _save(sheet, Layer.SELF, _entries(base[code], ids, UNIT_LEAVES[:count]), _focal(code))
    # Sở VH-TT&DL: entered by the secretariat from the unit's paper sheet, not yet submitted.
    sheet = _sheet(bloc_year, "SVHTTDL")
    if sheet.state == ScoreSheet.State.DRAFT and not sheet.entered_on_behalf:
        _save(sheet, Layer.SELF, _entries(base["SVHTTDL"], ids, UNIT_LEAVES), thuky, on_behalf=True)


@transaction.atomic
def load_scoring() -> None:
    tm3 = Bloc.objects.get(council__code="QNA", code="TM3")
    tm1 = Bloc.objects.get(council__code="QNA", code="TM1")
    admin = _user("quantri")
    by_2020 = BlocYear.objects.get(bloc=tm3, year=2020)
    set_2020 = _criteria_set(
        bloc_year=by_2020,
        council_id=tm3.council_id,
        year=2020,
        name="Bảng tiêu chí chấm điểm thi đua Khối tham mưu III năm 2020",
        by=admin,
    )
    if not ScoringSeason.objects.filter(bloc_year=by_2020).exists():
        sheet_services.scoring_open(
            bloc_year=by_2020, criteria_set=set_2020, by=_user("daumoi.syt")
        )
    _import_2019(tm3)
    _score_2020(by_2020, set_2020)
    _publish_2020(by_2020)

    by_2021 = BlocYear.objects.get(bloc=tm3, year=2021)
    set_2021 = CriteriaSet.objects.filter(
        bloc_year=by_2021
    ).first() or criteria_services.criteria_set_clone(
        source=set_2020, year=2021, bloc_year=by_2021, by=_user("thuky")
    )
    if not ScoringSeason.objects.filter(bloc_year=by_2021).exists():
        sheet_services.scoring_open(bloc_year=by_2021, criteria_set=set_2021, by=_user("thuky"))
    _score_2021(by_2021, set_2021)

    # Khối tham mưu I uses the council's shared set of 2021; every sheet still a draft.
    tm1_2021 = BlocYear.objects.get(bloc=tm1, year=2021)
    shared = _criteria_set(
        bloc_year=None,
        council_id=tm1.council_id,
        year=2021,
        name="Bảng tiêu chí chung của các khối thi đua năm 2021",
        by=admin,
    )
    if not ScoringSeason.objects.filter(bloc_year=tm1_2021).exists():
        sheet_services.scoring_open(bloc_year=tm1_2021, criteria_set=shared, by=admin)

    # Đà Nẵng 2026, after the reorganisation: scoring open, nothing entered yet.
    vhxh = BlocYear.objects.get(bloc__council__code="DNG", bloc__code="VHXH", year=2026)
    set_2026 = _criteria_set(
        bloc_year=vhxh,
        council_id=vhxh.bloc.council_id,
        year=2026,
        name="Bảng tiêu chí chấm điểm thi đua Khối văn hóa - xã hội năm 2026",
        by=admin,
    )
    if not ScoringSeason.objects.filter(bloc_year=vhxh).exists():
        sheet_services.scoring_open(bloc_year=vhxh, criteria_set=set_2026, by=admin)
    _deadlines(admin)


def _deadlines(admin: User | None) -> None:
    """Stage deadlines: 2021's of Khối tham mưu I and II long past (late units on the 2021
    dashboard); Đà Nẵng's current year counted from the day the demo is loaded, so a deadline is
    always a few days ahead. Khối tham mưu III 2021 has none, so its walkthrough stays open."""
    D = datetime.date
    past = (D(2021, 12, 15), D(2021, 12, 31), D(2022, 1, 15))
    today = timezone.localdate()
    year = 2026
    if D(year, 1, 1) <= today <= D(year + 1, 11, 30):
        current = (
            today + datetime.timedelta(3),
            today + datetime.timedelta(14),
            today + datetime.timedelta(30),
        )
    else:
        current = (D(year, 12, 15), D(year, 12, 31), D(year + 1, 1, 15))
    plan = [
        (BlocYear.objects.get(bloc__council__code="QNA", bloc__code="TM1", year=2021), past),
        (BlocYear.objects.get(bloc__council__code="QNA", bloc__code="TM2", year=2021), past),
        (BlocYear.objects.get(bloc__council__code="DNG", bloc__code="VHXH", year=year), current),
    ]
    for bloc_year, (self_due, verification_due, proposals_due) in plan:
        if bloc_year.self_assessment_due is None:
            deadlines.deadlines_set(
                bloc_year=bloc_year,
                by=admin,
                self_assessment_due=self_due,
                verification_due=verification_due,
                proposals_due=proposals_due,
            )


def totals_2020() -> dict[str, Decimal]:
    """Verified totals of 2020 by unit code (used by tests of the demo)."""
    from scoring.selectors import line_scores

    bloc_year = BlocYear.objects.get(bloc__council__code="QNA", bloc__code="TM3", year=2020)
    result = {}
    for sheet in ScoreSheet.objects.filter(bloc_year=bloc_year).select_related("unit"):
        lines = list(sheet.lines.select_related("criterion"))
        totals = rules.sheet_totals(line_scores(lines, Layer.VERIFIED), D("5"))
        result[sheet.unit.code] = totals.total
    return result
