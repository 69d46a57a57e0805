"""Passwords: "Quên mật khẩu?" by e-mail (Django's views and token), the whole reset, the
change page of a signed-in person, and the login throttling around them."""

from __future__ import annotations

import datetime
import re

import pytest
from axes.models import AccessAttempt
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from blocs.models import AuditEntry, ResetRequest, User
from blocs.people import throttle
from tests.conftest import client_for

pytestmark = pytest.mark.django_db

OFFICE = "203.113.10.20"
PASSWORD = "mat-khau-thu-nghiem"
NEW = "Mot-mat-khau-moi-2025"
SITE = "https://thidua.quangnam.gov.vn"
LINK = re.compile(re.escape(SITE) + r"(/password-reset/[^/\s]+/[^/\s]+/)")


@pytest.fixture(autouse=True)
def _site(settings: object) -> None:
    settings.SITE_URL = SITE  # type: ignore[attr-defined]


@pytest.fixture
def person(focal_point: User) -> User:
    User.objects.filter(pk=focal_point.pk).update(email="daumoi@baoquangnam.vn")
    focal_point.refresh_from_db()
    return focal_point


def _login(username: str, password: str) -> tuple[Client, int]:
    client = Client()
    response = client.post(
        reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=OFFICE
    )
    return client, response.status_code


def _ask(email: str) -> object:
    return Client().post(reverse("password-reset"), {"email": email})


def _link() -> str:
    [message] = mail.outbox
    found = LINK.search(str(message.body))
    assert found, message.body
    return found.group(1)


def test_the_reset_page_is_vietnamese(db: None) -> None:
    html = Client().get(reverse("password-reset")).content.decode()
    assert "<h1>Quên mật khẩu</h1>" in html and 'lang="vi"' in html
    assert 'autocomplete="email"' in html


def test_the_answer_never_says_whether_the_address_has_an_account(person: User) -> None:
    known = _ask("DauMoi@BaoQuangNam.vn")  # any case
    assert len(mail.outbox) == 1
    unknown = _ask("khong-ai@baoquangnam.vn")
    assert len(mail.outbox) == 1
    assert known.status_code == unknown.status_code == 302  # type: ignore[attr-defined]
    assert known["Location"] == unknown["Location"] == reverse("password-reset-sent")  # type: ignore[index]
    page = Client().get(reverse("password-reset-sent")).content.decode()
    assert "Nếu địa chỉ bạn nhập thuộc một tài khoản đang hoạt động" in page


def test_the_email_carries_a_link_on_the_sites_address(person: User) -> None:
    _ask("daumoi@baoquangnam.vn")
    [message] = mail.outbox
    assert message.to == ["daumoi@baoquangnam.vn"]
    assert message.subject == "Đặt lại mật khẩu Thi đua"
    assert "Tên đăng nhập: daumoi" in message.body
    assert "trong 3 ngày" in message.body
    assert "testserver" not in message.body  # never the address the request came to
    assert _link().startswith("/password-reset/")


def test_a_locked_or_passwordless_account_gets_no_email(person: User) -> None:
    User.objects.filter(pk=person.pk).update(is_active=False)
    _ask("daumoi@baoquangnam.vn")
    User.objects.filter(pk=person.pk).update(is_active=True, password="!unusable")
    _ask("daumoi@baoquangnam.vn")
    assert mail.outbox == []


def test_a_bad_address_is_refused_at_the_field_and_kept(db: None) -> None:
    response = Client().post(reverse("password-reset"), {"email": "daumoi@"})
    assert response.status_code == 200
    assert list(response.context["form"].errors) == ["email"]
    assert 'value="daumoi@"' in response.content.decode()


def test_the_whole_reset(person: User) -> None:
    _ask("daumoi@baoquangnam.vn")
    browser = Client()
    opened = browser.get(_link())
    # The token leaves the address at once (it would leak in the Referer otherwise).
    assert opened.status_code == 302
    assert opened["Location"].endswith("/set-password/")
    form_url = opened["Location"]
    page = browser.get(form_url)
    assert page.context["validlink"] and "Đặt mật khẩu mới" in page.content.decode()
    weak = browser.post(form_url, {"new_password1": "12345678", "new_password2": "12345678"})
    # The rules' reasons are at the field where the password was typed.
    assert "new_password1" in weak.context["form"].errors
    assert "new_password2" not in weak.context["form"].errors
    like_login = browser.post(form_url, {"new_password1": "daumoi", "new_password2": "daumoi"})
    assert "Mật khẩu quá giống tên đăng nhập." in like_login.context["form"].errors["new_password1"]
    mismatch = browser.post(form_url, {"new_password1": NEW, "new_password2": NEW + "x"})
    assert mismatch.context["form"].errors["new_password2"] == [
        "Hai mật khẩu mới không giống nhau; hãy nhập lại cả hai."
    ]
    done = browser.post(form_url, {"new_password1": NEW, "new_password2": NEW})
    assert done.status_code == 302 and done["Location"] == reverse("password-reset-complete")
    assert "_auth_user_id" not in browser.session  # signs in on the login page, not here
    assert "Đã đặt mật khẩu" in browser.get(done["Location"]).content.decode()
    assert _login("daumoi", PASSWORD)[1] == 200  # the old password no longer works
    assert _login("daumoi", NEW)[1] == 302
    entry = AuditEntry.objects.get(context=f"user:{person.pk}", action="people.password_reset")
    assert entry.actor == person and entry.changes == {"password": ["***", "***"]}
    # The link worked once.
    assert not Client().get(_link(), follow=True).context["validlink"]


def test_a_wrong_link_says_so(person: User) -> None:
    page = (
        Client()
        .get(reverse("password-reset-confirm", args=["MQ", "abc-123"]), follow=True)
        .content.decode()
    )
    assert "Liên kết không còn dùng được" in page
    assert reverse("password-reset") in page


def test_a_reset_lets_a_locked_out_person_in_at_once(person: User) -> None:
    for _ in range(5):
        _login("daumoi", "sai-mat-khau")
    assert _login("daumoi", PASSWORD)[1] == 429  # the throttling still works
    assert AccessAttempt.objects.filter(username="daumoi").exists()
    _ask("daumoi@baoquangnam.vn")
    browser = Client()
    form_url = browser.get(_link())["Location"]
    browser.post(form_url, {"new_password1": NEW, "new_password2": NEW})
    assert not AccessAttempt.objects.filter(username="daumoi").exists()
    assert _login("daumoi", NEW)[1] == 302
    # And it locks again after five more wrong passwords.
    for _ in range(5):
        _login("daumoi", "sai-mat-khau")
    assert _login("daumoi", NEW)[1] == 429


def test_the_change_page_needs_a_signed_in_person(db: None) -> None:
    response = Client().get(reverse("password-change"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_a_signed_in_person_changes_their_password(person: User) -> None:
    here = client_for(person)
    elsewhere = client_for(person)
    page = here.get(reverse("password-change")).content.decode()
    assert "<h1>Đổi mật khẩu</h1>" in page
    wrong = here.post(
        reverse("password-change"),
        {"old_password": "sai", "new_password1": NEW, "new_password2": NEW},
    )
    assert wrong.context["form"].errors["old_password"] == [
        "Mật khẩu hiện tại không đúng; hãy nhập lại."
    ]
    done = here.post(
        reverse("password-change"),
        {"old_password": PASSWORD, "new_password1": NEW, "new_password2": NEW},
    )
    assert done.status_code == 302 and done["Location"] == reverse("password-change-done")
    assert here.get(reverse("my-work")).status_code == 200  # this session stays
    assert elsewhere.get(reverse("my-work")).status_code == 302  # the others end
    person.refresh_from_db()
    assert person.check_password(NEW)
    entry = AuditEntry.objects.get(context=f"user:{person.pk}")
    assert (entry.action, entry.actor) == ("people.password_change", person)
    assert "Đã đổi mật khẩu" in here.get(reverse("password-change-done")).content.decode()


def test_the_lockout_page_offers_the_reset(person: User) -> None:
    for _ in range(5):
        response = Client().post(
            reverse("login"), {"username": "daumoi", "password": "sai"}, REMOTE_ADDR=OFFICE
        )
    assert response.status_code == 429
    assert f'href="{reverse("password-reset")}"' in response.content.decode()


def _ask_from(email: str, address: str) -> object:
    return Client().post(reverse("password-reset"), {"email": email}, REMOTE_ADDR=address)


def test_one_address_gets_three_emails_an_hour_and_the_same_answer_after(person: User) -> None:
    answers = [_ask_from("daumoi@baoquangnam.vn", f"10.0.0.{n}") for n in range(5)]
    assert len(mail.outbox) == throttle.PER_ADDRESS == 3
    # The fourth and fifth are answered exactly like the first: nothing tells them apart.
    assert {answer["Location"] for answer in answers} == {reverse("password-reset-sent")}  # type: ignore[index]
    # The address is never stored as typed.
    assert not ResetRequest.objects.filter(address__icontains="daumoi").exists()
    # An hour later the person may ask again.
    ResetRequest.objects.update(at=timezone.now() - datetime.timedelta(minutes=61))
    _ask_from("daumoi@baoquangnam.vn", OFFICE)
    assert len(mail.outbox) == 4


def test_a_machine_asking_too_often_is_refused_with_the_time_and_keeps_the_address(
    person: User,
) -> None:
    for n in range(throttle.PER_CLIENT):
        _ask_from(f"nguoi{n}@baoquangnam.vn", OFFICE)
    response = _ask_from("daumoi@baoquangnam.vn", OFFICE)
    assert response.status_code == 429  # type: ignore[attr-defined]
    html = response.content.decode()  # type: ignore[attr-defined]
    assert "quá nhiều lần trong một giờ" in html
    assert 'value="daumoi@baoquangnam.vn"' in html
    assert mail.outbox == []
    # Another machine is not held back, and the refused request was not counted.
    _ask_from("daumoi@baoquangnam.vn", "10.9.9.9")
    assert len(mail.outbox) == 1
    assert ResetRequest.objects.filter(client=OFFICE).count() == throttle.PER_CLIENT


def test_requests_older_than_a_day_are_deleted(person: User) -> None:
    _ask_from("khong-ai@baoquangnam.vn", OFFICE)
    ResetRequest.objects.update(at=timezone.now() - datetime.timedelta(days=2))
    _ask_from("daumoi@baoquangnam.vn", OFFICE)
    assert ResetRequest.objects.count() == 1


def test_the_rule_on_times_alone() -> None:
    now = timezone.now()
    minutes = [now - datetime.timedelta(minutes=m) for m in (50, 30, 10)]
    assert throttle.decide(by_address=minutes[:2], by_client=[]).send
    assert not throttle.decide(by_address=minutes, by_client=[]).send
    many = [now - datetime.timedelta(minutes=m) for m in range(10, 60, 5)]
    verdict = throttle.decide(by_address=[], by_client=many)
    assert not verdict.send and verdict.refused_until == many[-1] + throttle.WINDOW
