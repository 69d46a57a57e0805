"""The sheet page's one form: every button keeps what was typed with its own step, or refuses
and shows everything again with the reason (the server side; the browser walk is in
tests/browser/test_sheet_buttons.py)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from blocs import services as bloc_services
from blocs.models import User
from scoring.models import Evidence, ExplanationRequest, ScoreLine, ScoreSheet
from scoring.services import transitions
from tests.conftest import ScoringWorld, client_for

pytestmark = pytest.mark.django_db
D = Decimal


@pytest.fixture
def deputy_staff(scoring_world: ScoringWorld) -> User:
    """A focal point of the deputy unit, whose sheet is the submitted one."""
    return bloc_services.user_create(username="khoipho", password="x", unit=scoring_world.deputy)


def ids(w: ScoringWorld) -> dict[str, int]:
    return dict(w.criteria_set.criteria.values_list("code", "id"))


def page_post(sheet: ScoreSheet, action: str, **fields: str) -> dict[str, str]:
    return {
        "version": str(ScoreSheet.objects.get(pk=sheet.pk).version),
        "action": action,
        **fields,
    }


def line(sheet: ScoreSheet, criterion_id: int) -> ScoreLine:
    return ScoreLine.objects.get(sheet=sheet, criterion_id=criterion_id)


def test_accepting_the_units_scores_keeps_a_value_typed_just_before(
    scoring_world: ScoringWorld, secretariat: User
) -> None:
    w, c = scoring_world, ids(scoring_world)
    sheet = w.submitted_sheet
    response = client_for(secretariat).post(
        sheet.get_absolute_url(),
        page_post(sheet, "accept", **{f"v-{c['I.1']}": "4", f"x-{c['I.1']}": "Thiếu biên bản"}),
    )
    assert response.status_code == 302
    typed = line(sheet, c["I.1"])
    assert (typed.verified_value, typed.verified_reason) == (D(4), "Thiếu biên bản")
    # The other lines took the unit's own values; only those without a verified value.
    assert line(sheet, c["I.2"]).verified_value == D(9)
    messages = [str(m) for m in response.wsgi_request._messages]  # type: ignore[attr-defined]
    assert "Đã lưu 1 thay đổi." in messages
    assert "Đã chấp nhận điểm tự chấm của 3 tiêu chí chưa thẩm định." in messages


def test_saving_keeps_a_typed_question_as_a_draft_the_unit_does_not_see(
    scoring_world: ScoringWorld, secretariat: User, deputy_staff: User
) -> None:
    w, c = scoring_world, ids(scoring_world)
    sheet = w.submitted_sheet
    response = client_for(secretariat).post(
        sheet.get_absolute_url(), page_post(sheet, "save", **{f"q-{c['I.2']}": "Chỉ tiêu nào?"})
    )
    assert response.status_code == 302
    draft = ExplanationRequest.objects.get(line__sheet=sheet, line__criterion_id=c["I.2"])
    assert (draft.status, draft.question) == (ExplanationRequest.Status.DRAFT, "Chỉ tiêu nào?")
    html = client_for(secretariat).get(sheet.get_absolute_url()).content.decode()
    assert "Chỉ tiêu nào?</textarea>" in html and 'class="ask" open' in html
    # The unit reads its sheet: questions not sent are not there.
    assert (
        "Chỉ tiêu nào?"
        not in client_for(deputy_staff).get(sheet.get_absolute_url()).content.decode()
    )
    # Clearing the box removes the draft.
    client_for(secretariat).post(
        sheet.get_absolute_url(), page_post(sheet, "save", **{f"q-{c['I.2']}": "  "})
    )
    assert not ExplanationRequest.objects.filter(status=ExplanationRequest.Status.DRAFT).exists()


def test_returning_sends_the_typed_question_with_the_typed_scores(
    scoring_world: ScoringWorld, secretariat: User
) -> None:
    w, c = scoring_world, ids(scoring_world)
    sheet = w.submitted_sheet
    response = client_for(secretariat).post(
        sheet.get_absolute_url(),
        page_post(
            sheet,
            "return",
            **{
                f"v-{c['I.2']}": "8",
                f"t-{c['I.2']}": "10",
                f"x-{c['I.2']}": "Thiếu số liệu",
                f"q-{c['I.2']}": "Đề nghị gửi số liệu quý IV.",
            },
        ),
    )
    assert response.status_code == 302
    sheet.refresh_from_db()
    assert sheet.state == ScoreSheet.State.RETURNED
    assert line(sheet, c["I.2"]).verified_value == D(8)
    question = ExplanationRequest.objects.get(line__sheet=sheet, line__criterion_id=c["I.2"])
    assert question.status == ExplanationRequest.Status.OPEN


def test_a_refused_step_writes_nothing_and_shows_everything_typed(
    scoring_world: ScoringWorld, secretariat: User
) -> None:
    w, c = scoring_world, ids(scoring_world)
    sheet = w.submitted_sheet
    version = sheet.version
    # "Return" with no question: refused, and the typed score and reason stay on the page.
    response = client_for(secretariat).post(
        sheet.get_absolute_url(),
        page_post(sheet, "return", **{f"v-{c['I.1']}": "4,5", f"x-{c['I.1']}": "Lý do đã gõ"}),
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "Ghi nội dung cần giải trình cho ít nhất một tiêu chí." in html
    assert 'value="4,5"' in html and "Lý do đã gõ</textarea>" in html
    sheet.refresh_from_db()
    assert (sheet.state, sheet.version) == (ScoreSheet.State.SUBMITTED, version)
    assert line(sheet, c["I.1"]).verified_value is None
    # A score lower than the unit's without a reason: refused at the cell; the question stays.
    response = client_for(secretariat).post(
        sheet.get_absolute_url(),
        page_post(sheet, "return", **{f"v-{c['I.1']}": "4", f"q-{c['I.1']}": "Câu hỏi đã gõ"}),
    )
    html = response.content.decode()
    assert "Điểm thẩm định khác điểm tự chấm: ghi lý do." in html
    assert "Câu hỏi đã gõ</textarea>" in html and 'value="4"' in html
    assert not ExplanationRequest.objects.filter(status=ExplanationRequest.Status.DRAFT).exists()


def test_deciding_an_explanation_keeps_the_typed_grid_and_note(
    scoring_world: ScoringWorld, secretariat: User
) -> None:
    w, c = scoring_world, ids(scoring_world)
    sheet, explanation = w.submitted_sheet, w.explanation
    response = client_for(secretariat).post(
        sheet.get_absolute_url(),
        page_post(
            sheet,
            f"decide:{explanation.pk}:accept",
            **{f"v-{c['I.2']}": "9", f"t-{c['I.2']}": "10", f"note-{explanation.pk}": "Hợp lý"},
        ),
    )
    assert response.status_code == 302
    explanation.refresh_from_db()
    assert (explanation.status, explanation.decision_note) == ("accepted", "Hợp lý")
    assert line(sheet, c["I.2"]).verified_value == D(9)


def test_a_refused_answer_keeps_the_typed_answers(
    scoring_world: ScoringWorld, secretariat: User, deputy_staff: User
) -> None:
    w, c = scoring_world, ids(scoring_world)
    sheet = w.submitted_sheet
    transitions.sheet_return_for_explanation(
        sheet=sheet, questions={c["I.1"]: "Hỏi 1", c["I.2"]: "Hỏi 2"}, by=secretariat
    )
    first, second = ExplanationRequest.objects.filter(
        line__sheet=sheet, status=ExplanationRequest.Status.OPEN
    ).order_by("line__criterion__order")
    response = client_for(deputy_staff).post(
        sheet.get_absolute_url(),
        page_post(sheet, "answer", **{f"a-{first.pk}": "Trả lời đã gõ", f"a-{second.pk}": ""}),
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "Chưa giải trình tiêu chí: I.2." in html
    assert "Trả lời đã gõ</textarea>" in html
    sheet.refresh_from_db()
    assert sheet.state == ScoreSheet.State.RETURNED


def test_reopening_needs_a_reason_shown_at_its_field(
    scoring_world: ScoringWorld, secretariat: User
) -> None:
    w = scoring_world
    sheet = w.submitted_sheet
    transitions.explanation_decide(request=w.explanation, accepted=True, note="", by=secretariat)
    client_for(secretariat).post(sheet.get_absolute_url(), page_post(sheet, "accept"))
    client_for(secretariat).post(reverse("scoring:sheet-verify", args=[sheet.pk]))
    sheet.refresh_from_db()
    assert sheet.state == ScoreSheet.State.VERIFIED
    response = client_for(secretariat).post(sheet.get_absolute_url(), page_post(sheet, "reopen"))
    html = response.content.decode()
    assert response.status_code == 200
    assert '<a href="#reopen-reason">Ghi lý do mở lại việc thẩm định.</a>' in html
    response = client_for(secretariat).post(
        sheet.get_absolute_url(), page_post(sheet, "reopen", reason="Sai số liệu I.2")
    )
    assert response.status_code == 302
    sheet.refresh_from_db()
    assert sheet.state == ScoreSheet.State.SUBMITTED


def test_going_to_a_line_keeps_what_was_typed_first(
    scoring_world: ScoringWorld, focal_point: User
) -> None:
    w, c = scoring_world, ids(scoring_world)
    sheet = w.draft_sheet
    response = client_for(focal_point).post(
        sheet.get_absolute_url(), page_post(sheet, f"line:{c['I.2']}", **{f"v-{c['I.1']}": "5"})
    )
    assert response["Location"] == reverse("scoring:line", args=[sheet.pk, c["I.2"]])
    assert line(sheet, c["I.1"]).self_value == D(5)
    submit = client_for(focal_point).post(
        sheet.get_absolute_url(), page_post(sheet, "submit", **{f"v-{c['I.1']}": "5,5"})
    )
    assert submit["Location"] == reverse("scoring:sheet-submit", args=[sheet.pk])
    assert line(sheet, c["I.1"]).self_value == D("5.5")


def test_evidence_chosen_in_a_row_is_uploaded_with_the_save(
    scoring_world: ScoringWorld, focal_point: User
) -> None:
    w, c = scoring_world, ids(scoring_world)
    sheet = w.draft_sheet
    data = page_post(sheet, "save", **{f"v-{c['I.2']}": "3", f"t-{c['I.2']}": "4"})
    data[f"f-{c['I.2']}"] = SimpleUploadedFile("so-lieu.pdf", b"%PDF-1.4 so lieu")  # type: ignore[assignment]
    response = client_for(focal_point).post(sheet.get_absolute_url(), data)
    assert response.status_code == 302
    assert Evidence.objects.filter(line__sheet=sheet, original_name="so-lieu.pdf").count() == 1
    assert line(sheet, c["I.2"]).self_value == D(3)


def test_a_bad_file_refuses_the_whole_save_and_says_so_at_its_row(
    scoring_world: ScoringWorld, focal_point: User
) -> None:
    w, c = scoring_world, ids(scoring_world)
    sheet = w.draft_sheet
    data = page_post(sheet, "save", **{f"v-{c['I.1']}": "5"})
    data[f"f-{c['I.2']}"] = SimpleUploadedFile("virus.pdf", b"MZ\x90 not a pdf")  # type: ignore[assignment]
    response = client_for(focal_point).post(sheet.get_absolute_url(), data)
    html = response.content.decode()
    assert response.status_code == 200
    assert f'<a href="#f-{c["I.2"]}">I.2: Chỉ nhận tệp PDF, PNG hoặc JPG.</a>' in html
    assert 'value="5"' in html
    assert line(sheet, c["I.1"]).self_value is None
    # A good file chosen beside a bad cell: the row says to choose it again.
    data = page_post(sheet, "save", **{f"v-{c['I.1']}": "abc"})
    data[f"f-{c['I.2']}"] = SimpleUploadedFile("ok.pdf", b"%PDF-1.4 ok")  # type: ignore[assignment]
    html = client_for(focal_point).post(sheet.get_absolute_url(), data).content.decode()
    assert "hãy chọn lại tệp" in html
    assert not Evidence.objects.filter(original_name="ok.pdf").exists()


@pytest.mark.parametrize(
    ("action", "persona"),
    [
        ("accept", "focal_point"),
        ("return", "focal_point"),
        ("verify", "focal_point"),
        ("answer", "secretariat"),
        ("reopen", "secretariat"),
        ("submit", "secretariat"),
        ("bogus", "secretariat"),
        ("decide:1:maybe", "secretariat"),
    ],
)
def test_a_button_the_person_may_not_press_is_forbidden(
    scoring_world: ScoringWorld, action: str, persona: str, request: pytest.FixtureRequest
) -> None:
    w = scoring_world
    user = request.getfixturevalue(persona)
    sheet = w.submitted_sheet if persona == "secretariat" else w.draft_sheet
    response = client_for(user).post(sheet.get_absolute_url(), page_post(sheet, action))
    assert response.status_code == 403


def test_the_verification_page_lists_what_is_left_and_the_lowered_lines(
    scoring_world: ScoringWorld, secretariat: User
) -> None:
    w, c = scoring_world, ids(scoring_world)
    sheet = w.submitted_sheet
    client_for(secretariat).post(
        sheet.get_absolute_url(),
        page_post(
            sheet,
            "save",
            **{f"v-{c['I.1']}": "4", f"x-{c['I.1']}": "Thiếu", f"q-{c['I.2']}": "Hỏi thêm"},
        ),
    )
    html = client_for(secretariat).get(reverse("scoring:sheet-verify", args=[sheet.pk])).content
    text = html.decode()
    assert "Còn 3 tiêu chí thư ký khối chưa thẩm định" in text
    assert "1 câu hỏi giải trình đã ghi nhưng chưa gửi đơn vị" in text
    assert "1 giải trình chờ ý kiến của thư ký khối" in text
    assert "1 tiêu chí bị hạ điểm" in text
    assert ">Hoàn thành thẩm định</button>" not in text
    response = client_for(secretariat).post(reverse("scoring:sheet-verify", args=[sheet.pk]))
    assert response.status_code == 200
    assert "Chưa hoàn thành thẩm định được" in response.content.decode()
    sheet.refresh_from_db()
    assert sheet.state == ScoreSheet.State.SUBMITTED


@pytest.mark.parametrize("control", ["\x00", "\x0b", "\x1b", "\x7f"])
def test_a_control_character_anywhere_on_the_page_is_dropped_and_the_rest_kept(
    scoring_world: ScoringWorld, secretariat: User, control: str
) -> None:
    """common.text: what a person cannot see never reaches the database (PostgreSQL would
    refuse a NUL) nor a file (an XLSX or DOCX with one is invalid); everything else is kept."""
    w, c = scoring_world, ids(scoring_world)
    sheet, explanation = w.submitted_sheet, w.explanation
    response = client_for(secretariat).post(
        sheet.get_absolute_url(),
        page_post(
            sheet,
            f"decide:{explanation.pk}:accept",
            **{
                f"v-{c['I.1']}": f"4{control}",
                f"x-{c['I.1']}": f"Thiếu{control} biên bản",
                f"q-{c['I.2']}": f"Hỏi{control} thêm",
                f"note-{explanation.pk}": f"Ý kiến{control}",
            },
        ),
    )
    assert response.status_code == 302
    saved = line(sheet, c["I.1"])
    assert (saved.verified_value, saved.verified_reason) == (D(4), "Thiếu biên bản")
    explanation.refresh_from_db()
    assert explanation.decision_note == "Ý kiến"
    draft = ExplanationRequest.objects.get(status=ExplanationRequest.Status.DRAFT)
    assert draft.question == "Hỏi thêm"
    # A tab and line breaks are text, as typed.
    response = client_for(secretariat).post(
        sheet.get_absolute_url(),
        page_post(sheet, "save", **{f"x-{c['I.1']}": "Cột\tmột\r\nDòng hai", f"v-{c['I.1']}": "4"}),
    )
    assert response.status_code == 302
    assert line(sheet, c["I.1"]).verified_reason == "Cột\tmột\r\nDòng hai"


def test_an_answer_takes_its_files_with_it(
    scoring_world: ScoringWorld, secretariat: User, deputy_staff: User
) -> None:
    w, c = scoring_world, ids(scoring_world)
    sheet = w.submitted_sheet
    transitions.sheet_return_for_explanation(
        sheet=sheet, questions={c["I.2"]: "Số liệu đâu?"}, by=secretariat
    )
    question = ExplanationRequest.objects.get(
        line__sheet=sheet, status=ExplanationRequest.Status.OPEN
    )
    data = page_post(sheet, "answer", **{f"a-{question.pk}": "Gửi kèm bảng số liệu."})
    data[f"af-{question.pk}"] = SimpleUploadedFile("bad.pdf", b"GIF89a not a pdf")  # type: ignore[assignment]
    response = client_for(deputy_staff).post(sheet.get_absolute_url(), data)
    html = response.content.decode()
    assert "Tệp kèm theo giải trình tiêu chí I.2: Chỉ nhận tệp PDF, PNG hoặc JPG." in html
    assert "Gửi kèm bảng số liệu.</textarea>" in html
    data[f"af-{question.pk}"] = SimpleUploadedFile("so-lieu.pdf", b"%PDF-1.4 so lieu")  # type: ignore[assignment]
    response = client_for(deputy_staff).post(sheet.get_absolute_url(), data)
    assert response.status_code == 302
    question.refresh_from_db()
    assert question.status == ExplanationRequest.Status.ANSWERED
    assert [item.original_name for item in question.files.all()] == ["so-lieu.pdf"]


def test_clearing_drafted_questions_says_they_were_removed(
    scoring_world: ScoringWorld, secretariat: User
) -> None:
    w, c = scoring_world, ids(scoring_world)
    sheet = w.submitted_sheet
    client = client_for(secretariat)
    client.post(sheet.get_absolute_url(), page_post(sheet, "save", **{f"q-{c['I.2']}": "Hỏi"}))
    client.get(sheet.get_absolute_url())  # reads the message of that save
    response = client.post(
        sheet.get_absolute_url(), page_post(sheet, "save", **{f"q-{c['I.2']}": ""})
    )
    messages = [str(m) for m in response.wsgi_request._messages]  # type: ignore[attr-defined]
    assert messages == ["Đã xóa 1 câu hỏi giải trình chưa gửi."]
    client.get(sheet.get_absolute_url())
    # Going on to the check page says nothing about an unchanged page.
    response = client.post(sheet.get_absolute_url(), page_post(sheet, "verify"))
    assert [str(m) for m in response.wsgi_request._messages] == []  # type: ignore[attr-defined]


def test_an_answer_being_written_survives_opening_a_lines_evidence_page(
    scoring_world: ScoringWorld, secretariat: User, deputy_staff: User
) -> None:
    w, c = scoring_world, ids(scoring_world)
    sheet = w.submitted_sheet
    transitions.sheet_return_for_explanation(
        sheet=sheet, questions={c["I.2"]: "Số liệu đâu?"}, by=secretariat
    )
    question = ExplanationRequest.objects.get(
        line__sheet=sheet, status=ExplanationRequest.Status.OPEN
    )
    client = client_for(deputy_staff)
    html = client.get(sheet.get_absolute_url()).content.decode()
    # Every way to a line's page from here is a button of the page's form, not a bare link.
    assert f'value="line:{c["I.2"]}"' in html
    assert "Mở trang minh chứng tiêu chí I.2" in html
    assert f'href="{reverse("scoring:line", args=[sheet.pk, c["I.2"]])}"' not in html
    sheet.refresh_from_db()
    typed = "Số liệu ở biên bản kèm theo,\r\nxem trang minh chứng."
    response = client.post(
        sheet.get_absolute_url(),
        page_post(sheet, f"line:{c['I.2']}", **{f"a-{question.pk}": typed}),
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("scoring:line", args=[sheet.pk, c["I.2"]])
    question.refresh_from_db()
    assert question.status == ExplanationRequest.Status.OPEN  # kept, not sent
    assert (question.answer_draft, question.answer) == (typed.strip(), "")
    # The secretariat sees no answer yet; the unit finds its text back in the box.
    assert (
        "biên bản kèm theo"
        not in client_for(secretariat).get(sheet.get_absolute_url()).content.decode()
    )
    back = client.get(sheet.get_absolute_url()).content.decode()
    assert f'name="a-{question.pk}" rows="3" form="sheet-form">Số liệu ở biên bản kèm theo,' in back
    # Sending it answers and empties the draft.
    sheet.refresh_from_db()
    response = client.post(
        sheet.get_absolute_url(), page_post(sheet, "answer", **{f"a-{question.pk}": typed})
    )
    assert response.status_code == 302
    question.refresh_from_db()
    assert question.status == ExplanationRequest.Status.ANSWERED
    assert (question.answer, question.answer_draft) == (typed.strip(), "")
