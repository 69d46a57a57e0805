"""Fuzzing the score grid: whatever is typed into the cells, the page never fails.

Either every cell is saved exactly as read, or nothing is written and the page names each line
that was refused (``I.1: …``) at the top.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.urls import reverse
from hypothesis import event, given
from hypothesis import strategies as st

from blocs.models import AuditEntry, User
from common.text import printable
from scoring import rules
from scoring.models import ScoreLine, ScoreSheet
from tests.conftest import client_for
from tests.security.fuzz import FUZZ, has_error_summary, long_text, rolled_back, typed


def _sheet_state(sheet: ScoreSheet) -> tuple[Any, ...]:
    lines = tuple(
        ScoreLine.objects.filter(sheet=sheet)
        .order_by("criterion_id")
        .values_list("criterion_id", "self_value", "self_target", "self_points", "note")
    )
    version = ScoreSheet.objects.values_list("version", flat=True).get(pk=sheet.pk)
    return lines, version, AuditEntry.objects.count()


# What a careful person types in each cell of the test criteria set (tests/conftest.py):
# I.1 direct (max 6), I.2 target (result and target), II.1 and III.1 counts.
_NOTES = st.sampled_from(["", "Đã hoàn thành.", "Theo báo cáo số 12/BC-SYT."])
PLAUSIBLE = {
    ("v", "I.1"): st.sampled_from(["", "0", "4", "5,5", "6"]),
    ("t", "I.1"): st.just(""),
    ("v", "I.2"): st.sampled_from(["", "3", "9,5", "12"]),
    ("t", "I.2"): st.sampled_from(["10", "4"]),
    ("v", "II.1"): st.sampled_from(["", "0", "1", "2"]),
    ("t", "II.1"): st.just(""),
    ("v", "III.1"): st.sampled_from(["", "0", "1"]),
    ("t", "III.1"): st.just(""),
    **{("x", code): _NOTES for code in ("I.1", "I.2", "II.1", "III.1")},
}


def _parsed(text: str) -> tuple[bool, Decimal | None]:
    try:
        return True, rules.parse_amount(text.strip())
    except rules.InputError:
        return False, None


@FUZZ
@given(data=st.data())
def test_the_score_grid_saves_all_or_nothing_whatever_is_typed(
    scoring_world: Any, focal_point: User, data: st.DataObject
) -> None:
    sheet = scoring_world.draft_sheet
    client = client_for(focal_point)
    url = reverse("scoring:sheet", args=[sheet.pk])
    editable = {
        line.criterion_id: line.criterion.code
        for line in ScoreLine.objects.filter(sheet=sheet, criterion__scored_by="unit")
        .exclude(criterion__children__isnull=False)
        .select_related("criterion")
    }
    cells = [f"{kind}-{criterion_id}" for criterion_id in editable for kind in "vtx"]
    # Some cells hostile, the others what a person would type: a single bad cell among good
    # ones is where a partial write would show.
    hostile = data.draw(st.sets(st.sampled_from(cells)), label="hostile cells")
    with rolled_back():
        before = _sheet_state(sheet)
        posted: dict[str, str] = {"version": str(before[1])}
        for criterion_id, code in editable.items():
            for kind in "vtx":
                name = f"{kind}-{criterion_id}"
                if name in hostile:
                    strategy = long_text if kind == "x" else typed
                else:
                    strategy = PLAUSIBLE[kind, code]
                posted[name] = data.draw(strategy, label=name)
        response = client.post(url, posted)
        # What the views see: control characters are dropped where text enters.
        posted = {name: printable(value) for name, value in posted.items()}
        assert response.status_code in (200, 302), response.status_code
        event(f"status {response.status_code}")
        after = _sheet_state(sheet)
        if response.status_code == 302:
            stored = {row[0]: row for row in after[0]}
            for criterion_id in editable:
                ok, value = _parsed(posted[f"v-{criterion_id}"])
                assert ok
                assert stored[criterion_id][1] == value
                assert stored[criterion_id][4] == posted[f"x-{criterion_id}"].strip()
            return
        page = response.content.decode()
        assert after == before, "a refused save wrote something"
        assert has_error_summary(page)
        for criterion_id, code in editable.items():
            ok, _value = _parsed(posted[f"v-{criterion_id}"])
            if not ok:
                assert f"{code}: " in page, (code, posted[f"v-{criterion_id}"])


def _post_line(scoring_world: Any, user: User, code: str, **cells: str) -> Any:
    sheet = scoring_world.draft_sheet
    criterion_id = scoring_world.criteria_set.criteria.get(code=code).pk
    version = ScoreSheet.objects.values_list("version", flat=True).get(pk=sheet.pk)
    posted = {"version": str(version)} | {
        f"{kind}-{criterion_id}": value for kind, value in cells.items()
    }
    return client_for(user).post(reverse("scoring:sheet", args=[sheet.pk]), posted)


def test_a_nul_character_in_a_note_never_reaches_the_database(
    scoring_world: Any, focal_point: User
) -> None:
    """Dropped where text enters (common.text); the rest of the note is kept."""
    response = _post_line(scoring_world, focal_point, "I.1", v="5", x="Đã làm\x00 xong")
    assert response.status_code == 302
    # Read back in Python: SQLite's LIKE stops at a NUL, so a database filter would match all.
    notes = list(ScoreLine.objects.values_list("note", flat=True))
    assert not any("\x00" in note for note in notes)
    assert "Đã làm xong" in notes


def test_a_result_with_more_decimals_than_the_sheet_keeps_is_refused(
    scoring_world: Any, focal_point: User
) -> None:
    response = _post_line(scoring_world, focal_point, "I.2", v="3,333", t="10")
    assert response.status_code == 200
    assert "I.2: " in response.content.decode()
