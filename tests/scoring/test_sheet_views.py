"""The score grid as people use it: fill, save, errors, conflicts, verify, evidence."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client, override_settings
from django.urls import reverse

from blocs.models import BlocYear, User
from scoring.models import Evidence, ScoreSheet
from scoring.services import sheets as services
from scoring.services import transitions
from scoring.services.sheets import SELF, VERIFIED, LineEntry
from tests.conftest import ScoringWorld, World, client_for
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
D = Decimal


def codes(w: ScoringWorld) -> dict[str, int]:
    return dict(w.criteria_set.criteria.values_list("code", "id"))


def grid_post(
    w: ScoringWorld, sheet: ScoreSheet, values: dict[str, tuple[str, str] | str], text: str = ""
) -> dict[str, str]:
    data = {"version": str(ScoreSheet.objects.get(pk=sheet.pk).version)}
    for code, value in values.items():
        criterion_id = codes(w)[code]
        if isinstance(value, tuple):
            data[f"v-{criterion_id}"], data[f"t-{criterion_id}"] = value
        else:
            data[f"v-{criterion_id}"] = value
        data[f"x-{criterion_id}"] = text
    return data


def test_the_unit_sees_inputs_for_its_own_lines(
    scoring_world: ScoringWorld, focal_point: User
) -> None:
    w = scoring_world
    html = client_for(focal_point).get(w.draft_sheet.get_absolute_url()).content.decode()
    assert f'name="v-{codes(w)["I.1"]}"' in html
    assert f'name="t-{codes(w)["I.2"]}"' in html
    assert "Lưu bảng tự chấm" in html
    assert 'aria-labelledby="code-' in html


def test_the_unit_saves_with_comma_decimals(scoring_world: ScoringWorld, focal_point: User) -> None:
    w = scoring_world
    response = client_for(focal_point).post(
        w.draft_sheet.get_absolute_url(),
        grid_post(w, w.draft_sheet, {"I.1": "5,5", "I.2": ("9", "10")}, "ghi chú"),
    )
    assert response.status_code == 302
    line = w.draft_sheet.lines.get(criterion_id=codes(w)["I.1"])
    assert (line.self_value, line.note) == (D("5.5"), "ghi chú")


def test_an_error_keeps_every_typed_value_and_saves_nothing(
    scoring_world: ScoringWorld, focal_point: User
) -> None:
    w = scoring_world
    response = client_for(focal_point).post(
        w.draft_sheet.get_absolute_url(),
        grid_post(w, w.draft_sheet, {"I.1": "6,5", "I.2": ("9", "10"), "II.1": "abc"}),
    )
    assert response.status_code == 200
    assert response.context["errors_count"] == 2
    cells = response.context["form"].cells
    errors = {code: cells[pk].error for code, pk in codes(w).items() if pk in cells}
    assert "vượt điểm tối đa 6" in errors["I.1"] and "“abc” không phải là một số" in errors["II.1"]
    typed = {code: cells[codes(w)[code]].value for code in ("I.1", "I.2", "II.1")}
    assert typed == {"I.1": "6,5", "I.2": "9", "II.1": "abc"}
    assert not w.draft_sheet.lines.filter(self_value__isnull=False).exists()


def test_a_second_writer_is_told_and_shown_the_other_change(
    scoring_world: ScoringWorld, focal_point: User, secretariat: User
) -> None:
    w = scoring_world
    stale = grid_post(w, w.draft_sheet, {"I.1": "4"})  # read before the other person saves
    client_for(secretariat).post(
        w.draft_sheet.get_absolute_url(), grid_post(w, w.draft_sheet, {"I.1": "5"})
    )
    response = client_for(focal_point).post(w.draft_sheet.get_absolute_url(), stale)
    assert response.status_code == 200
    assert response.context["conflict"].pk == w.draft_sheet.pk
    assert "Bảng điểm vừa được người khác lưu" in response.content.decode()
    # What this person typed is still there, next to what the other person saved.
    assert response.context["form"].cells[codes(w)["I.1"]].value == "4"
    assert [
        (code, mine.value, theirs.value)
        for code, mine, theirs in response.context["conflict_changes"]
    ] == [("I.1", "4", "5")]
    assert w.draft_sheet.lines.get(criterion_id=codes(w)["I.1"]).self_value == D(5)
    # Saving again, knowingly, with the version now on the page.
    again = grid_post(w, ScoreSheet.objects.get(pk=w.draft_sheet.pk), {"I.1": "4"})
    assert client_for(focal_point).post(w.draft_sheet.get_absolute_url(), again).status_code == 302
    assert w.draft_sheet.lines.get(criterion_id=codes(w)["I.1"]).self_value == D(4)


def test_the_secretariat_entering_a_paper_sheet_marks_it_and_the_unit_sees_it(
    scoring_world: ScoringWorld, secretariat: User, focal_point: User
) -> None:
    w = scoring_world
    client_for(secretariat).post(
        w.draft_sheet.get_absolute_url(), grid_post(w, w.draft_sheet, {"I.1": "5"})
    )
    w.draft_sheet.refresh_from_db()
    assert w.draft_sheet.entered_on_behalf
    html = client_for(focal_point).get(w.draft_sheet.get_absolute_url()).content.decode()
    assert "Thư ký khối đã nhập thay" in html
    work = client_for(focal_point).get(reverse("my-work")).content.decode()
    assert "nhập thay từ bản giấy" in work


def test_the_check_page_before_sending_says_the_secretariat_entered_on_the_units_behalf(
    scoring_world: ScoringWorld, secretariat: User, focal_point: User
) -> None:
    w = scoring_world
    submit_url = reverse("scoring:sheet-submit", args=[w.draft_sheet.pk])
    before = client_for(focal_point).get(submit_url).content.decode()
    assert 'id="on-behalf-notice"' not in before and "Người nhập" not in before
    client_for(secretariat).post(
        w.draft_sheet.get_absolute_url(), grid_post(w, w.draft_sheet, {"I.1": "5"})
    )
    page = client_for(focal_point).get(submit_url).content.decode()
    assert "Thư ký khối đã nhập thay điểm vào bảng này từ bản giấy của đơn vị" in page
    assert "Người nhập" in page
    page = client_for(secretariat).get(submit_url).content.decode()
    assert "Bạn gửi bảng tự chấm thay đơn vị." in page


def test_the_grid_as_read_escapes_peoples_text_and_shows_the_council_adjustment(
    scoring_world: ScoringWorld, focal_point: User
) -> None:
    w = scoring_world
    line = w.draft_sheet.lines.get(criterion_id=codes(w)["I.1"])
    line.note = '<script>alert("x")</script> & <b>đậm</b>'
    line.self_value = line.self_points = line.verified_value = line.verified_points = D(5)
    line.save()
    services.line_council_adjust(line=line, amount=D("-1.5"), reason="Chậm hồ sơ", by=None)
    w.draft_sheet.state = ScoreSheet.State.VERIFIED
    w.draft_sheet.save(update_fields=["state"])
    html = client_for(focal_point).get(w.draft_sheet.get_absolute_url()).content.decode()
    assert "<script>alert" not in html and "<b>đậm</b>" not in html
    # The grid's rows are Jinja2 templates: markupsafe writes a quote as &#34;, Django as &quot;.
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; &amp; &lt;b&gt;đậm&lt;/b&gt;" in html
    assert "gồm điều chỉnh của Hội đồng -1,50" in html
    assert f'name="v-{codes(w)["I.1"]}"' not in html  # read, not edited, once verified


def test_the_head_cannot_verify_its_own_sheet_the_deputy_can(
    scoring_world: ScoringWorld, secretariat: User
) -> None:
    w = scoring_world
    head_sheet = ScoreSheet.objects.get(bloc_year=w.bloc_year, unit=w.head)
    services.sheet_save(
        sheet=head_sheet,
        layer=SELF,
        entries={
            codes(w)["I.1"]: LineEntry(D(6)),
            codes(w)["I.2"]: LineEntry(D(10), D(10)),
            codes(w)["II.1"]: LineEntry(D(0)),
            codes(w)["III.1"]: LineEntry(D(0)),
        },
        version=1,
        by=secretariat,
    )
    transitions.sheet_submit(sheet=head_sheet, by=secretariat)
    head_client = client_for(secretariat)
    page = head_client.get(head_sheet.get_absolute_url())
    assert (page.context["can_verify"], page.context["layer"]) == (False, None)
    assert (
        head_client.post(reverse("scoring:sheet-verify", args=[head_sheet.pk])).status_code == 403
    )
    deputy_client = client_for(UserFactory.create(unit=w.deputy))
    page = deputy_client.get(head_sheet.get_absolute_url())
    assert (page.context["can_verify"], page.context["layer"]) == (True, VERIFIED)
    version = ScoreSheet.objects.get(pk=head_sheet.pk).version
    deputy_client.post(head_sheet.get_absolute_url(), {"version": version, "action": "accept"})
    response = deputy_client.post(reverse("scoring:sheet-verify", args=[head_sheet.pk]))
    assert response.status_code == 302
    assert ScoreSheet.objects.get(pk=head_sheet.pk).state == ScoreSheet.State.VERIFIED


def test_verifying_lower_than_self_without_reason_is_refused_at_the_cell(
    scoring_world: ScoringWorld, secretariat: User
) -> None:
    w = scoring_world
    sheet = w.submitted_sheet
    response = client_for(secretariat).post(
        sheet.get_absolute_url(), grid_post(w, sheet, {"I.1": "4"})
    )
    assert "Điểm thẩm định khác điểm tự chấm: ghi lý do." in response.content.decode()
    response = client_for(secretariat).post(
        sheet.get_absolute_url(), grid_post(w, sheet, {"I.1": "4"}, "Thiếu biên bản")
    )
    assert response.status_code == 302
    html = client_for(secretariat).get(sheet.get_absolute_url()).content.decode()
    assert "row-diff" in html and "▼" in html


def test_the_submit_page_lists_missing_lines_first(
    scoring_world: ScoringWorld, focal_point: User
) -> None:
    w = scoring_world
    html = (
        client_for(focal_point)
        .get(reverse("scoring:sheet-submit", args=[w.draft_sheet.pk]))
        .content.decode()
    )
    assert "Còn 4 tiêu chí chưa tự chấm" in html
    response = client_for(focal_point).post(
        reverse("scoring:sheet-submit", args=[w.draft_sheet.pk])
    )
    # Refused on the check page itself, which says why.
    assert response.status_code == 200
    assert "Chưa gửi được bảng tự chấm" in response.content.decode()
    assert ScoreSheet.objects.get(pk=w.draft_sheet.pk).state == ScoreSheet.State.DRAFT


def test_a_focal_point_cannot_open_another_units_sheet_or_evidence(
    scoring_world: ScoringWorld, outsider: User
) -> None:
    w = scoring_world
    client = client_for(outsider)
    assert client.get(w.draft_sheet.get_absolute_url()).status_code == 404
    assert client.get(reverse("scoring:evidence", args=[w.evidence.pk])).status_code == 404
    assert (
        client.post(
            w.draft_sheet.get_absolute_url(), grid_post(w, w.draft_sheet, {"I.1": "6"})
        ).status_code
        == 404
    )


def test_members_see_each_others_sheets_only_after_publication(
    scoring_world: ScoringWorld, focal_point: User
) -> None:
    w = scoring_world
    client = client_for(focal_point)
    assert client.get(w.submitted_sheet.get_absolute_url()).status_code == 404
    BlocYear.objects.filter(pk=w.bloc_year.pk).update(state=BlocYear.State.PUBLISHED)
    assert client.get(w.submitted_sheet.get_absolute_url()).status_code == 200
    assert (
        client.get(reverse("scoring:evidence", args=[w.evidence.pk])).status_code == 200
    )  # own evidence


def test_evidence_is_served_with_its_checked_type(
    scoring_world: ScoringWorld, focal_point: User
) -> None:
    w = scoring_world
    response = client_for(focal_point).get(reverse("scoring:evidence", args=[w.evidence.pk]))
    assert response["Content-Type"] == "application/pdf"
    assert "sandbox" in response["Content-Security-Policy"]
    assert b"".join(response.streaming_content).startswith(b"%PDF")  # type: ignore[attr-defined]


def upload(client: Client, w: ScoringWorld, name: str, content: bytes) -> str:
    url = reverse("scoring:line", args=[w.draft_sheet.pk, w.leaf.pk])
    return client.post(
        url, {"file": SimpleUploadedFile(name, content)}, follow=True
    ).content.decode()


def test_an_executable_renamed_to_pdf_is_refused(
    scoring_world: ScoringWorld, focal_point: User
) -> None:
    w = scoring_world
    html = upload(client_for(focal_point), w, "bao-cao.pdf", b"MZ\x90\x00 not a pdf")
    assert "Chỉ nhận tệp PDF, PNG hoặc JPG." in html
    assert Evidence.objects.count() == 1
    # The page's one error summary, at its top, links to the field (issue 20.12).
    summary = html[html.index('class="error-summary"') :]
    assert html.index('class="error-summary"') < html.index("<h2>Minh chứng</h2>")
    assert '<a href="#id_file">Chỉ nhận tệp PDF, PNG hoặc JPG.' in summary


@override_settings(EVIDENCE_MAX_BYTES=100)
def test_a_file_too_large_is_refused(scoring_world: ScoringWorld, focal_point: User) -> None:
    html = upload(client_for(focal_point), scoring_world, "lon.pdf", b"%PDF" + b"0" * 200)
    assert "Tệp quá lớn" in html


@override_settings(EVIDENCE_MAX_FILES_PER_LINE=1)
def test_too_many_files_on_a_line_are_refused(
    scoring_world: ScoringWorld, focal_point: User
) -> None:
    html = upload(client_for(focal_point), scoring_world, "them.png", b"\x89PNG\r\n\x1a\nxxxx")
    assert "tối đa 1 tệp" in html


def test_a_png_is_accepted_and_listed(scoring_world: ScoringWorld, focal_point: User) -> None:
    html = upload(client_for(focal_point), scoring_world, "anh-chup.png", b"\x89PNG\r\n\x1a\nxxxx")
    assert "Đã tải lên minh chứng." in html and "anh-chup.png" in html
    assert Evidence.objects.filter(content_type="image/png").exists()


def test_after_submission_the_unit_cannot_add_evidence(
    scoring_world: ScoringWorld, leader: User
) -> None:
    w = scoring_world
    url = reverse("scoring:line", args=[w.submitted_sheet.pk, w.leaf.pk])
    deputy_staff = UserFactory.create(unit=w.deputy)
    response = client_for(deputy_staff).post(url, {"file": SimpleUploadedFile("a.pdf", b"%PDF-1")})
    assert response.status_code == 403
    assert (
        client_for(leader).post(url, {"file": SimpleUploadedFile("a.pdf", b"%PDF-1")}).status_code
        == 403
    )


def test_the_history_panel_lists_who_changed_what(
    scoring_world: ScoringWorld, focal_point: User
) -> None:
    w = scoring_world
    client = client_for(focal_point)
    client.post(w.draft_sheet.get_absolute_url(), grid_post(w, w.draft_sheet, {"I.1": "5"}))
    html = client.get(w.draft_sheet.get_absolute_url()).content.decode()
    assert "Lịch sử thay đổi" in html
    assert "Sửa điểm tự chấm tiêu chí I.1" in html
    assert "daumoi" in html  # the actor's name


def test_the_bloc_year_page_links_to_the_units_sheet_and_progress(
    scoring_world: ScoringWorld, focal_point: User, secretariat: User
) -> None:
    w = scoring_world
    html = client_for(focal_point).get(w.bloc_year.get_absolute_url()).content.decode()
    assert w.draft_sheet.get_absolute_url() in html
    assert reverse("scoring:progress", args=[w.bloc.pk, 2020]) not in html
    html = client_for(secretariat).get(w.bloc_year.get_absolute_url()).content.decode()
    assert reverse("scoring:progress", args=[w.bloc.pk, 2020]) in html


def test_progress_shows_who_acts_next(scoring_world: ScoringWorld, secretariat: User) -> None:
    w = scoring_world
    html = (
        client_for(secretariat)
        .get(reverse("scoring:progress", args=[w.bloc.pk, 2020]))
        .content.decode()
    )
    assert "Đơn vị: tự chấm và gửi" in html
    assert "Thư ký khối: thẩm định" in html
    assert "Báo Quảng Nam" in html


def test_opening_scoring_asks_to_check_first(world: World, secretariat: User) -> None:
    from tests.conftest import build_criteria_set

    criteria_set = build_criteria_set(world.council, 2020, world.bloc_year)
    client = client_for(secretariat)
    url = reverse("scoring:open", args=[world.bloc.pk, 2020])
    data = {"criteria_set": criteria_set.pk, "mode": "verified"}
    html = client.post(url, data).content.decode()
    assert "Kiểm tra trước khi mở chấm điểm" in html
    assert not ScoreSheet.objects.exists()
    assert client.post(url, data | {"confirmed": "True"}).status_code == 302
    assert ScoreSheet.objects.filter(bloc_year=world.bloc_year).count() == 3
