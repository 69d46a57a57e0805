"""Writing a read workbook into the database: checks against what exists, then one transaction.

The bloc-year ends in the state "scoring" with every sheet verified, exactly as if the
secretariat had entered and verified every sheet: it is finalized the normal way afterwards.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection
from dataclasses import dataclass, field

from django.core.files.storage import Storage
from django.db import transaction
from django.utils.translation import gettext as _

from blocs import services as bloc_services
from blocs.audit import audit_record
from blocs.models import Bloc, BlocYear, Council, Membership, Unit, User
from scoring import rules
from scoring.importer.contract import (
    COUNCIL_CODE,
    INFO,
    UNITS,
    YEAR,
    ImportFailed,
    Problem,
    WorkbookData,
)
from scoring.models import (
    Complaint,
    CriteriaSet,
    Criterion,
    Evidence,
    PeerAssessment,
    Publication,
    RankingRules,
    RankingSnapshot,
    ScoreSheet,
    ScoringSeason,
)
from scoring.ranking import Ranked
from scoring.selectors.ranking import ranking_input
from scoring.services import criteria as criteria_services
from scoring.services import sheets as sheet_services
from scoring.services.ranking import FINALIZED_STATES
from scoring.services.sheets import SELF, VERIFIED, LineEntry

VERIFIED_REASON = "Nhập từ tệp Excel"


@dataclass
class ImportResult:
    bloc_year: BlocYear
    ranking: list[Ranked]
    replaced: bool = False  # the bloc-year existed and its scoring data was replaced
    council_created: bool = False
    units_created: list[str] = field(default_factory=list)


@dataclass
class CouncilChoice:
    """Which council an import may use: ``code`` chosen by the person (``--council`` or the
    page's chooser), and the councils they may import into (None: any, and may create one)."""

    code: str | None = None
    allowed_ids: Collection[int] | None = None


def province_of(council_name: str) -> str:
    """``Hội đồng Thi đua - Khen thưởng tỉnh Quảng Nam`` → ``Quảng Nam``."""
    found = re.search(r"(?:^|\s)(?:tỉnh|thành phố|tp\.?)\s+(.+)$", council_name, re.IGNORECASE)
    province = found.group(1).strip() if found else council_name.strip()
    return province[:100]


# ---------------------------------------------------------------------------- checks


def _info_problem(data: WorkbookData, key: str, reason: str, value: str = "") -> Problem:
    row = data.info_rows.get(key)
    return Problem(reason, data.title(INFO), row, "B" if row else "", value)


def _council(data: WorkbookData, choice: CouncilChoice) -> tuple[Council | None, list[Problem]]:
    """The council the bloc-year belongs to, or why it cannot be told (None: to be created)."""
    allowed = choice.allowed_ids
    if data.council_code:
        code = data.council_code
        if choice.code and choice.code != code:
            return None, [
                _info_problem(
                    data,
                    COUNCIL_CODE,
                    _("tệp ghi hội đồng này nhưng đã chọn hội đồng “%(chosen)s”.")
                    % {"chosen": choice.code},
                    code,
                )
            ]
        council = Council.objects.filter(code=code).first()
        if council is None:
            if allowed is not None:
                return None, [
                    _info_problem(
                        data, COUNCIL_CODE, _("không có hội đồng nào bạn quản lý có mã này."), code
                    )
                ]
            if not data.council_name:
                return None, [
                    _info_problem(
                        data,
                        COUNCIL_CODE,
                        _("chưa có hội đồng mã này; thêm mục “Tên hội đồng” để tạo mới."),
                        code,
                    )
                ]
            return None, []
        if allowed is not None and council.pk not in allowed:
            return None, [
                _info_problem(data, COUNCIL_CODE, _("bạn không quản lý hội đồng này."), code)
            ]
        return council, []
    if choice.code:
        council = Council.objects.filter(code=choice.code).first()
        if council is None or (allowed is not None and council.pk not in allowed):
            return None, [Problem(_("Không có hội đồng mã “%(code)s”.") % {"code": choice.code})]
        return council, []
    candidates = Council.objects.order_by("code")
    if allowed is not None:
        candidates = candidates.filter(pk__in=list(allowed))
    councils = list(candidates[:10])
    if len(councils) == 1:
        return councils[0], []
    if not councils:
        return None, [
            Problem(
                _("Chưa có hội đồng nào: ghi “Mã hội đồng” và “Tên hội đồng” ở trang “%(sheet)s”.")
                % {"sheet": data.title(INFO)}
            )
        ]
    return None, [
        Problem(
            _(
                "Không rõ nhập vào hội đồng nào (%(codes)s): ghi “Mã hội đồng” ở trang "
                "“%(sheet)s” hoặc chọn hội đồng (--council MÃ)."
            )
            % {"codes": ", ".join(council.code for council in councils), "sheet": data.title(INFO)}
        )
    ]


def database_problems(
    data: WorkbookData, choice: CouncilChoice
) -> tuple[Council | None, list[Problem]]:
    """What the database refuses: the council, a unit already in another bloc that year, a
    bloc-year already finalized. Reads only; checks what the data allows when it is partial."""
    council, problems = _council(data, choice)
    if council is None or not data.bloc_code or data.year is None:
        return council, problems
    bloc_year = (
        BlocYear.objects.filter(bloc__council=council, bloc__code=data.bloc_code, year=data.year)
        .select_related("bloc")
        .first()
    )
    if bloc_year is not None and bloc_year.state in FINALIZED_STATES:
        problems.append(
            _info_problem(
                data,
                YEAR,
                _(
                    "%(bloc)s năm %(year)s đã chốt kết quả (bước “%(state)s”): không thay thế "
                    "được bằng tệp nhập; điều chỉnh sau khi chốt ở trang xếp hạng."
                )
                % {
                    "bloc": bloc_year.bloc.name,
                    "year": data.year,
                    "state": bloc_year.get_state_display(),
                },
                str(data.year),
            )
        )
    rows = {row.code: row for row in data.units}
    others = (
        Membership.objects.filter(unit__council=council, unit__code__in=list(rows), year=data.year)
        .exclude(bloc_year=bloc_year)
        .select_related("unit", "bloc_year__bloc")
        .order_by("unit__code")
    )
    for membership in others:
        row = rows[membership.unit.code]
        problems.append(
            Problem(
                _("đơn vị đã là thành viên của %(bloc)s năm %(year)s.")
                % {"bloc": membership.bloc_year.bloc.name, "year": data.year},
                data.title(UNITS),
                row.row,
                row.column,
                row.code,
            )
        )
    return council, problems


# ---------------------------------------------------------------------------- writing


def _clear_scoring(bloc_year: BlocYear) -> Callable[[], None]:
    """Delete a bloc-year's scoring data (sheets, lines, season, its own criteria sets, its own
    ranking rules). Returns what removes the evidence files, to run once the transaction commits."""
    field_storage: Storage = Evidence._meta.get_field("file").storage
    names = [
        name
        for name in Evidence.objects.filter(line__sheet__bloc_year=bloc_year).values_list(
            "file", flat=True
        )
        if name
    ]
    Complaint.objects.filter(bloc_year=bloc_year).delete()
    ScoreSheet.objects.filter(bloc_year=bloc_year).delete()  # lines, explanations, evidence
    PeerAssessment.objects.filter(bloc_year=bloc_year).delete()
    ScoringSeason.objects.filter(bloc_year=bloc_year).delete()
    RankingSnapshot.objects.filter(bloc_year=bloc_year).delete()
    Publication.objects.filter(bloc_year=bloc_year).delete()
    RankingRules.objects.filter(bloc_year=bloc_year).delete()
    # A set of its own that another bloc-year still scores with stays (it is protected).
    CriteriaSet.objects.filter(bloc_year=bloc_year, seasons__isnull=True).delete()

    def remove_files() -> None:
        for name in names:
            field_storage.delete(name)

    return remove_files


def _units(council: Council, data: WorkbookData) -> tuple[dict[str, Unit], list[str]]:
    codes = [row.code for row in data.units]
    existing = set(
        Unit.objects.filter(council=council, code__in=codes).values_list("code", flat=True)
    )
    new = [
        Unit(council=council, code=row.code, name=row.name, kind=Unit.Kind.DEPARTMENT)
        for row in data.units
        if row.code not in existing
    ]
    for unit in new:
        unit.full_clean(validate_unique=False, validate_constraints=False)
    Unit.objects.bulk_create(new)
    units = {unit.code: unit for unit in Unit.objects.filter(council=council, code__in=codes)}
    return units, [unit.code for unit in new]


def _memberships(bloc: Bloc, data: WorkbookData, units: dict[str, Unit]) -> tuple[BlocYear, bool]:
    """The bloc-year with exactly the workbook's members, head and deputy (replacing any)."""
    assert data.year is not None
    members = [units[row.code] for row in data.units]
    head, deputy = units[data.head], units[data.deputy]
    bloc_year = BlocYear.objects.select_for_update().filter(bloc=bloc, year=data.year).first()
    replaced = bloc_year is not None
    if bloc_year is None:
        bloc_year = bloc_services.bloc_year_create(
            bloc=bloc, year=data.year, members=members, head=head, deputy=deputy
        )
    else:
        if bloc_year.state in FINALIZED_STATES:  # finalized since the checks ran
            raise ImportFailed([Problem(_("Năm thi đua vừa được chốt kết quả; không nhập được."))])
        Membership.objects.filter(bloc_year=bloc_year).delete()
        Membership.objects.bulk_create(
            Membership(bloc_year=bloc_year, unit=unit, year=data.year) for unit in members
        )
        bloc_services.bloc_year_set_leadership(bloc_year=bloc_year, head=head, deputy=deputy)
    shares = {row.code: row.women_share for row in data.units}
    memberships = list(Membership.objects.filter(bloc_year=bloc_year).select_related("unit"))
    for membership in memberships:
        membership.women_share = shares[membership.unit.code]
    Membership.objects.bulk_update(memberships, ["women_share"])
    return bloc_year, replaced


def _criteria(
    council: Council, bloc_year: BlocYear, data: WorkbookData, by: User | None
) -> CriteriaSet:
    assert data.year is not None
    criteria_set = criteria_services.criteria_set_create(
        council=council,
        year=data.year,
        name=_("Bảng tiêu chí %(bloc)s năm %(year)s (nhập từ tệp Excel)")
        % {"bloc": data.bloc_name, "year": data.year},
        by=by,
        bloc_year=bloc_year,
        bonus_cap=data.bonus_cap,
        # Past years' points are entered as they were recorded, to the hundredth (4,87).
        step=rules.CENT,
    )
    # Parents before their children; each keeps the place of its row.
    for row in sorted(data.criteria, key=lambda item: item.code.count(".")):
        assert row.max_points is not None
        criteria_services.criterion_save(
            criteria_set=criteria_set,
            by=by,
            code=row.code,
            title=row.title,
            max_points=row.max_points,
            kind=row.kind,
            method=Criterion.Method.DIRECT,
            scored_by=Criterion.ScoredBy.UNIT,
            order=row.order,
        )
    return criteria_set


def _scores(
    bloc_year: BlocYear, criteria_set: CriteriaSet, data: WorkbookData, by: User | None
) -> None:
    """Self points, submission, verified points, verification: every sheet ends verified."""
    ids = dict(Criterion.objects.filter(criteria_set=criteria_set).values_list("code", "id"))
    own = data.self_points if data.self_points is not None else data.verified
    sheets = ScoreSheet.objects.filter(bloc_year=bloc_year).select_related(
        "unit", "bloc_year__scoring__criteria_set"
    )
    for sheet in sheets:
        code = sheet.unit.code
        lines = sheet_services.sheet_lines(sheet)
        sheet_services.sheet_save(
            sheet=sheet,
            layer=SELF,
            entries={ids[leaf]: LineEntry(value) for leaf, value in own[code].items()},
            version=sheet.version,
            by=by,
            lines=lines,
        )
        sheet_services.sheet_submit(sheet=sheet, by=by)
        sheet_services.sheet_save(
            sheet=sheet,
            layer=VERIFIED,
            entries={
                ids[leaf]: LineEntry(value, None, VERIFIED_REASON)
                for leaf, value in data.verified[code].items()
            },
            version=sheet.version,
            by=by,
            lines=lines,
        )
        sheet_services.sheet_mark_verified(sheet=sheet, by=by)


@transaction.atomic
def bloc_year_import(
    *, data: WorkbookData, choice: CouncilChoice, by: User | None, filename: str
) -> ImportResult:
    """Create or replace one bloc-year from a read workbook, then rank it.

    ``data`` must come from a reading without problems. The database is checked again inside
    the transaction; any problem raises ``ImportFailed`` and nothing is written.
    """
    council, problems = database_problems(data, choice)
    if problems:
        raise ImportFailed(problems)
    council_created = council is None
    if council is None:
        council = Council(
            code=data.council_code,
            name=data.council_name,
            province=province_of(data.council_name),
        )
        council.full_clean()
        council.save()
    units, created_units = _units(council, data)
    bloc, bloc_created = Bloc.objects.get_or_create(
        council=council, code=data.bloc_code, defaults={"name": data.bloc_name}
    )
    if not bloc_created and bloc.name != data.bloc_name:
        bloc.name = data.bloc_name
        bloc.save(update_fields=["name"])
    bloc_year, replaced = _memberships(bloc, data, units)
    remove_files = _clear_scoring(bloc_year) if replaced else None
    criteria_set = _criteria(council, bloc_year, data, by)
    sheet_services.scoring_open(bloc_year=bloc_year, criteria_set=criteria_set, by=by)
    _scores(bloc_year, criteria_set, data, by)
    audit_record(
        actor=by,
        bloc_year=bloc_year,
        context=f"import:{bloc_year.pk}",
        action="bloc_year.import",
        summary=(
            _("Thay dữ liệu năm thi đua bằng tệp Excel “%(file)s”")
            if replaced
            else _("Nhập năm thi đua từ tệp Excel “%(file)s”")
        )
        % {"file": filename},
        changes={
            "units": len(data.units),
            "criteria": len(data.criteria),
            "units_created": created_units,
            "council_created": council_created,
            "self_sheet": data.self_points is not None,
        },
    )
    if remove_files is not None:
        transaction.on_commit(remove_files)
    bloc_year.refresh_from_db()
    return ImportResult(
        bloc_year=bloc_year,
        ranking=ranking_input(bloc_year).rank(),
        replaced=replaced,
        council_created=council_created,
        units_created=created_units,
    )
