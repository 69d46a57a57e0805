"""Every pair of writers of one score sheet, at once, on PostgreSQL (issue 14).

Writers of a sheet take the sheet's row before its lines' rows, and the bloc-year's sheets in
pk order when they take several (docs/scoring.md, "No lost update"). Each pair of writers
(a writer with itself too; one test per writer, against itself and each writer after it in
``WRITERS``) races for eight rounds: two threads, each with its own connection, each write a
transaction of its own, released together by a barrier. Each writer reads what its page had
open in the main thread before the race (the sheet and its version, a line), then writes in
its thread.

A refusal is a correct outcome (``SheetConflict``, ``ColumnConflict``, ``StateError``,
``ValidationError``); a deadlock or any other exception is not. After every round: the kept
totals equal a fresh computation (tests/conftest.py), and what the locks protect holds: a
verified sheet has every applicable line verified, a sheet returned for explanation has an
open question, a line has at most one draft question and at most
``EVIDENCE_MAX_FILES_PER_LINE`` files.

Rounds start from five states in turn: sent (no verified value), ready to be marked verified
(every line verified as the unit scored it), sent with a draft question on I.1, ready with
I.2 one file short of the limit, and a draft the unit (or the secretariat on its behalf) is
filling, where files are added and the grid saves the self-assessment. Adding a writer is one
function and one entry in ``WRITERS``. The first writer is not one of the sheet's: a correction
of the criteria behind it (the bonus cap, a maximum), which refreshes the kept totals of every
sheet scored with the set.
"""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from decimal import Decimal

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, connections, transaction
from django.db.models import Count, F
from django.utils import timezone

from scoring import totals
from scoring.models import Evidence, ExplanationRequest, ScoreLine, ScoreSheet
from scoring.services import columns, evidence, transitions
from scoring.services import criteria as criteria_services
from scoring.services import sheets as services
from scoring.services.sheets import SELF, VERIFIED, LineEntry
from tests.conftest import World, build_criteria_set, check_kept_totals

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]
D = Decimal
ROUNDS = 8
REFUSALS = {"SheetConflict", "ColumnConflict", "StateError", "ValidationError"}
SENT, READY, SENT_WITH_QUESTION, READY_FILES_FULL, DRAFT = range(5)


@dataclass
class Scene:
    """The bloc-year of the world with scoring open; the focal point's unit sent its sheet."""

    world: World
    sheet_id: int
    codes: dict[str, int]  # criterion code → id
    round: int = 0

    @property
    def start(self) -> int:
        return self.round % 5

    def sheet(self) -> ScoreSheet:
        return ScoreSheet.objects.select_related("bloc_year__scoring__criteria_set", "unit").get(
            pk=self.sheet_id
        )

    def line(self, code: str) -> ScoreLine:
        return ScoreLine.objects.select_related("criterion", "sheet__bloc_year").get(
            sheet_id=self.sheet_id, criterion_id=self.codes[code]
        )

    def reset(self, round_: int) -> None:
        """Put the sheet in this round's starting state (sent, as the unit scored it)."""
        self.round = round_
        Evidence.objects.filter(line__sheet_id=self.sheet_id).delete()
        ExplanationRequest.objects.filter(line__sheet_id=self.sheet_id).delete()
        ScoreLine.objects.filter(sheet_id=self.sheet_id).update(
            verified_value=None,
            verified_target=None,
            verified_points=None,
            verified_reason="",
            council_adjustment=None,
            council_reason="",
            not_applicable=False,
            not_applicable_reason="",
        )
        ScoreSheet.objects.filter(pk=self.sheet_id).update(
            state=ScoreSheet.State.DRAFT if self.start == DRAFT else ScoreSheet.State.SUBMITTED,
            submitted_at=timezone.now(),  # the not-applicable marks of earlier rounds came before
            verified_at=None,
            verified_by=None,
            version=F("version") + 1,
        )
        totals.refresh([self.sheet_id])  # the lines were emptied above, as a writer would
        if self.start in (READY, READY_FILES_FULL):
            sheet = self.sheet()
            services.sheet_accept_self(sheet=sheet, version=sheet.version, by=None)
        if self.start == SENT_WITH_QUESTION:
            services.explanation_drafts_save(
                sheet=self.sheet(), questions={self.codes["I.1"]: "Câu hỏi nháp"}, by=None
            )
        if self.start == READY_FILES_FULL:
            line = self.line("I.2")
            Evidence.objects.bulk_create(
                Evidence(
                    line=line,
                    original_name=f"{number}.pdf",
                    content_type="application/pdf",
                    size=1,
                    file=f"evidence/{number}.pdf",
                )
                for number in range(settings.EVIDENCE_MAX_FILES_PER_LINE - 1)
            )


Action = Callable[[], object]


# ---------------------------------------------------------------------------- the writers
# Each reads what its page had open (main thread) and returns the write (run in a thread).


def grid_save(scene: Scene) -> Action:
    """The secretariat's verified column from the sheet page, with a question on I.1 in the
    grid on the rounds that start sent (blank, taking the draft back, when there is one). Ready
    rounds lower I.1 to nothing and, every other time, empty I.2."""
    sheet = scene.sheet()
    lines = services.sheet_lines(sheet)
    codes = scene.codes
    if scene.start == DRAFT:
        # The unit's own column while it drafts (the page an evidence upload races with).
        self_entries = {codes["I.1"]: LineEntry(D(4), None, f"Ghi chú lần {scene.round}")}
        return lambda: services.sheet_page_save(
            sheet=sheet, layer=SELF, entries=self_entries, version=sheet.version, by=None
        )
    if scene.start in (SENT, SENT_WITH_QUESTION):
        entries = {
            criterion_id: LineEntry(line.self_value, line.self_target, "")
            for criterion_id, line in lines.items()
        }
        entries[codes["I.1"]] = LineEntry(D(5), None, "Thiếu hồ sơ")
        # A question typed, or the draft kept from before taken back (a blank question).
        typed = "" if scene.start == SENT_WITH_QUESTION else f"Hỏi lần {scene.round}"
        questions = {codes["I.1"]: typed}
    else:
        entries = {codes["I.1"]: LineEntry(D(0), None, "Không có hồ sơ")}
        if scene.start == READY_FILES_FULL:
            entries[codes["I.2"]] = LineEntry(None, None, "")
        questions = None
    return lambda: services.sheet_page_save(
        sheet=sheet,
        layer=VERIFIED,
        entries=entries,
        version=sheet.version,
        by=None,
        lines=lines,
        questions=questions,
    )


def evidence_upload(scene: Scene) -> Action:
    line = scene.line("I.2")

    def upload() -> object:
        pdf = SimpleUploadedFile("bien-ban.pdf", b"%PDF-1.4 minh chung", "application/pdf")
        return evidence.evidence_add(line=line, upload=pdf, by=None)

    return upload


def council_adjustment(scene: Scene) -> Action:
    """Half a point more while I.1 has no verified points, half a point less once it has."""
    line = scene.line("I.1")
    amount = D("0.5") if line.verified_points is None else D("-0.5")
    return lambda: services.line_council_adjust(
        line=line, amount=amount, reason="Kiểm tra của Hội đồng", by=None
    )


def not_applicable(scene: Scene) -> Action:
    line = scene.line("I.2")
    return lambda: services.line_set_not_applicable(
        line=line, not_applicable=True, reason="Không giao chỉ tiêu", by=None
    )


def accept_self(scene: Scene) -> Action:
    sheet = scene.sheet()
    return lambda: services.sheet_accept_self(sheet=sheet, version=sheet.version, by=None)


def draft_questions(scene: Scene) -> Action:
    sheet = scene.sheet()
    questions = {scene.codes["I.1"]: f"Vì sao lần {scene.round}?"}
    return lambda: services.explanation_drafts_save(sheet=sheet, questions=questions, by=None)


def column_save(scene: Scene) -> Action:
    """I.1 for the member and the deputy at once, from the criterion's column page."""
    bloc_year = scene.world.bloc_year
    criterion = scene.line("I.1").criterion
    versions = dict(ScoreSheet.objects.filter(bloc_year=bloc_year).values_list("pk", "version"))
    deputy = ScoreSheet.objects.get(bloc_year=bloc_year, unit=scene.world.deputy)
    entries = {
        scene.sheet_id: LineEntry(D(4) + D("0.5") * (scene.round % 2), None, "Thiếu minh chứng"),
        deputy.pk: LineEntry(D(3 + scene.round % 2)),
    }
    return lambda: columns.criterion_column_save(
        bloc_year=bloc_year, criterion=criterion, entries=entries, versions=versions, by=None
    )


def recall(scene: Scene) -> Action:
    sheet = scene.sheet()
    return lambda: transitions.sheet_recall(sheet=sheet, by=None)


def mark_verified(scene: Scene) -> Action:
    sheet = scene.sheet()
    return lambda: transitions.sheet_mark_verified(sheet=sheet, by=None)


def return_for_explanation(scene: Scene) -> Action:
    """A question on I.1 typed, kept and sent at once (over the kept draft, when there is one)."""
    sheet = scene.sheet()
    questions = {scene.codes["I.1"]: f"Giải trình lần {scene.round}"}
    return lambda: transitions.sheet_return_for_explanation(
        sheet=sheet, questions=questions, by=None
    )


def send_questions(scene: Scene) -> Action:
    """The questions kept on the sheet sent as they are (refused when there is none)."""
    sheet = scene.sheet()
    return lambda: transitions.sheet_return_for_explanation(sheet=sheet, by=None)


def criteria_correction(scene: Scene) -> Action:
    """The council admin, the set reopened for correction, changes its bonus cap (2 or 3 by
    round) and saves I.1's maximum again: the criteria's rows, then every sheet scored with
    the set in pk order, then their totals (scoring/locks.py)."""
    criteria_set = scene.world.bloc_year.scoring.criteria_set
    leaf = criteria_set.criteria.get(code="I.1")

    @transaction.atomic
    def correct() -> object:
        criteria_services.criteria_set_unfreeze(
            criteria_set=criteria_set, reason="Sửa sai", by=None
        )
        criteria_services.criteria_set_update(
            criteria_set=criteria_set,
            by=None,
            name=criteria_set.name,
            bonus_cap=D(2 + scene.round % 2),
            step=criteria_set.step,
        )
        return criteria_services.criterion_save(
            criteria_set=criteria_set,
            criterion=leaf,
            by=None,
            code=leaf.code,
            title=leaf.title,
            max_points=leaf.max_points,
            kind=leaf.kind,
            method=leaf.method,
            scored_by=leaf.scored_by,
        )

    return correct


WRITERS: dict[str, Callable[[Scene], Action]] = {
    # First: raced against every writer of the sheet after it.
    "criteria": criteria_correction,
    "grid-save": grid_save,
    "evidence": evidence_upload,
    "council": council_adjustment,
    "not-applicable": not_applicable,
    "accept-self": accept_self,
    "draft-questions": draft_questions,
    "column-save": column_save,
    "recall": recall,
    "mark-verified": mark_verified,
    "return": return_for_explanation,
    "send-questions": send_questions,
}


# ---------------------------------------------------------------------------- the race


@dataclass
class Outcome:
    name: str  # "ok" or the exception's class name
    detail: str = ""


def attempt(barrier: threading.Barrier, action: Action) -> Outcome:
    barrier.wait()
    try:
        action()
    except Exception as error:  # the outcome is the point of the test
        if type(error).__name__ not in REFUSALS:
            connections.close_all()  # a connection a failure may have left unusable
        return Outcome(type(error).__name__, f"{type(error).__name__}: {error}")
    return Outcome("ok")


class Racers:
    """Two threads, each with its own connection, kept from round to round (a new connection
    per write doubled the time of a round); every write is a transaction of its own."""

    def __enter__(self) -> Racers:
        self.pool = ThreadPoolExecutor(max_workers=2)
        return self

    def race(self, first: Action, second: Action) -> list[Outcome]:
        """Both writes released together: each blocks on the barrier until the other thread
        has taken its own, so they never run one after the other in one thread."""
        barrier = threading.Barrier(2, timeout=60)
        futures = [self.pool.submit(attempt, barrier, action) for action in (first, second)]
        return [future.result(timeout=120) for future in futures]

    def __exit__(self, *exc_info: object) -> None:
        self.race(connections.close_all, connections.close_all)
        self.pool.shutdown()


def broken_rules(sheet_id: int) -> list[str]:
    """What the locks keep true of one sheet, said where it is not."""
    found = []
    sheet = ScoreSheet.objects.get(pk=sheet_id)
    if sheet.state == ScoreSheet.State.VERIFIED and sheet.verified_missing:
        found.append(f"verified with {sheet.verified_missing} line(s) not verified")
    questions = ExplanationRequest.objects.filter(line__sheet_id=sheet_id)
    if sheet.state == ScoreSheet.State.RETURNED and not questions.filter(
        status=ExplanationRequest.Status.OPEN
    ):
        found.append("returned for explanation without an open question")
    drafts = (
        questions.filter(status=ExplanationRequest.Status.DRAFT)
        .values("line__criterion__code")
        .annotate(count=Count("pk"))
        .filter(count__gt=1)
    )
    found.extend(
        f"{row['line__criterion__code']}: {row['count']} draft questions" for row in drafts
    )
    files = (
        Evidence.objects.filter(line__sheet_id=sheet_id)
        .values("line__criterion__code")
        .annotate(count=Count("pk"))
        .filter(count__gt=settings.EVIDENCE_MAX_FILES_PER_LINE)
    )
    found.extend(f"{row['line__criterion__code']}: {row['count']} files" for row in files)
    return found


@pytest.fixture
def scene(transactional_db: None, request: pytest.FixtureRequest) -> Scene:
    if connection.vendor != "postgresql":
        pytest.skip("concurrent transactions need PostgreSQL; SQLite serialises writers")
    world: World = request.getfixturevalue("world")
    criteria_set = build_criteria_set(world.council, 2020, world.bloc_year)
    services.scoring_open(bloc_year=world.bloc_year, criteria_set=criteria_set, by=None)
    codes = dict(criteria_set.criteria.values_list("code", "id"))
    sheet = ScoreSheet.objects.select_related("bloc_year__scoring__criteria_set").get(
        bloc_year=world.bloc_year, unit=world.member
    )
    services.sheet_save(
        sheet=sheet,
        layer=services.SELF,
        entries={
            codes["I.1"]: LineEntry(D("5.5"), None, "Đủ hồ sơ"),
            codes["I.2"]: LineEntry(D(9), D(10)),
            codes["II.1"]: LineEntry(D(1)),
            codes["III.1"]: LineEntry(D(0)),
        },
        version=sheet.version,
        by=None,
    )
    transitions.sheet_submit(sheet=sheet, by=None)
    return Scene(world=world, sheet_id=sheet.pk, codes=codes)


@pytest.mark.parametrize("first", list(WRITERS))
def test_two_writers_of_one_sheet_at_once_queue_and_keep_the_totals(
    scene: Scene, first: str
) -> None:
    """``first`` against itself and each writer after it in ``WRITERS`` (each pair once)."""
    names = list(WRITERS)
    failures = []
    with Racers() as racers:
        for second in names[names.index(first) :]:
            outcomes: Counter[str] = Counter()
            for round_ in range(ROUNDS):
                scene.reset(round_)
                actions = (WRITERS[first](scene), WRITERS[second](scene))
                for outcome in racers.race(*actions):
                    outcomes[outcome.name] += 1
                    if outcome.name not in REFUSALS | {"ok"}:
                        failures.append(f"{first} + {second}, round {round_}: {outcome.detail}")
                check_kept_totals()
                failures.extend(
                    f"{first} + {second}, round {round_}: {rule}"
                    for rule in broken_rules(scene.sheet_id)
                )
            print(f"{first} + {second}: {dict(outcomes)}")
            if not outcomes["ok"]:
                failures.append(f"{first} + {second}: no write went through in {ROUNDS} rounds")
    assert not failures, "\n".join(failures)
