"""Shared fixtures: a small bloc world and the personas of docs/testing.md."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from hypothesis import settings as hypothesis_settings

from accounts import twofactor
from awards.models import Ballot, Decision, Proposal, UnitYearFacts
from blocs import services
from blocs.models import Bloc, BlocYear, Council, Unit, User
from scoring.models import (
    Complaint,
    CriteriaSet,
    Criterion,
    Evidence,
    ExplanationRequest,
    RankingSnapshot,
    ScoreSheet,
)
from scoring.services import transitions
from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS, _missing
from tests.factories import (
    AwardTypeFactory,
    BallotFactory,
    BallotResultFactory,
    BlocFactory,
    CouncilFactory,
    DecisionFactory,
    ProposalFactory,
    UnitFactory,
    UnitYearFactsFactory,
)

# Property tests have no per-example deadline: one example's time says nothing about a rule,
# and on a busy machine Hypothesis' 200 ms default failed a ranking property that is correct.
hypothesis_settings.register_profile("thidua", deadline=None)
hypothesis_settings.load_profile("thidua")

# Playwright's sync API runs an event loop in the test thread; Django must allow ORM calls there.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(autouse=True)
def _force_login_passes_the_second_step(monkeypatch: pytest.MonkeyPatch) -> None:
    """``client.force_login(person)`` gives a session that has passed two-factor sign-in, as
    if the code had been typed (docs/testing.md): the hundreds of tests that sign a council
    admin or a leader in this way are about their pages, not about signing in. The sign-in
    itself is tested through the login page, without ``force_login`` (tests/accounts/)."""
    original = Client.force_login

    def force_login(self: Client, user: Any, backend: str | None = None) -> None:
        original(self, user, backend)
        session = self.session
        twofactor.mark_session_verified(session)
        session.save()

    monkeypatch.setattr(Client, "force_login", force_login)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item: pytest.Item) -> Iterator[None]:
    """After every test that passed with the database: the totals kept on each score sheet
    equal a fresh computation from its lines (scoring/totals.py), whatever path wrote them; a
    writer that forgot ``totals.refresh`` fails here."""
    result = yield
    if item.get_closest_marker("django_db") or {"db", "transactional_db"} & set(
        getattr(item, "fixturenames", ())
    ):
        check_kept_totals()
    return result


def check_kept_totals() -> None:
    """Every writer of lines refreshes the totals itself (scoring/totals.py): one that forgets
    leaves a stale total, caught here by the test that ran it."""
    from scoring import totals

    stale = totals.stale(ScoreSheet.objects.all())
    assert not stale, f"totals kept on sheets differ from their lines (kept, fresh): {stale}"
    # …and so do the ranking parts kept beside them (scoring/parts.py), the self column included.
    parts = totals.stale_parts(ScoreSheet.objects.all())
    assert not parts, f"ranking parts kept on sheets differ from their lines: sheets {parts}"


@dataclass
class World:
    """One council, a bloc with a 2020 year, and a unit of another bloc."""

    council: Council
    bloc: Bloc
    bloc_year: BlocYear
    head: Unit
    deputy: Unit
    member: Unit
    other_bloc: Bloc
    outsider_unit: Unit
    admin_unit: Unit


@pytest.fixture
def world(db: None) -> World:
    council = CouncilFactory.create(
        code="QNA", name="Hội đồng Thi đua - Khen thưởng tỉnh Quảng Nam", province="Quảng Nam"
    )
    head = UnitFactory.create(council=council, code="SYT", name="Sở Y tế")
    deputy = UnitFactory.create(council=council, code="SGDDT", name="Sở Giáo dục và Đào tạo")
    member = UnitFactory.create(council=council, code="BQN", name="Báo Quảng Nam")
    outsider_unit = UnitFactory.create(council=council, code="STP", name="Sở Tư pháp")
    admin_unit = UnitFactory.create(council=council, code="SNV", name="Sở Nội vụ")
    bloc = BlocFactory.create(council=council, code="TM3", name="Khối thi đua tham mưu III")
    other_bloc = BlocFactory.create(council=council, code="TM1", name="Khối thi đua tham mưu I")
    bloc_year = services.bloc_year_create(
        bloc=bloc, year=2020, members=[head, deputy, member], head=head, deputy=deputy
    )
    services.bloc_year_create(bloc=other_bloc, year=2020, members=[outsider_unit, admin_unit])
    return World(
        council, bloc, bloc_year, head, deputy, member, other_bloc, outsider_unit, admin_unit
    )


def _person(username: str, unit: Unit, role: str) -> User:
    return services.user_create(
        username=username, password="mat-khau-thu-nghiem", unit=unit, role=role, full_name=username
    )


@pytest.fixture
def council_admin(world: World) -> User:
    return _person("quantri", world.admin_unit, User.Role.COUNCIL_ADMIN)


@pytest.fixture
def secretariat(world: World) -> User:
    """A focal point of the head unit: the bloc secretariat of 2020."""
    return _person("thuky", world.head, User.Role.FOCAL_POINT)


@pytest.fixture
def focal_point(world: World) -> User:
    """A focal point of an ordinary member unit."""
    return _person("daumoi", world.member, User.Role.FOCAL_POINT)


@pytest.fixture
def outsider(world: World) -> User:
    """A focal point of a unit that is not a member of the bloc."""
    return _person("ngoaikhoi", world.outsider_unit, User.Role.FOCAL_POINT)


@pytest.fixture
def leader(world: World) -> User:
    return _person("lanhdao", world.admin_unit, User.Role.LEADER)


PERSONAS = ["anonymous", "council_admin", "secretariat", "focal_point", "outsider", "leader"]


@pytest.fixture
def personas(
    council_admin: User, secretariat: User, focal_point: User, outsider: User, leader: User
) -> dict[str, User | None]:
    return {
        "anonymous": None,
        "council_admin": council_admin,
        "secretariat": secretariat,
        "focal_point": focal_point,
        "outsider": outsider,
        "leader": leader,
    }


def client_for(user: User | None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


@dataclass
class ScoringWorld:
    """The world with scoring open in 2020: a draft sheet (the focal point's unit), a submitted
    sheet (the deputy's) with an answered explanation, evidence, and a draft criteria set.
    The other bloc scores by peer scoring."""

    world: World
    criteria_set: CriteriaSet
    leaf: Criterion
    draft_sheet: ScoreSheet
    submitted_sheet: ScoreSheet
    explanation: ExplanationRequest
    evidence: Evidence
    draft_set: CriteriaSet
    draft_criterion: Criterion
    peer_bloc_year: BlocYear

    def __getattr__(self, name: str) -> Any:
        return getattr(self.world, name)


def build_criteria_set(
    council: Council, year: int, bloc_year: BlocYear | None = None, by: User | None = None
) -> CriteriaSet:
    """I (I.1 direct 6, I.2 target 4) + II bonus (II.1 per occurrence) + III penalty."""
    from decimal import Decimal

    from scoring.models import Criterion
    from scoring.services import criteria as criteria_services

    criteria_set = criteria_services.criteria_set_create(
        council=council,
        year=year,
        name=f"Bảng tiêu chí {year}",
        by=by,
        bloc_year=bloc_year,
        bonus_cap=Decimal(2),
    )
    for code, title, max_points, kind, method, ppo in [
        ("I", "Nhiệm vụ chuyên môn", "10", "standard", "direct", None),
        ("I.1", "Hoàn thành kế hoạch công tác", "6", "standard", "direct", None),
        ("I.2", "Chỉ tiêu được giao", "4", "standard", "target", None),
        ("II", "Điểm thưởng", "3", "bonus", "direct", None),
        ("II.1", "Bằng khen trong năm", "3", "bonus", "per_occurrence", "1.5"),
        ("III", "Điểm trừ", "2", "penalty", "direct", None),
        ("III.1", "Chậm báo cáo", "2", "penalty", "per_occurrence", "1"),
    ]:
        criteria_services.criterion_save(
            criteria_set=criteria_set,
            by=by,
            code=code,
            title=title,
            max_points=Decimal(max_points),
            kind=kind,
            method=method,
            points_per_occurrence=Decimal(ppo) if ppo else None,
        )
    assert Criterion.objects.filter(criteria_set=criteria_set).count() == 7
    return criteria_set


@pytest.fixture
def scoring_world(world: World, secretariat: User, focal_point: User) -> ScoringWorld:
    from decimal import Decimal

    from django.core.files.uploadedfile import SimpleUploadedFile

    from scoring.models import ScoringSeason
    from scoring.services import evidence as evidence_services
    from scoring.services import sheets as sheet_services
    from scoring.services.sheets import SELF, LineEntry

    criteria_set = build_criteria_set(world.council, 2020, world.bloc_year)
    sheet_services.scoring_open(
        bloc_year=world.bloc_year, criteria_set=criteria_set, by=secretariat
    )
    leaf = criteria_set.criteria.get(code="I.1")
    draft = ScoreSheet.objects.get(bloc_year=world.bloc_year, unit=world.member)
    submitted = ScoreSheet.objects.get(bloc_year=world.bloc_year, unit=world.deputy)
    ids = dict(criteria_set.criteria.values_list("code", "id"))
    sheet_services.sheet_save(
        sheet=submitted,
        layer=SELF,
        entries={
            ids["I.1"]: LineEntry(Decimal("5.5")),
            ids["I.2"]: LineEntry(Decimal(9), Decimal(10)),
            ids["II.1"]: LineEntry(Decimal(1)),
            ids["III.1"]: LineEntry(Decimal(0)),
        },
        version=submitted.version,
        by=None,
    )
    transitions.sheet_submit(sheet=submitted, by=None)
    transitions.sheet_return_for_explanation(
        sheet=submitted, questions={ids["I.1"]: "Vì sao?"}, by=secretariat
    )
    explanation = submitted.lines.get(criterion_id=ids["I.1"]).explanations.get()
    transitions.sheet_answer_explanations(
        sheet=submitted, answers={explanation.pk: "Vì đã làm."}, by=None
    )
    evidence = evidence_services.evidence_add(
        line=draft.lines.get(criterion=leaf),
        upload=SimpleUploadedFile(
            "bien-ban.pdf", b"%PDF-1.4 minh chung", content_type="application/pdf"
        ),
        by=focal_point,
    )
    draft_set = build_criteria_set(world.council, 2021)
    peer_bloc_year = BlocYear.objects.get(bloc=world.other_bloc, year=2020)
    peer_set = build_criteria_set(world.council, 2020, peer_bloc_year)
    sheet_services.scoring_open(
        bloc_year=peer_bloc_year, criteria_set=peer_set, by=None, mode=ScoringSeason.Mode.PEER
    )
    return ScoringWorld(
        world=world,
        criteria_set=criteria_set,
        leaf=leaf,
        draft_sheet=draft,
        submitted_sheet=submitted,
        explanation=explanation,
        evidence=evidence,
        draft_set=draft_set,
        draft_criterion=draft_set.criteria.get(code="I.1"),
        peer_bloc_year=peer_bloc_year,
    )


def verified_year(bloc: Bloc, year: int, units: list[Unit], *, by: User | None = None) -> BlocYear:
    """A bloc-year whose every sheet is filled, submitted and verified (ready to finalize).

    Points differ by unit: the first unit gets the most. Uses the set of ``build_criteria_set``.
    """
    from decimal import Decimal

    from scoring.services import sheets as sheet_services
    from scoring.services.sheets import SELF, LineEntry

    bloc_year = services.bloc_year_create(
        bloc=bloc, year=year, members=units, head=units[0], deputy=units[1]
    )
    criteria_set = build_criteria_set(bloc.council, year, bloc_year)
    sheet_services.scoring_open(bloc_year=bloc_year, criteria_set=criteria_set, by=by)
    ids = dict(criteria_set.criteria.values_list("code", "id"))
    for index, unit in enumerate(units):
        sheet = ScoreSheet.objects.select_related("bloc_year__scoring__criteria_set").get(
            bloc_year=bloc_year, unit=unit
        )
        entries = {
            ids["I.1"]: LineEntry(Decimal(6) - Decimal("0.5") * (index % 12)),
            ids["I.2"]: LineEntry(Decimal(10 - index % 11), Decimal(10)),
            ids["II.1"]: LineEntry(Decimal(1)),
            ids["III.1"]: LineEntry(Decimal(index % 2)),
        }
        sheet_services.sheet_save(sheet=sheet, layer=SELF, entries=entries, version=1, by=by)
        transitions.sheet_submit(sheet=sheet, by=by)
        sheet_services.sheet_accept_self(sheet=sheet, version=sheet.version, by=by)
        transitions.sheet_mark_verified(sheet=sheet, by=by)
    return bloc_year


@dataclass
class RankingWorld(ScoringWorld):
    """The scoring world plus 2019 of the same bloc: finalized, provisionally published to
    the members, with an open complaint by the focal point's unit."""

    provisional_year: BlocYear = None  # type: ignore[assignment]
    complaint: Complaint = None  # type: ignore[assignment]
    snapshot: RankingSnapshot = None  # type: ignore[assignment]


@pytest.fixture
def ranking_world(scoring_world: ScoringWorld, focal_point: User) -> RankingWorld:
    from scoring.services import ranking as ranking_services

    w = scoring_world
    year = verified_year(w.bloc, 2019, [w.head, w.deputy, w.member])
    snapshot = ranking_services.bloc_year_finalize(bloc_year=year, by=None)
    ranking_services.publish_provisional(bloc_year=year, by=None)
    complaint = ranking_services.complaint_lodge(
        bloc_year=year,
        unit=w.member,
        about_unit=w.deputy,
        criteria=list(year.scoring.criteria_set.criteria.filter(code="I.1")),
        text="Điểm I.1 của Sở Giáo dục cao hơn thực tế.",
        by=focal_point,
    )
    fields = {name: getattr(w, name) for name in ScoringWorld.__dataclass_fields__}
    return RankingWorld(**fields, provisional_year=year, complaint=complaint, snapshot=snapshot)


@dataclass
class AwardsWorld(RankingWorld):
    """The ranking world with 2019 published for good, its ballot, the members' staff figures,
    a submitted Government-flag proposal for the head, a draft provincial-flag proposal for the
    focal point's unit, and a recorded decision with its PDF."""

    ballot: Ballot = None  # type: ignore[assignment]
    submitted_proposal: Proposal = None  # type: ignore[assignment]
    draft_proposal: Proposal = None  # type: ignore[assignment]
    decision: Decision = None  # type: ignore[assignment]
    facts: UnitYearFacts = None  # type: ignore[assignment]


@pytest.fixture
def awards_world(ranking_world: RankingWorld, secretariat: User) -> AwardsWorld:
    import datetime

    from django.utils import timezone

    from scoring.services import ranking as ranking_services

    w = ranking_world
    year = w.provisional_year
    ranking_services.complaint_answer(
        complaint=w.complaint, accepted=False, answer="Đúng quy định.", by=None
    )
    ranking_services.publish_final(
        bloc_year=year, by=None, today=timezone.localdate() + datetime.timedelta(days=30)
    )
    gov_flag = AwardTypeFactory.create(code="GOV_FLAG")  # the seeded awards of the 2003 law
    prov_flag = AwardTypeFactory.create(code="PROV_FLAG")
    ballot = BallotFactory.create(
        bloc_year=year, held_on=datetime.date(2020, 1, 15), members_total=3, recorded_by=secretariat
    )
    BallotResultFactory.create(ballot=ballot, award_type=gov_flag, unit=w.head, votes_for=3)
    BallotResultFactory.create(ballot=ballot, award_type=prov_flag, unit=w.member, votes_for=2)
    facts = UnitYearFactsFactory.create(unit=w.member, year=2019, advanced_workers=24)
    submitted = ProposalFactory.create(
        bloc_year=year,
        unit=w.head,
        award_type=gov_flag,
        status=Proposal.Status.SUBMITTED,
        summary="Dẫn đầu khối năm 2019.",
        rank=1,
        votes_for=3,
        submitted_at=timezone.now(),
        created_by=secretariat,
    )
    draft = ProposalFactory.create(
        bloc_year=year,
        unit=w.member,
        award_type=prov_flag,
        rank=2,
        votes_for=2,
        created_by=secretariat,
    )
    decision = DecisionFactory.create(
        council=w.council,
        number="123/QĐ-UBND",
        date=datetime.date(2020, 3, 1),
        signer_title="",
        with_pdf=True,
    )
    fields = {name: getattr(w, name) for name in RankingWorld.__dataclass_fields__}
    return AwardsWorld(
        **fields,
        ballot=ballot,
        submitted_proposal=submitted,
        draft_proposal=draft,
        decision=decision,
        facts=facts,
    )


# ---------------------------------------------------------------------------- the browser
# One Chromium for the whole run, here at the root so that every folder with browser tests
# (tests/browser, tests/security) shares it: Playwright's synchronous API allows only one
# running instance per process, and a fixture defined in two folders' conftests is two fixtures.


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    if not (Path(CHROMIUM).exists() or shutil.which(CHROMIUM)):
        _missing(f"Chromium is not installed at {CHROMIUM} (apt-get install chromium)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _missing("Playwright for Python is not installed (pip install -e '.[dev]')")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser: Any, live_server: Any, transactional_db: None) -> Iterator[Any]:
    context = browser.new_context(locale="vi-VN", viewport={"width": 1366, "height": 768})
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.base_url = live_server.url
    yield page
    context.close()
