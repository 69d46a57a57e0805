"""Fuzzing the two workbook uploads: the bloc-year import and a sheet's own workbook.

Whatever the file holds (random cells, formulas, huge or negative numbers, renamed sheets, a
broken or foreign zip, random bytes), the page answers with the workbook written in full or with
the problems listed (sheet, cell, value) and nothing written; never a server error.
"""

from __future__ import annotations

import datetime
import io
import zipfile
from typing import Any

import openpyxl
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import resolve, reverse
from hypothesis import event, given
from hypothesis import strategies as st
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from blocs.models import BlocYear, User
from scoring.models import ScoreLine, ScoreSheet
from tests.conftest import client_for
from tests.scoring.test_import import build_workbook, counts, valid_sheets
from tests.security.fuzz import FUZZ, SPECIAL, has_error_summary, rolled_back, typed

UNREADABLE = "Không đọc được tệp"

cell_values = st.one_of(
    st.none(),
    typed.map(lambda text: ILLEGAL_CHARACTERS_RE.sub("", text)),
    st.integers(min_value=-(10**20), max_value=10**20),
    st.floats(allow_nan=True, allow_infinity=True),
    st.booleans(),
    st.sampled_from(["=1+1", "=A1", "=SUM(B2:B9)", "=1/0", '=HYPERLINK("http://x","y")']),
    st.dates(min_value=datetime.date(1900, 3, 1), max_value=datetime.date(2100, 1, 1)),
)


def _mutated_sheets(data: st.DataObject) -> dict[str, list[list[Any]]]:
    sheets = valid_sheets()
    for _ in range(data.draw(st.integers(min_value=1, max_value=4), label="changes")):
        title = data.draw(st.sampled_from(sorted(sheets)), label="sheet")
        rows = sheets[title]
        row = data.draw(st.integers(min_value=0, max_value=len(rows)), label="row")
        if row == len(rows):
            rows.append([])
        column = data.draw(st.integers(min_value=0, max_value=6), label="column")
        while len(rows[row]) <= column:
            rows[row].append(None)
        rows[row][column] = data.draw(cell_values, label=f"{title}!{row},{column}")
    if data.draw(st.booleans(), label="rename a sheet"):
        title = data.draw(st.sampled_from(sorted(sheets)), label="renamed")
        name = data.draw(
            st.text(
                alphabet=st.characters(
                    blacklist_characters="[]:*?/\\'", blacklist_categories=["Cc", "Cs"]
                ),
                min_size=1,
                max_size=31,
            ),
            label="new name",
        )
        if name not in sheets:
            sheets[name] = sheets.pop(title)
    return sheets


def _broken_file(valid: bytes) -> st.SearchStrategy[bytes]:
    def foreign_zip(members: dict[str, bytes]) -> bytes:
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w") as archive:
            for name, content in members.items():
                archive.writestr(name, content)
        return buffer.getvalue()

    member_names = st.sampled_from(
        ["[Content_Types].xml", "xl/workbook.xml", "xl/worksheets/sheet1.xml", "word/document.xml"]
    )
    return st.one_of(
        st.binary(max_size=4000),
        # A fraction, not a length: the workbook's size changes with the time it was written.
        st.floats(min_value=0, max_value=1, exclude_max=True).map(
            lambda share: valid[: int(len(valid) * share)]
        ),
        st.binary(min_size=1, max_size=200).map(lambda junk: valid + junk),
        st.dictionaries(member_names, st.binary(max_size=300), max_size=4).map(foreign_zip),
        st.just(b"<html><body>not a workbook</body></html>"),
        st.just(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(500)),  # an old .xls
    )


def _upload(client: Any, url: str, content: bytes, **fields: str) -> Any:
    return client.post(url, {"file": SimpleUploadedFile("nam-2019.xlsx", content), **fields})


# ---------------------------------------------------------------- the bloc-year import


@FUZZ
@given(data=st.data())
def test_the_bloc_year_import_writes_all_or_lists_the_problems(
    world: Any, council_admin: User, data: st.DataObject
) -> None:
    client = client_for(council_admin)
    try:
        content = build_workbook(_mutated_sheets(data))
    except (ValueError, TypeError) as error:  # openpyxl cannot even write it: nothing to upload
        event(f"unwritable: {type(error).__name__}")
        return
    with rolled_back():
        before = counts()
        response = _upload(client, reverse("scoring:import"), content, council="QNA")
        event(f"status {response.status_code}")
        assert response.status_code in (200, 302), response.status_code
        if response.status_code == 302:
            match = resolve(response["Location"])
            assert match.url_name == "bloc-year"
            assert BlocYear.objects.filter(
                bloc_id=match.kwargs["bloc_id"], year=match.kwargs["year"]
            ).exists()
            return
        page = response.content.decode()
        assert counts() == before, "a refused import wrote something"
        assert has_error_summary(page)
        assert "chưa có gì được ghi" in page
        assert UNREADABLE in page or "<td>" in page  # the problems table: sheet, cell, value


@FUZZ
@given(data=st.data())
def test_a_broken_or_foreign_file_is_refused_as_unreadable(
    world: Any, council_admin: User, data: st.DataObject
) -> None:
    client = client_for(council_admin)
    valid = build_workbook(valid_sheets())
    content = data.draw(_broken_file(valid), label="file")
    with rolled_back():
        before = counts()
        response = _upload(client, reverse("scoring:import"), content, council="QNA")
        event(f"status {response.status_code}")
        assert response.status_code in (200, 302)
        if response.status_code == 302:
            assert content.startswith(valid)  # junk after a complete zip: the zip is read
            return
        page = response.content.decode()
        assert counts() == before
        assert has_error_summary(page)


# ---------------------------------------------------------------- a sheet's own workbook


def _sheet_state(sheet: ScoreSheet) -> tuple[Any, ...]:
    return (
        tuple(
            ScoreLine.objects.filter(sheet=sheet)
            .order_by("criterion_id")
            .values_list("self_value", "self_target", "note")
        ),
        ScoreSheet.objects.values_list("version", flat=True).get(pk=sheet.pk),
    )


@FUZZ
@given(data=st.data())
def test_a_sheet_workbook_fills_the_sheet_or_lists_the_problems(
    scoring_world: Any, focal_point: User, data: st.DataObject
) -> None:
    sheet = scoring_world.draft_sheet
    client = client_for(focal_point)
    exported = client.get(reverse("scoring:sheet-xlsx", args=[sheet.pk]))
    book = openpyxl.load_workbook(io.BytesIO(exported.content))
    worksheet = book.worksheets[0]
    for _ in range(data.draw(st.integers(min_value=1, max_value=5), label="changes")):
        row = data.draw(st.integers(min_value=1, max_value=worksheet.max_row + 2), label="row")
        column = data.draw(st.integers(min_value=1, max_value=worksheet.max_column), label="col")
        value = data.draw(cell_values, label=f"R{row}C{column}")
        try:
            worksheet.cell(row=row, column=column, value=value)
        except (ValueError, TypeError, AttributeError):  # an illegal value, a merged cell
            event("unwritable cell")
    buffer = io.BytesIO()
    try:
        book.save(buffer)
    except (ValueError, TypeError):
        event("unwritable workbook")
        return
    if data.draw(st.booleans(), label="break the file"):
        content = data.draw(_broken_file(buffer.getvalue()), label="broken")
    else:
        content = buffer.getvalue()
    url = reverse("scoring:sheet-xlsx-upload", args=[sheet.pk])
    with rolled_back():
        before = _sheet_state(sheet)
        response = _upload(client, url, content)
        event(f"status {response.status_code}")
        assert response.status_code in (200, 302), response.status_code
        if response.status_code == 302:
            return
        assert _sheet_state(sheet) == before, "a refused workbook wrote something"
        assert has_error_summary(response.content.decode())


def test_the_hostile_values_include_formulas_and_overflows() -> None:
    assert {"=1+1", "1e309", "NaN", "\x00"} <= set(SPECIAL)
