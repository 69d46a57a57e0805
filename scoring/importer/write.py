"""Writing a read workbook into the database: checks against what exists, then one transaction.

The bloc-year ends in the state "scoring" with every sheet verified, exactly as if the
secretariat had entered and verified every sheet: it is finalized the normal way afterwards.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection
from dataclasses import dataclass

from django.core.files.storage import Storage
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from blocs import services as bloc_services
from blocs.audit import audit_entry, audit_record, audit_record_many
from blocs.models import Bloc, BlocYear, Council, Membership, Unit, User
from common.db.bulk import update_rows
from scoring import rules, totals
from scoring.importer.contract import (
    COUNCIL_CODE,
    INFO,
    UNITS,
    YEAR,
    ImportFailed,
    Problem,
    WorkbookData,
)
from scoring.importer.result import ImportResult
from scoring.importer.scorers import scorer_problems, scorer_units
from scoring.importer.write_bands import write_bands_only
from scoring.importer.write_mixed import drop_band_member_sheets, freeze_with_published
from scoring.models import (
    Complaint,
    CriteriaSet,
    Criterion,
    Evidence,
    PeerAssessment,
    Publication,
    RankingRules,
    RankingSnapshot,
    ScoreLine,
    ScoreSheet,
    ScoringSeason,
)
from scoring.rows import RankingRow
from scoring.selectors.ranking import ranking_input
from scoring.services import criteria as criteria_services
from scoring.services import sheets as sheet_services
from scoring.services.ranking import FINALIZED_STATES

VERIFIED_REASON = "Nhập từ tệp Excel"


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
    if council is not None or not problems:  # else the council is unknown: so are its units
        problems.extend(scorer_problems(data, council))
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
        # The council was read above; checking it exists again would cost a query per unit.
        unit.full_clean(exclude=["council"], validate_unique=False, validate_constraints=False)
    Unit.objects.bulk_create(new)
    units = {unit.code: unit for unit in Unit.objects.filter(council=council, code__in=codes)}
    return units, [unit.code for unit in new]


def _memberships(bloc: Bloc, data: WorkbookData, units: dict[str, Unit]) -> tuple[BlocYear, bool]:
    """The bloc-year with exactly the workbook's members, head and deputy (replacing any)."""
    assert data.year is not None
    members = [units[row.code] for row in data.units]
    head = units[data.head] if data.head else None  # a past year may leave them out
    deputy = units[data.deputy] if data.deputy else None
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
        roles = {data.head: Membership.Role.HEAD, data.deputy: Membership.Role.DEPUTY}
        Membership.objects.bulk_create(
            Membership(
                bloc_year=bloc_year,
                unit=unit,
                year=data.year,
                role=roles.get(unit.code, Membership.Role.MEMBER),
            )
            for unit in members
        )
    shares = {row.code: row.women_share for row in data.units}
    memberships = list(Membership.objects.filter(bloc_year=bloc_year).select_related("unit"))
    for membership in memberships:
        membership.women_share = shares[membership.unit.code]
    Membership.objects.bulk_update(memberships, ["women_share"])
    return bloc_year, replaced


def _criteria(
    council: Council,
    bloc_year: BlocYear,
    data: WorkbookData,
    by: User | None,
    scorers: dict[str, Unit],
) -> CriteriaSet:
    """The workbook's criteria as a new set, written one tree level at a time (three queries
    for a three-level tree, whatever its size). The tree's sums are checked when scoring opens."""
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
    saved: dict[str, Criterion] = {}
    levels = sorted({row.code.count(".") for row in data.criteria})
    for level in levels:
        batch = []
        for row in data.criteria:
            if row.code.count(".") != level:
                continue
            assert row.max_points is not None
            parent_code = rules.parent_code_of(row.code)
            criterion = Criterion(
                criteria_set=criteria_set,
                parent=saved[parent_code] if parent_code is not None else None,
                code=row.code,
                title=row.title.strip(),
                max_points=row.max_points,
                kind=row.kind,
                **row.method_fields,
                scored_by=row.scored_by,
                scorer_unit=scorers.get(row.scorer),
                order=row.order,
            )
            # Field checks only: the reading already refused duplicate codes and orphans, the
            # scorers were checked with the database, and the set and the parents were saved
            # just above (checking they exist would cost a query per criterion).
            criterion.full_clean(
                exclude=["criteria_set", "parent", "scorer_unit"],
                validate_unique=False,
                validate_constraints=False,
            )
            batch.append(criterion)
        for criterion in Criterion.objects.bulk_create(batch):
            saved[criterion.code] = criterion
    audit_record(
        actor=by,
        bloc_year=bloc_year,
        context=f"criteria-set:{criteria_set.pk}",
        action="criterion.import",
        summary=ngettext(
            "Nhập %(count)s tiêu chí từ tệp Excel",
            "Nhập %(count)s tiêu chí từ tệp Excel",
            len(saved),
        )
        % {"count": len(saved)},
    )
    return criteria_set


def _scores(
    bloc_year: BlocYear, criteria_set: CriteriaSet, data: WorkbookData, by: User | None
) -> None:
    """Self points and verified points of every line, then every sheet submitted and verified,
    written in bulk: a constant number of queries whatever the bloc's size. A past year being
    recorded is not people at work, so there is no per-line trail and nobody is notified; one
    audit entry per sheet says where its points came from."""
    criteria = {c.pk: c for c in Criterion.objects.filter(criteria_set=criteria_set).order_by()}
    own = data.self_points if data.self_points is not None else data.verified
    sheets = {
        sheet.pk: sheet
        for sheet in ScoreSheet.objects.filter(bloc_year=bloc_year)
        .select_related("unit")
        .order_by()
    }
    lines = list(ScoreLine.objects.filter(sheet__bloc_year=bloc_year).order_by())
    for line in lines:
        code = sheets[line.sheet_id].unit.code
        criterion = criteria[line.criterion_id]
        line.self_value = own[code][criterion.code]
        line.verified_value = data.verified[code][criterion.code]
        line.verified_reason = VERIFIED_REASON
        if criterion.method == rules.TIER:  # the workbook has its points, not what was measured
            line.self_points, line.self_value = line.self_value, None
            line.verified_points, line.verified_value = line.verified_value, None
            continue
        line.self_points, line.verified_points = (
            rules.line_points(
                method=criterion.method,
                max_points=criterion.max_points,
                entry=rules.MethodInput(value, None),
                per_occurrence=criterion.points_per_occurrence,
            )
            for value in (line.self_value, line.verified_value)
        )
    # The sheets' rows are held since ``scoring_open`` (scoring/locks.py): lines, then totals.
    update_rows(
        lines, ["self_value", "self_points", "verified_value", "verified_points", "verified_reason"]
    )
    totals.refresh(sheets)
    now = timezone.now()
    ScoreSheet.objects.filter(bloc_year=bloc_year).update(
        state=ScoreSheet.State.VERIFIED,
        submitted_at=now,
        submitted_by=by,
        verified_at=now,
        verified_by=by,
        version=F("version") + 1,
    )
    audit_record_many(
        audit_entry(
            actor=by,
            bloc_year=bloc_year,
            context=sheet.audit_context,
            action="sheet.import",
            summary=_("Điểm tự chấm và điểm thẩm định nhập từ tệp Excel"),
        )
        for sheet in sheets.values()
    )


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
    published: list[RankingRow] = []
    if data.bands_only:  # a past year published with ranks and bands only
        published = write_bands_only(bloc_year, data, units, by)
    else:
        criteria_set = _criteria(council, bloc_year, data, by, scorer_units(council, data, units))
        sheet_services.scoring_open(bloc_year=bloc_year, criteria_set=criteria_set, by=by)
        drop_band_member_sheets(bloc_year, data, units)
        _scores(bloc_year, criteria_set, data, by)
        if data.band_members:  # frozen as published (write_mixed)
            published = freeze_with_published(bloc_year, data, units, by)
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
            "bands_only": data.bands_only,
            "band_members": sorted(data.band_members),
        },
    )
    if remove_files is not None:
        transaction.on_commit(remove_files)
    bloc_year.refresh_from_db()
    published_ids = {row.unit_id for row in published}
    return ImportResult(
        bloc_year=bloc_year,
        ranking=[]
        if data.bands_only
        else [r for r in ranking_input(bloc_year).rank() if r.unit_id not in published_ids],
        published=published,
        mixed=not data.bands_only and bool(published),
        replaced=replaced,
        council_created=council_created,
        units_created=created_units,
        leadership_missing=data.leadership_missing,
    )
