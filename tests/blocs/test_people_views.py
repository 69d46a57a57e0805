"""The people pages: who opens them, what they show, the forms (typed values kept, errors at
their fields), the buttons, and the e-mailed set-password link."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from blocs import services as organisation
from blocs.models import AuditEntry, User
from tests.conftest import World, client_for
from tests.factories import CouncilFactory, UnitFactory

pytestmark = pytest.mark.django_db

LINK = re.compile(r"http://testserver(/password-reset/[^/\s]+/[^/\s]+/)")


@pytest.fixture(autouse=True)
def _site(settings: object) -> None:
    settings.SITE_URL = "http://testserver"  # type: ignore[attr-defined]


def _logs_in(username: str, password: str) -> bool:
    """Through the login page (django-axes needs the request)."""
    response = Client().post(reverse("login"), {"username": username, "password": password})
    return response.status_code == 302


def _url(name: str, world: World, *args: object) -> str:
    return reverse(f"blocs:{name}", args=[world.council.code, *args])


@pytest.fixture
def other_admin(world: World) -> User:
    """The admin of another council (Đà Nẵng), which did not succeed Quảng Nam's."""
    unit = UnitFactory.create(council=CouncilFactory.create(code="DNG"), code="SNV-DN")
    return organisation.user_create(
        username="quantri.dn", password="x", unit=unit, role=User.Role.COUNCIL_ADMIN
    )


def test_the_list_shows_the_councils_people(
    world: World, council_admin: User, focal_point: User, leader: User, other_admin: User
) -> None:
    response = client_for(council_admin).get(_url("people", world))
    assert response.status_code == 200
    rows = response.context["listing"].rows
    assert {row.person.username for row in rows} == {"quantri", "daumoi", "lanhdao"}
    html = response.content.decode()
    assert reverse("blocs:person", args=["QNA", focal_point.pk]) in html
    assert "quantri.dn" not in html  # another council's people are not listed


def test_the_list_filters(
    world: World, council_admin: User, focal_point: User, leader: User
) -> None:
    client = client_for(council_admin)
    focal_point.is_active = False
    focal_point.save()
    by_role = client.get(_url("people", world), {"role": User.Role.LEADER}).context["listing"]
    assert [row.person for row in by_role.rows] == [leader]
    by_status = client.get(_url("people", world), {"status": "inactive"}).context["listing"]
    assert [row.person for row in by_status.rows] == [focal_point]
    assert by_status.inactive == 1 and by_status.total == 3
    by_unit = client.get(_url("people", world), {"unit": world.member.pk}).context["listing"]
    assert [row.person for row in by_unit.rows] == [focal_point]
    searched = client.get(_url("people", world), {"q": "LANH"}).context["listing"]
    assert [row.person for row in searched.rows] == [leader]


def test_a_long_list_is_shown_fifty_people_a_page_keeping_the_filters(
    world: World, council_admin: User
) -> None:
    for number in range(60):
        organisation.user_create(
            username=f"nguoi{number:02}",
            password=None,
            unit=world.member,
            role=User.Role.FOCAL_POINT,
            full_name=f"Người {number:02}",
        )
    client = client_for(council_admin)
    first = client.get(_url("people", world), {"role": User.Role.FOCAL_POINT})
    assert len(first.context["listing"].rows) == 60  # counted whole, shown a page at a time
    assert len(first.context["rows"]) == 50
    html = first.content.decode()
    assert "Người 1–50 trên 60" in html
    assert "?role=focal_point&amp;page=2" in html
    second = client.get(_url("people", world), {"role": User.Role.FOCAL_POINT, "page": "2"})
    names = [row.person.username for row in second.context["rows"]]
    assert len(names) == 10
    assert not set(names) & {row.person.username for row in first.context["rows"]}
    assert "Người 51–60 trên 60" in second.content.decode()
    # A page past the end shows the last one; a short list has no pager.
    past = client.get(_url("people", world), {"role": User.Role.FOCAL_POINT, "page": "9"})
    assert past.context["page"].number == 2
    short = client.get(_url("people", world), {"role": User.Role.LEADER})
    assert short.context["page"].pages == 1
    assert 'class="pager' not in short.content.decode()


@pytest.mark.parametrize(
    "name", ["people", "person-new", "people-upload", "people-upload-template"]
)
def test_only_the_councils_admins_open_the_pages(
    name: str,
    world: World,
    council_admin: User,
    focal_point: User,
    secretariat: User,
    leader: User,
    other_admin: User,
) -> None:
    url = _url(name, world)
    assert client_for(council_admin).get(url).status_code == 200
    for person in (focal_point, secretariat, leader, other_admin):
        assert client_for(person).get(url).status_code == 403, person.username
    assert client_for(None).get(url).status_code == 302


def test_nobody_else_touches_a_person(
    world: World,
    council_admin: User,
    focal_point: User,
    leader: User,
    other_admin: User,
) -> None:
    """Every page and button of a person: 403 for a focal point, a leader and another
    council's admin, and nothing written."""
    for person in (focal_point, leader, other_admin):
        client = client_for(person)
        assert client.get(_url("person", world, focal_point.pk)).status_code == 403
        for name in ("person", "person-deactivate", "person-reactivate", "person-password-link"):
            response = client.post(
                _url(name, world, focal_point.pk),
                {"full_name": "X", "email": "x@x.vn", "unit": world.member.pk, "role": "leader"},
            )
            assert response.status_code == 403, (person.username, name)
    # Their own council's page does not reach Quảng Nam's people either: 404.
    own = reverse("blocs:person", args=["DNG", focal_point.pk])
    assert client_for(other_admin).get(own).status_code == 404
    focal_point.refresh_from_db()
    assert focal_point.is_active and focal_point.full_name == "daumoi"
    assert not AuditEntry.objects.filter(context=f"user:{focal_point.pk}").exists()
    assert mail.outbox == []


def test_a_superusers_account_is_not_changed_here(world: World, council_admin: User) -> None:
    root = User.objects.create_superuser("root", "root@x.vn", "x", unit=world.admin_unit)
    client = client_for(council_admin)
    listing = client.get(_url("people", world)).context["listing"]
    assert [row.can_change for row in listing.rows if row.person == root] == [False]
    assert client.get(_url("person", world, root.pk)).status_code == 403
    assert client.post(_url("person-deactivate", world, root.pk)).status_code == 403
    root.refresh_from_db()
    assert root.is_active


def test_a_new_focal_point_gets_an_email_with_a_link(world: World, council_admin: User) -> None:
    client = client_for(council_admin)
    response = client.post(
        _url("person-new", world),
        {
            "username": "daumoi.bqn",
            "full_name": "Trần Thị Hoa",
            "email": "hoa@baoquangnam.vn",
            "unit": world.member.pk,
            "role": User.Role.FOCAL_POINT,
            "job_title": "Thư ký tòa soạn",
        },
    )
    person = User.objects.get(username="daumoi.bqn")
    assert response.status_code == 302
    assert response["Location"] == _url("person", world, person.pk)
    assert not person.has_usable_password() and person.job_title == "Thư ký tòa soạn"
    [message] = mail.outbox
    assert message.to == ["hoa@baoquangnam.vn"]
    assert message.subject == "Tài khoản Thi đua của bạn"
    assert "daumoi.bqn" in message.body and "Báo Quảng Nam" in message.body
    found = LINK.search(str(message.body))
    assert found
    assert list(
        AuditEntry.objects.filter(context=f"user:{person.pk}")
        .order_by("pk")
        .values_list("action", flat=True)
    ) == ["people.create", "people.password_link"]
    # The person sets their password with the link, then logs in.
    stranger = Client()
    path = found.group(1)
    form_page = stranger.get(path, follow=True)
    assert form_page.context["validlink"]
    done = stranger.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": "Hoa-dat-mat-khau-2025", "new_password2": "Hoa-dat-mat-khau-2025"},
    )
    assert done.status_code == 302 and done["Location"] == reverse("password-reset-complete")
    person.refresh_from_db()
    assert person.check_password("Hoa-dat-mat-khau-2025")
    # Used once: the same link no longer works.
    assert not Client().get(path, follow=True).context["validlink"]


def test_a_refused_new_account_keeps_what_was_typed(world: World, council_admin: User) -> None:
    typed = {
        "username": "quantri",
        "full_name": "Trần Thị Hoa",
        "email": "hoa@",
        "unit": world.member.pk,
        "role": User.Role.LEADER,
        "job_title": "Phó Giám đốc",
    }
    response = client_for(council_admin).post(_url("person-new", world), typed)
    assert response.status_code == 200
    form = response.context["form"]
    assert set(form.errors) == {"username", "email"}
    assert {name: form[name].value() for name in typed} == {
        **typed,
        "unit": str(world.member.pk),
    }
    html = response.content.decode()
    assert 'value="Trần Thị Hoa"' in html and 'value="Phó Giám đốc"' in html
    assert f'<a href="#{form["email"].id_for_label}">' in html  # the summary names the field
    assert not User.objects.filter(full_name="Trần Thị Hoa").exists()
    assert mail.outbox == []


def test_an_unknown_unit_is_refused_at_its_field(
    world: World, council_admin: User, other_admin: User
) -> None:
    response = client_for(council_admin).post(
        _url("person-new", world),
        {
            "username": "moi",
            "full_name": "Người mới",
            "email": "moi@x.vn",
            "unit": other_admin.unit_id,
            "role": "focal_point",
        },
    )
    assert list(response.context["form"].errors) == ["unit"]


def test_the_admin_changes_a_persons_unit_and_role(
    world: World, council_admin: User, focal_point: User
) -> None:
    response = client_for(council_admin).post(
        _url("person", world, focal_point.pk),
        {
            "full_name": "Đỗ Minh Châu",
            "email": "chau@syt.gov.vn",
            "unit": world.head.pk,
            "role": User.Role.COUNCIL_ADMIN,
            "job_title": "",
        },
    )
    assert response.status_code == 302
    focal_point.refresh_from_db()
    assert (focal_point.unit, focal_point.role, focal_point.is_staff) == (
        world.head,
        User.Role.COUNCIL_ADMIN,
        True,
    )
    page = client_for(council_admin).get(_url("person", world, focal_point.pk))
    assert [entry.action for entry in page.context["history"]] == ["people.change"]


def test_an_admin_demoting_themself_is_refused_at_the_role(
    world: World, council_admin: User
) -> None:
    response = client_for(council_admin).post(
        _url("person", world, council_admin.pk),
        {
            "full_name": "Quản trị mới",
            "email": "quantri@snv.gov.vn",
            "unit": world.admin_unit.pk,
            "role": User.Role.FOCAL_POINT,
        },
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert list(form.errors) == ["role"]
    assert form["full_name"].value() == "Quản trị mới"
    council_admin.refresh_from_db()
    assert council_admin.role == User.Role.COUNCIL_ADMIN and council_admin.full_name == "quantri"


def test_deactivating_ends_the_persons_sessions(
    world: World, council_admin: User, focal_point: User
) -> None:
    their_session = client_for(focal_point)
    assert their_session.get(reverse("my-work")).status_code == 200
    admin = client_for(council_admin)
    response = admin.post(_url("person-deactivate", world, focal_point.pk))
    assert response.status_code == 302
    focal_point.refresh_from_db()
    assert not focal_point.is_active
    assert their_session.get(reverse("my-work")).status_code == 302  # to the login page
    assert _logs_in("daumoi", "mat-khau-thu-nghiem") is False
    admin.post(_url("person-reactivate", world, focal_point.pk))
    assert _logs_in("daumoi", "mat-khau-thu-nghiem") is True


def test_an_admin_cannot_deactivate_themself(world: World, council_admin: User) -> None:
    client = client_for(council_admin)
    page = client.get(_url("person", world, council_admin.pk)).content.decode()
    assert _url("person-deactivate", world, council_admin.pk) not in page
    response = client.post(_url("person-deactivate", world, council_admin.pk), follow=True)
    assert "Bạn không thể tự khóa tài khoản của mình" in response.content.decode()
    council_admin.refresh_from_db()
    assert council_admin.is_active


def test_the_admin_sends_a_new_link(world: World, council_admin: User, focal_point: User) -> None:
    client = client_for(council_admin)
    response = client.post(_url("person-password-link", world, focal_point.pk), follow=True)
    assert "chưa có địa chỉ thư điện tử" in response.content.decode()
    assert mail.outbox == []
    User.objects.filter(pk=focal_point.pk).update(email="daumoi@bqn.vn")
    client.post(_url("person-password-link", world, focal_point.pk))
    [message] = mail.outbox
    assert message.to == ["daumoi@bqn.vn"] and message.subject == "Đặt mật khẩu Thi đua"
    assert "mật khẩu hiện tại của bạn không thay đổi" in message.body
    focal_point.refresh_from_db()
    assert focal_point.check_password("mat-khau-thu-nghiem")  # unchanged until the link is used
    entry = AuditEntry.objects.get(context=f"user:{focal_point.pk}")
    assert (entry.action, entry.actor) == ("people.password_link", council_admin)
    assert "/password-reset/" not in entry.summary  # the link is never stored


def test_a_mail_server_down_keeps_the_account_and_says_so(
    world: World, council_admin: User, settings: object, monkeypatch: pytest.MonkeyPatch
) -> None:
    from django.core.mail.backends.locmem import EmailBackend

    def refuse(self: object, messages: object) -> int:
        raise ConnectionRefusedError("mail server down")

    monkeypatch.setattr(EmailBackend, "send_messages", refuse)
    response = client_for(council_admin).post(
        _url("person-new", world),
        {
            "username": "daumoi.bqn",
            "full_name": "Trần Thị Hoa",
            "email": "hoa@baoquangnam.vn",
            "unit": world.member.pk,
            "role": "focal_point",
        },
        follow=True,
    )
    person = User.objects.get(username="daumoi.bqn")
    assert "Chưa gửi được thư đặt mật khẩu" in response.content.decode()
    assert AuditEntry.objects.filter(
        context=f"user:{person.pk}", action="people.password_link_failed"
    ).exists()


def test_the_template_lists_the_open_units(world: World, council_admin: User) -> None:
    import io

    import openpyxl

    response = client_for(council_admin).get(_url("people-upload-template", world))
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == ["Tài khoản", "Đơn vị", "Hướng dẫn"]
    header = [cell.value for cell in book["Tài khoản"][1]]
    assert header == [
        "Tên đăng nhập",
        "Họ và tên",
        "Thư điện tử",
        "Mã đơn vị",
        "Tên đơn vị",
        "Vai trò",
        "Chức vụ",
    ]
    codes = {row[0] for row in book["Đơn vị"].iter_rows(min_row=2, values_only=True)}
    assert codes == {"SYT", "SGDDT", "BQN", "STP", "SNV"}


def test_the_menu_and_header_link_the_pages(world: World, council_admin: User) -> None:
    html = client_for(council_admin).get(reverse("my-work")).content.decode()
    assert f'href="{_url("people", world)}"' in html
    assert f'href="{reverse("password-change")}"' in html
