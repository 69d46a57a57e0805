"""Login throttling (django-axes): a username is locked from one address, never a whole office.

Offices share one NAT address, so five wrong passwords lock *that username from that address*;
colleagues behind the same address and the same person at home still log in.
"""

from __future__ import annotations

import datetime
import re
from typing import Any

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from blocs.models import User

OFFICE = "203.113.10.20"
HOME = "14.160.1.2"
PASSWORD = "mat-khau-thu-nghiem"


def _login(username: str, password: str, address: str) -> tuple[Client, Any]:
    client = Client()
    response = client.post(
        reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=address
    )
    return client, response


def _fail(username: str, address: str, times: int) -> Any:
    response: Any = None
    for _ in range(times):
        _client, response = _login(username, "sai-mat-khau", address)
    return response


def _logged_in(client: Client) -> bool:
    return "_auth_user_id" in client.session


def test_the_limit_is_five_failures_by_username_and_address() -> None:
    assert settings.AXES_FAILURE_LIMIT == 5
    assert settings.AXES_LOCKOUT_PARAMETERS == [["username", "ip_address"]]
    assert settings.AXES_RESET_ON_SUCCESS is True


def test_four_failures_still_let_the_person_in(secretariat: User) -> None:
    _fail("thuky", OFFICE, 4)
    client, _response = _login("thuky", PASSWORD, OFFICE)
    assert _logged_in(client)


def test_five_failures_lock_that_username_from_that_address(secretariat: User) -> None:
    response = _fail("thuky", OFFICE, 5)
    assert response.status_code == 429
    client, locked = _login("thuky", PASSWORD, OFFICE)
    assert locked.status_code == 429
    assert not _logged_in(client)


def test_the_locked_page_is_vietnamese_and_says_when_to_try_again(secretariat: User) -> None:
    response = _fail("thuky", OFFICE, 5)
    page = response.content.decode()
    assert "Tạm khóa đăng nhập" in page
    assert "Hãy thử lại sau 15 phút" in page
    now = timezone.localtime(timezone.now())
    # The lock ends 15 minutes after the last wrong password (allow for a minute boundary).
    expected = {
        f"từ {moment:%H:%M} ngày {moment:%d/%m/%Y}"
        for moment in (now + datetime.timedelta(minutes=delta) for delta in (14, 15, 16))
    }
    shown = re.search(r"từ \d\d:\d\d ngày \d\d/\d\d/\d{4}", page)
    assert shown is not None, page
    assert shown.group(0) in expected
    assert 14 * 60 <= int(response["Retry-After"]) <= 15 * 60
    assert "Các tài khoản khác trong cùng cơ quan vẫn đăng nhập bình thường." in page


def test_a_colleague_behind_the_same_address_is_not_locked(
    secretariat: User, focal_point: User
) -> None:
    _fail("thuky", OFFICE, 6)
    client, response = _login("daumoi", PASSWORD, OFFICE)
    assert response.status_code == 302
    assert _logged_in(client)


def test_the_same_username_from_another_address_is_not_locked(secretariat: User) -> None:
    _fail("thuky", OFFICE, 6)
    client, response = _login("thuky", PASSWORD, HOME)
    assert response.status_code == 302
    assert _logged_in(client)


def test_a_successful_login_resets_the_count(secretariat: User) -> None:
    _fail("thuky", OFFICE, 4)
    client, _response = _login("thuky", PASSWORD, OFFICE)
    assert _logged_in(client)
    response = _fail("thuky", OFFICE, 4)
    assert response.status_code == 200  # the form again, with its error: not locked
    client, _response = _login("thuky", PASSWORD, OFFICE)
    assert _logged_in(client)


def test_the_lock_ends_after_the_cool_off(secretariat: User) -> None:
    _fail("thuky", OFFICE, 5)
    AccessAttempt.objects.update(attempt_time=timezone.now() - datetime.timedelta(minutes=16))
    client, response = _login("thuky", PASSWORD, OFFICE)
    assert response.status_code == 302
    assert _logged_in(client)


def test_failed_attempts_keep_neither_the_password_nor_the_csrf_token(secretariat: User) -> None:
    client = Client(enforce_csrf_checks=True)
    client.get(reverse("login"))
    token = client.cookies["csrftoken"].value
    client.post(
        reverse("login"),
        {"username": "thuky", "password": "bi-mat-rat-rieng", "csrfmiddlewaretoken": token},
        REMOTE_ADDR=OFFICE,
    )
    stored = AccessAttempt.objects.get().post_data
    assert "bi-mat-rat-rieng" not in stored
    assert token not in stored


@pytest.mark.parametrize(
    ("password", "problem"),
    [
        ("ngan1234", "cần ít nhất 10 ký tự"),
        ("1234567890123", "toàn là số"),
        ("password123", "quá phổ biến"),
        ("nguyenthanhthuy1", "quá giống họ và tên"),
        ("Nguyễn Thanh Thủy", "quá giống họ và tên"),
    ],
)
def test_weak_passwords_are_refused(secretariat: User, password: str, problem: str) -> None:
    secretariat.full_name = "Nguyễn Thanh Thủy"
    with translation.override("vi"), pytest.raises(ValidationError) as error:
        validate_password(password, user=secretariat)
    assert problem in " ".join(error.value.messages), error.value.messages


def test_a_long_uncommon_password_is_accepted(secretariat: User) -> None:
    validate_password("Hoa-sen-nở-giữa-hồ-2021", user=secretariat)


PRODUCTION_HASHERS = [
    "common.passwords.Argon2idHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]


def test_passwords_are_stored_with_argon2id_at_64_mib_and_one_lane(
    settings: Any, secretariat: User
) -> None:
    settings.PASSWORD_HASHERS = PRODUCTION_HASHERS
    user = secretariat
    user.set_password(PASSWORD)
    algorithm, variant, version, parameters, _salt, _hash = user.password.split("$")
    assert (algorithm, variant, version) == ("argon2", "argon2id", "v=19")
    assert parameters == "m=65536,t=2,p=1"
    assert user.check_password(PASSWORD)
    assert not user.check_password(PASSWORD + "x")


def test_an_older_pbkdf2_password_still_logs_in_and_is_rewritten_with_argon2id(
    settings: Any, secretariat: User
) -> None:
    settings.PASSWORD_HASHERS = PRODUCTION_HASHERS
    user = secretariat
    user.password = make_password(PASSWORD, hasher="pbkdf2_sha256")
    user.save(update_fields=["password"])
    client, _response = _login("thuky", PASSWORD, OFFICE)
    assert _logged_in(client)
    user.refresh_from_db()
    assert user.password.startswith("argon2$argon2id$v=19$m=65536,t=2,p=1$")


# ---------------------------------------------------------------- behind the load balancer

BALANCER = "10.0.0.5"


def _login_through(username: str, password: str, forwarded: str) -> tuple[Client, Any]:
    """A login as the documented deployment sees it: from the balancer's address, with the
    client's in X-Forwarded-For."""
    client = Client()
    response = client.post(
        reverse("login"),
        {"username": username, "password": password},
        REMOTE_ADDR=BALANCER,
        HTTP_X_FORWARDED_FOR=forwarded,
    )
    return client, response


def test_behind_one_proxy_a_person_is_locked_from_their_own_address_only(
    secretariat: User, settings: Any
) -> None:
    settings.PROXY_COUNT = 1
    for _ in range(5):
        _login_through("thuky", "sai-mat-khau", HOME)
    # Locked from HOME, by username and address …
    _client, response = _login_through("thuky", PASSWORD, HOME)
    assert response.status_code == 429
    assert AccessAttempt.objects.get(username="thuky").ip_address == HOME
    # … while the same person from the office, through the same balancer, still logs in.
    client, _response = _login_through("thuky", PASSWORD, OFFICE)
    assert _logged_in(client)


def test_a_forged_forwarded_address_cannot_lock_someone_elses_address(
    secretariat: User, settings: Any
) -> None:
    """The client writes what it likes at the left of X-Forwarded-For; only what our proxy
    appended counts, so the attempts land on the attacker's own address."""
    settings.PROXY_COUNT = 1
    for _ in range(5):
        _login_through("thuky", "sai-mat-khau", f"{OFFICE}, {HOME}")
    client, _response = _login_through("thuky", PASSWORD, OFFICE)
    assert _logged_in(client)
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {HOME}


def test_behind_two_proxies_the_client_is_the_second_from_the_right(settings: Any) -> None:
    from django.test import RequestFactory

    from common.client_ip import client_ip

    settings.PROXY_COUNT = 2
    request = RequestFactory().get(
        "/", REMOTE_ADDR=BALANCER, HTTP_X_FORWARDED_FOR=f"1.2.3.4, {HOME}, 10.0.0.9"
    )
    assert client_ip(request) == HOME
    # Fewer hops than proxies (a direct request to an app server): its own address.
    direct = RequestFactory().get("/", REMOTE_ADDR="10.0.0.9", HTTP_X_FORWARDED_FOR=HOME)
    assert client_ip(direct) == "10.0.0.9"
    # Rubbish in the header: the proxy's address, never the rubbish.
    junk = RequestFactory().get("/", REMOTE_ADDR=BALANCER, HTTP_X_FORWARDED_FOR="x, <script>, y")
    assert client_ip(junk) == BALANCER
    settings.PROXY_COUNT = 0
    assert client_ip(request) == BALANCER  # no proxy trusted: the header is ignored
