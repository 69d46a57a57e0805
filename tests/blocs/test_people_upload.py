"""The upload of a list of accounts: real .xlsx files (openpyxl) and CSV files, the preview
with every refused cell named, the confirmation that writes all or nothing, and the list kept
in the session across a refused confirmation."""

from __future__ import annotations

import datetime
import io
import unicodedata
from collections.abc import Sequence
from typing import Any

import openpyxl
import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from blocs.models import AuditEntry, User
from blocs.people import upload
from blocs.people.reading import Reading
from blocs.views_people import SESSION_KEY
from tests.conftest import World, client_for
from tests.factories import UnitFactory

pytestmark = pytest.mark.django_db

HEADER = ["STT", "Tên đăng nhập", "Họ và tên", "Thư điện tử", "Mã đơn vị", "Vai trò", "Chức vụ"]
GOOD = [
    [1, "daumoi.syt", "Lê Văn An", "an@syt.quangnam.gov.vn", "SYT", "", "Chuyên viên"],
    [2, "daumoi.sgddt", "Phạm Thị Bình", "binh@sgddt.quangnam.gov.vn", "sgddt", "Đầu mối", ""],
    [
        3,
        "lanhdao.bqn",
        "Võ Văn Cường",
        "cuong@baoquangnam.vn",
        "BQN",
        "Lãnh đạo",
        "Phó Tổng biên tập",
    ],
]
Rows = Sequence[Sequence[Any]]


def xlsx(rows: Rows, *, header: Sequence[str] = HEADER, title_rows: int = 1) -> bytes:
    """A real workbook, with a title above the header as offices write them."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Tài khoản"
    for _ in range(title_rows):
        sheet.append(["DANH SÁCH CÁN BỘ ĐẦU MỐI NĂM 2025"])
    sheet.append(list(header))
    for row in rows:
        sheet.append(list(row))
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def windows_1258(text: str) -> bytes:
    """Text as Excel saves "CSV" on a Vietnamese Windows: code page 1258, where a letter with
    two marks is a precomposed letter and a combining tone mark (ậ = â + dot below)."""
    encoded = b""
    for char in text:
        decomposed = unicodedata.normalize("NFD", char)
        base, marks = decomposed[0], list(decomposed[1:])
        choices = (
            [char]
            + [
                unicodedata.normalize("NFC", base + mark) + "".join(m for m in marks if m != mark)
                for mark in marks
            ]
            + [base + "".join(marks)]
        )
        for choice in choices:
            try:
                encoded += choice.encode("cp1258")
                break
            except UnicodeEncodeError:
                continue
        else:
            raise AssertionError(char)
    return encoded


def csv_bytes(
    rows: Rows, *, header: Sequence[str] = HEADER, sep: str = ",", encoding: str = "utf-8-sig"
) -> bytes:
    lines = [sep.join(header)] + [sep.join(str(value) for value in row) for row in rows]
    text = "\r\n".join(lines) + "\r\n"
    return windows_1258(text) if encoding == "cp1258" else text.encode(encoding)


def build(kind: str, rows: Rows, **kwargs: Any) -> tuple[str, bytes]:
    if kind == "xlsx":
        return "danh-sach.xlsx", xlsx(rows, **kwargs)
    return "danh-sach.csv", csv_bytes(rows, **kwargs)


def _url(name: str, world: World) -> str:
    return reverse(f"blocs:{name}", args=[world.council.code])


def send(client: Client, world: World, name: str, content: bytes) -> Any:
    return client.post(_url("people-upload", world), {"file": SimpleUploadedFile(name, content)})


def preview(client: Client, world: World) -> Any:
    response = client.get(_url("people-upload-preview", world))
    assert response.status_code == 200
    return response


def confirm(client: Client, world: World) -> Any:
    token = client.session[SESSION_KEY]["token"]
    return client.post(_url("people-upload-preview", world), {"token": token, "action": "confirm"})


@pytest.fixture
def admin(world: World, council_admin: User) -> Client:
    return client_for(council_admin)


def problems_of(response: Any) -> list[tuple[str, str]]:
    """(cell, reason) of every refused cell shown on the preview."""
    return [(p.cell, p.message) for p in response.context["reading"].cell_problems]


@pytest.mark.parametrize("kind", ["xlsx", "csv"])
def test_a_good_list_is_previewed_then_created_at_once(
    kind: str, world: World, admin: Client, council_admin: User
) -> None:
    name, content = build(kind, GOOD)
    response = send(admin, world, name, content)
    assert response.status_code == 302
    assert response["Location"] == _url("people-upload-preview", world)
    assert not User.objects.filter(username="daumoi.syt").exists()  # nothing yet
    page = preview(admin, world)
    reading = page.context["reading"]
    assert reading.can_confirm and reading.refused == []
    rows = [(r.number, r.username, r.unit_name, r.role_label) for r in reading.accepted]
    first = 3 if kind == "xlsx" else 2  # the workbook has a title row above its header
    assert rows == [
        (first, "daumoi.syt", "Sở Y tế", "Cán bộ đầu mối đơn vị"),
        (first + 1, "daumoi.sgddt", "Sở Giáo dục và Đào tạo", "Cán bộ đầu mối đơn vị"),
        (first + 2, "lanhdao.bqn", "Báo Quảng Nam", "Lãnh đạo"),
    ]
    assert "Tạo 3 tài khoản và gửi thư" in page.content.decode()
    done = confirm(admin, world)
    assert done.status_code == 302 and done["Location"] == _url("people", world)
    made = User.objects.filter(username__in=["daumoi.syt", "daumoi.sgddt", "lanhdao.bqn"])
    assert {(p.username, p.unit.code, p.role, p.job_title) for p in made if p.unit} == {
        ("daumoi.syt", "SYT", User.Role.FOCAL_POINT, "Chuyên viên"),
        ("daumoi.sgddt", "SGDDT", User.Role.FOCAL_POINT, ""),
        ("lanhdao.bqn", "BQN", User.Role.LEADER, "Phó Tổng biên tập"),
    }
    assert all(not person.has_usable_password() for person in made)
    assert sorted(message.to[0] for message in mail.outbox) == sorted(str(row[3]) for row in GOOD)
    assert AuditEntry.objects.filter(action="people.create", actor=council_admin).count() == 3
    assert AuditEntry.objects.filter(action="people.password_link").count() == 3
    assert SESSION_KEY not in admin.session
    listing = admin.get(_url("people", world)).content.decode()
    assert "Đã tạo 3 tài khoản từ tệp “danh-sach" in listing


def test_a_csv_from_excel_in_the_windows_code_page_with_semicolons(
    world: World, admin: Client
) -> None:
    header = ["Tên đăng nhập", "Họ tên", "Email", "Tên đơn vị"]
    rows = [["daumoi.syt", "Lê Văn An", "an@syt.gov.vn", "Sở Y tế"]]
    send(admin, world, "ds.csv", csv_bytes(rows, header=header, sep=";", encoding="cp1258"))
    reading = preview(admin, world).context["reading"]
    assert [(r.full_name, r.unit_name) for r in reading.accepted] == [("Lê Văn An", "Sở Y tế")]


def test_units_are_found_by_name_whatever_the_marks_and_case(world: World, admin: Client) -> None:
    header = ["Tên đăng nhập", "Họ và tên", "Thư điện tử", "Tên đơn vị", "Mã đơn vị"]
    rows = [
        ["a.syt", "An", "a@x.vn", "SO Y TE", ""],
        ["b.sgd", "Bình", "b@x.vn", "Sở Giáo dục và Đào tạo", "SGDDT"],
    ]
    send(admin, world, "ds.xlsx", xlsx(rows, header=header))
    reading = preview(admin, world).context["reading"]
    assert [r.unit_name for r in reading.accepted] == ["Sở Y tế", "Sở Giáo dục và Đào tạo"]


BAD_CELLS = [
    # (row values, the cell's column letter, words of the reason)
    (["", "daumoi.x", "An", "an@x.vn", "XYZ", "", ""], "E", "Không có đơn vị mã “XYZ”"),
    (["", "daumoi.x", "An", "an@x.vn", "STTTT", "", ""], "E", "đã ngừng hoạt động"),
    (["", "quantri", "An", "an@x.vn", "SYT", "", ""], "B", "đã có người dùng"),
    (["", "QuanTri", "An", "an@x.vn", "SYT", "", ""], "B", "đã có người dùng"),
    (["", "dau moi", "An", "an@x.vn", "SYT", "", ""], "B", "không có khoảng trắng"),
    (["", "đầumối", "An", "an@x.vn", "SYT", "", ""], "B", "chữ không dấu"),
    (["", "daumoi.x", "", "an@x.vn", "SYT", "", ""], "C", "Nhập họ và tên"),
    (["", "daumoi.x", "An", "an@x", "SYT", "", ""], "D", "không hợp lệ"),
    (["", "daumoi.x", "An", "", "SYT", "", ""], "D", "Nhập địa chỉ thư điện tử"),
    (["", "daumoi.x", "An", "an@x.vn", "SYT", "Giám đốc", ""], "F", "Không rõ vai trò"),
    (["", "daumoi.x", "An", "an@x.vn", "", "", ""], "E", "Ghi mã hoặc tên đơn vị"),
]


@pytest.mark.parametrize("kind", ["xlsx", "csv"])
@pytest.mark.parametrize(("bad", "column", "reason"), BAD_CELLS, ids=[c[2] for c in BAD_CELLS])
def test_each_bad_cell_is_named_and_nothing_is_made(
    kind: str, bad: list[str], column: str, reason: str, world: World, admin: Client
) -> None:
    UnitFactory.create(council=world.council, code="STTTT", active_until=datetime.date(2025, 2, 28))
    name, content = build(kind, [GOOD[0], bad])
    send(admin, world, name, content)
    page = preview(admin, world)
    reading = page.context["reading"]
    row = 4 if kind == "xlsx" else 3
    [(cell, message)] = problems_of(page)
    assert cell == f"{column}{row}", message
    assert reason in message
    assert [r.username for r in reading.accepted] == ["daumoi.syt"]
    assert not reading.can_confirm
    html = page.content.decode()
    assert f"{column}{row}" in html and "Tạo 1 tài khoản" not in html
    # The confirmation is refused too, and writes nothing.
    refused = confirm(admin, world)
    assert refused.status_code == 200
    assert "Danh sách còn dòng bị từ chối" in refused.content.decode()
    assert not User.objects.filter(username="daumoi.syt").exists()
    assert mail.outbox == []


@pytest.mark.parametrize("kind", ["xlsx", "csv"])
def test_a_login_name_twice_in_the_file_names_both_rows(
    kind: str, world: World, admin: Client
) -> None:
    name, content = build(kind, [GOOD[0], [9, "DAUMOI.SYT", "Khác", "k@x.vn", "BQN", "", ""]])
    send(admin, world, name, content)
    page = preview(admin, world)
    row = 4 if kind == "xlsx" else 3
    assert problems_of(page) == [(f"B{row}", f"Tên đăng nhập trùng với dòng {row - 1} của tệp.")]


def test_a_formula_is_refused_at_its_cell(world: World, admin: Client) -> None:
    send(admin, world, "ds.xlsx", xlsx([[1, "daumoi.syt", "An", '=B3&"@syt.gov.vn"', "SYT"]]))
    [(cell, message)] = problems_of(preview(admin, world))
    assert cell == "D3" and "công thức" in message


def test_a_code_and_a_name_that_disagree(world: World, admin: Client) -> None:
    header = ["Tên đăng nhập", "Họ và tên", "Thư điện tử", "Mã đơn vị", "Tên đơn vị"]
    send(
        admin,
        world,
        "ds.xlsx",
        xlsx([["a", "An", "a@x.vn", "SYT", "Báo Quảng Nam"]], header=header),
    )
    [(cell, message)] = problems_of(preview(admin, world))
    assert cell == "E3" and "không khớp với mã SYT" in message


@pytest.mark.parametrize(
    ("content", "words"),
    [
        (b"%PDF-1.7 not a list", "Chỉ nhận tệp Excel (.xlsx) hoặc CSV"),
        (b"PK\x03\x04 broken zip", "không phải là tệp Excel .xlsx hay tệp CSV"),
        (b"", "Tệp rỗng"),
        (csv_bytes(GOOD, header=["Họ và tên", "Thư điện tử"]), "Không thấy dòng tiêu đề"),
        (
            csv_bytes(GOOD, header=["Tên đăng nhập", "Họ và tên", "Mã đơn vị"]),
            "Thiếu cột “Thư điện tử”",
        ),
        (csv_bytes([], header=HEADER), "không có tài khoản nào"),
        (
            csv_bytes(GOOD, header=["Tên đăng nhập", "Họ và tên", "Thư điện tử"]),
            "Thiếu cột “Mã đơn vị” hoặc “Tên đơn vị”",
        ),
    ],
    ids=["pdf", "broken-zip", "empty", "no-header", "no-email-column", "no-rows", "no-unit"],
)
def test_a_file_that_is_not_a_list_is_refused_at_the_field(
    content: bytes, words: str, world: World, admin: Client
) -> None:
    response = send(admin, world, "ds.xlsx", content)
    assert response.status_code == 200
    form = response.context["form"]
    assert list(form.errors) == ["file"]
    assert words in response.content.decode()
    assert SESSION_KEY not in admin.session


def test_a_too_big_or_too_long_file(
    world: World, admin: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(upload, "MAX_UPLOAD_BYTES", 100)
    response = send(admin, world, "ds.xlsx", xlsx(GOOD))
    assert "Tệp quá lớn" in str(response.context["form"].errors["file"])
    monkeypatch.setattr(upload, "MAX_UPLOAD_BYTES", 2 * 1024 * 1024)
    monkeypatch.setattr(upload, "MAX_ROWS", 2)
    response = send(admin, world, "ds.xlsx", xlsx(GOOD))
    assert "Tệp có hơn 2 tài khoản" in response.content.decode()


def test_a_confirmation_refused_later_keeps_the_list(
    world: World, admin: Client, council_admin: User
) -> None:
    """Between the preview and the confirmation someone took a login name: nothing is made,
    the list is shown again with the problem at its cell, and it stays for a later look."""
    send(admin, world, "ds.xlsx", xlsx(GOOD))
    assert preview(admin, world).context["reading"].can_confirm
    User.objects.create_user("daumoi.sgddt", unit=world.deputy)
    refused = confirm(admin, world)
    assert refused.status_code == 200
    assert "chưa có tài khoản nào được tạo" in refused.content.decode()
    assert problems_of(refused) == [("B4", "Tên đăng nhập “daumoi.sgddt” đã có người dùng.")]
    assert not User.objects.filter(username__in=["daumoi.syt", "lanhdao.bqn"]).exists()
    assert mail.outbox == []
    again = preview(admin, world)  # nothing lost: the list and its new problem are still here
    assert [r.username for r in again.context["reading"].accepted] == ["daumoi.syt", "lanhdao.bqn"]
    assert problems_of(again) == problems_of(refused)


def test_a_newer_upload_in_another_tab_is_not_confirmed_blindly(
    world: World, admin: Client
) -> None:
    send(admin, world, "first.xlsx", xlsx(GOOD[:1]))
    old_token = admin.session[SESSION_KEY]["token"]
    send(admin, world, "second.xlsx", xlsx(GOOD[1:]))
    response = admin.post(
        _url("people-upload-preview", world), {"token": old_token, "action": "confirm"}
    )
    assert response.status_code == 200
    assert "đã được thay bằng một tệp tải lên sau" in response.content.decode()
    assert response.context["reading"].filename == "second.xlsx"
    assert not User.objects.filter(username__startswith="daumoi").exists()


def test_cancel_forgets_the_list(world: World, admin: Client) -> None:
    send(admin, world, "ds.xlsx", xlsx(GOOD))
    token = admin.session[SESSION_KEY]["token"]
    response = admin.post(
        _url("people-upload-preview", world), {"token": token, "action": "cancel"}
    )
    assert response["Location"] == _url("people-upload", world)
    assert SESSION_KEY not in admin.session
    assert admin.get(_url("people-upload-preview", world)).status_code == 302
    assert not User.objects.filter(username="daumoi.syt").exists()


def test_the_preview_belongs_to_its_council_and_its_admins(
    world: World, admin: Client, focal_point: User
) -> None:
    send(admin, world, "ds.xlsx", xlsx(GOOD))
    member = client_for(focal_point)
    assert member.get(_url("people-upload-preview", world)).status_code == 403
    assert (
        member.post(_url("people-upload-preview", world), {"action": "confirm"}).status_code == 403
    )
    name, content = build("csv", GOOD)
    assert send(member, world, name, content).status_code == 403
    assert not User.objects.filter(username="daumoi.syt").exists()


def test_the_people_list_points_to_a_waiting_list(world: World, admin: Client) -> None:
    send(admin, world, "ds.xlsx", xlsx(GOOD))
    html = admin.get(_url("people", world)).content.decode()
    assert "Có một danh sách tải lên đang chờ xác nhận" in html


def test_reading_a_workbook_without_the_named_sheet_uses_the_first(world: World) -> None:
    book = openpyxl.Workbook()
    book.active.title = "Sheet1"
    book.active.append(HEADER[1:])
    book.active.append(GOOD[0][1:])
    buffer = io.BytesIO()
    book.save(buffer)
    reading = upload.read_people(
        buffer.getvalue(),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        filename="x.xlsx",
        council_ids={world.council.pk},
        day=datetime.date(2025, 1, 1),
    )
    assert [row.username for row in reading.accepted] == ["daumoi.syt"]
    # The reading survives the session's JSON unchanged.
    assert Reading.from_data(reading.as_data()) == reading


def test_the_template_filled_in_reads_back_in_either_language(world: World, admin: Client) -> None:
    for language in ("vi", "en"):
        admin.cookies["django_language"] = language
        template = admin.get(_url("people-upload-template", world)).content
        book = openpyxl.load_workbook(io.BytesIO(template))
        sheet = book.worksheets[0]
        sheet.append(["daumoi.syt", "Lê Văn An", "an@syt.gov.vn", "SYT", "", "", ""])
        buffer = io.BytesIO()
        book.save(buffer)
        send(admin, world, "mau.xlsx", buffer.getvalue())
        reading = preview(admin, world).context["reading"]
        assert [(r.username, r.unit_name) for r in reading.accepted] == [
            ("daumoi.syt", "Sở Y tế")
        ], language
