"""Two-factor sign-in (accounts/): who must use it, the pages in between, codes, recovery codes,
the admin's reset.

Every test here signs in through the login page with a password, never with ``force_login``
(which the suite's fixture marks as past the second step, tests/conftest.py)."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from django.contrib import admin
from django.test import Client
from django.urls import reverse
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts import access, services, twofactor
from accounts.middleware import OPEN_DURING_SIGN_IN
from blocs.models import AuditEntry, User
from tests.accounts.codes import key_from_page, next_code, totp
from tests.conftest import World, client_for
from tests.factories import CouncilFactory, UnitFactory
from tests.test_permissions import TABLE

pytestmark = pytest.mark.django_db

PASSWORD = "mat-khau-thu-nghiem"


def sign_in(username: str, next_url: str = "") -> tuple[Client, Any]:
    client = Client()
    url = reverse("login") + (f"?next={next_url}" if next_url else "")
    response = client.post(url, {"username": username, "password": PASSWORD})
    assert "_auth_user_id" in client.session, f"{username}: the password was refused"
    return client, response


def enrolled(person: User) -> tuple[TOTPDevice, list[str]]:
    """An authenticator and ten recovery codes, as the enrolment page makes them."""
    key = twofactor.new_key()
    return services.two_factor_enrol(person=person, key=key, step=-1)


def path_of(response: Any) -> str:
    return urlsplit(response["Location"]).path


def next_of(response: Any) -> str:
    return parse_qs(urlsplit(response["Location"]).query).get("next", [""])[0]


@pytest.fixture
def superuser(world: World) -> User:
    return User.objects.create_superuser(
        username="sieuquantri", password=PASSWORD, full_name="Siêu quản trị"
    )


# ---------------------------------------------------------------- who must use it


@pytest.mark.parametrize("persona", ["council_admin", "leader", "superuser"])
def test_admins_leaders_and_superusers_must_enrol_after_the_password(
    persona: str, request: pytest.FixtureRequest
) -> None:
    person: User = request.getfixturevalue(persona)
    assert access.requires_two_factor(person)
    _client, response = sign_in(person.username)
    assert response.status_code == 302
    assert path_of(response) == reverse("accounts:enrol")
    assert next_of(response) == reverse("my-work")


def test_a_focal_point_is_not_asked_for_a_second_step(focal_point: User) -> None:
    assert not access.requires_two_factor(focal_point)
    client, response = sign_in(focal_point.username)
    assert response["Location"] == reverse("my-work")
    assert client.get(reverse("my-work")).status_code == 200
    # The choice is there: the security page offers to turn it on.
    page = client.get(reverse("accounts:security"))
    assert page.context["device"] is None
    assert reverse("accounts:enrol") in page.content.decode()


def test_a_focal_point_who_turned_it_on_gets_the_code_page(focal_point: User) -> None:
    enrolled(focal_point)
    client, response = sign_in(focal_point.username, next_url="/dashboard/")
    assert path_of(response) == reverse("accounts:verify")
    assert next_of(response) == "/dashboard/"
    assert path_of(client.get(reverse("my-work"))) == reverse("accounts:verify")


def test_the_second_step_offers_only_itself_and_the_way_out(
    focal_point: User, leader: User
) -> None:
    """Between the password and the code, the header's search, notifications, name and
    password links would all lead back to the step: only signing out is offered."""
    enrolled(focal_point)
    verify, _response = sign_in(focal_point.username)
    enrol, _response = sign_in(leader.username)
    for client, name in ((verify, "accounts:verify"), (enrol, "accounts:enrol")):
        html = client.get(reverse(name)).content.decode()
        header = html.split("</header>")[0]
        assert 'role="search"' not in header
        assert reverse("notifications:list") not in header
        assert reverse("password-change") not in header
        assert reverse("logout") in header


def test_a_person_made_a_leader_while_signed_in_must_enrol_at_the_next_page(
    focal_point: User,
) -> None:
    client, _response = sign_in(focal_point.username)
    assert client.get(reverse("my-work")).status_code == 200
    User.objects.filter(pk=focal_point.pk).update(role=User.Role.LEADER)
    response = client.get(reverse("my-work"))
    assert path_of(response) == reverse("accounts:enrol")


# ---------------------------------------------------------------- nothing else until enrolled


def test_every_page_leads_to_enrolment_until_the_leader_enrols(
    awards_world: Any, leader: User
) -> None:
    client, _response = sign_in(leader.username)
    checked = 0
    for name, (build, method, _expected) in sorted(TABLE.items()):
        if name in OPEN_DURING_SIGN_IN:
            continue
        url = build(awards_world)
        response = getattr(client, method)(url)
        assert response.status_code == 302, (name, response.status_code)
        assert path_of(response) == reverse("accounts:enrol"), (name, response["Location"])
        assert next_of(response) == url, name
        checked += 1
    for url in ["/admin/", reverse("admin:blocs_user_changelist"), "/admin/login/"]:
        response = client.get(url)
        assert path_of(response) == reverse("accounts:enrol"), url
        checked += 1
    assert checked > 80
    # The pages of the way out and of the step itself stay open.
    assert client.get(reverse("healthz")).status_code == 200
    assert client.get(reverse("accounts:enrol")).status_code == 200
    # Enrolled: the same pages open.
    page = client.get(reverse("accounts:enrol"))
    key = key_from_page(page.context["key_text"])
    done = client.post(
        reverse("accounts:enrol") + "?next=/dashboard/",
        {"key": page.context["signed_key"], "code": totp(key)},
    )
    assert done.status_code == 200
    assert client.get(reverse("my-work")).status_code == 200
    assert client.get(reverse("dashboard")).status_code == 200


def test_the_django_admin_login_leads_to_the_second_step_too(council_admin: User) -> None:
    client = Client()
    response = client.post(
        reverse("admin:login") + "?next=/admin/",
        {"username": council_admin.username, "password": PASSWORD, "next": "/admin/"},
    )
    assert response["Location"] == "/admin/"
    response = client.get("/admin/")
    assert path_of(response) == reverse("accounts:enrol")
    assert next_of(response) == "/admin/"


def test_signing_out_stays_possible_before_the_second_step(leader: User) -> None:
    client, _response = sign_in(leader.username)
    response = client.post(reverse("logout"))
    assert response.status_code == 302
    assert "_auth_user_id" not in client.session


# ---------------------------------------------------------------- enrolment


def test_enrolment_shows_the_key_asks_a_first_code_then_ten_recovery_codes_once(
    leader: User,
) -> None:
    client, _response = sign_in(leader.username)
    page = client.get(reverse("accounts:enrol"))
    assert page.status_code == 200
    assert page["Cache-Control"].startswith("max-age=0")
    assert "no-store" in page["Cache-Control"]
    key = key_from_page(page.context["key_text"])
    assert len(key) == 40  # 20 random bytes
    html = page.content.decode()
    assert 'src="data:image/svg+xml;charset=utf-8,%3Csvg' in html
    assert "Mã QR để thêm Thi đua vào ứng dụng xác thực" in html
    assert re.search(r"([A-Z2-7]{4} ){7}[A-Z2-7]{4}", page.context["key_text"])
    # What the QR code holds: the same key, the issuer and the login name.
    url = twofactor.otpauth_url(key, leader)
    assert url.startswith("otpauth://totp/Th")
    assert "lanhdao" in url

    # A wrong code: refused at the field, the same key kept (it is in the app already).
    wrong = client.post(
        reverse("accounts:enrol"), {"key": page.context["signed_key"], "code": "000000"}
    )
    if totp(key) == "000000":  # one chance in a million
        pytest.skip("the right code was 000000")
    assert wrong.status_code == 200
    assert wrong.context["form"].errors["code"]
    assert key_from_page(wrong.context["key_text"]) == key
    assert not TOTPDevice.objects.filter(user=leader).exists()
    assert path_of(client.get(reverse("my-work"))) == reverse("accounts:enrol")

    # A key this server did not sign for this person is refused, and a new one shown.
    forged = client.post(reverse("accounts:enrol"), {"key": key, "code": totp(key)})
    assert forged.context["form"].errors["key"]
    assert key_from_page(forged.context["key_text"]) != key

    # The right code: the authenticator is saved, and the recovery codes shown, this once.
    right = client.post(
        reverse("accounts:enrol"), {"key": wrong.context["signed_key"], "code": totp(key)}
    )
    assert right.status_code == 200
    assert "no-store" in right["Cache-Control"]
    shown = right.context["codes"]
    assert len(shown) == 10
    assert all(re.fullmatch(r"[a-z2-7]{4}-[a-z2-7]{4}", code) for code in shown)
    stored = set(StaticToken.objects.filter(device__user=leader).values_list("token", flat=True))
    assert stored == {code.replace("-", "") for code in shown}
    device = TOTPDevice.objects.get(user=leader)
    assert device.confirmed and device.key == key
    assert AuditEntry.objects.filter(
        action="twofactor.enrol", actor=leader, context=f"account:{leader.pk}"
    ).exists()
    # Signed in fully now; the codes are not shown again anywhere.
    assert client.get(reverse("my-work")).status_code == 200
    security = client.get(reverse("accounts:security"))
    assert security.context["codes_left"] == 10
    assert shown[0] not in security.content.decode()
    assert client.get(reverse("accounts:enrol")).status_code == 302


def test_the_code_that_confirmed_enrolment_does_not_sign_in_again(leader: User) -> None:
    client, _response = sign_in(leader.username)
    page = client.get(reverse("accounts:enrol"))
    key = key_from_page(page.context["key_text"])
    code = totp(key)
    client.post(reverse("accounts:enrol"), {"key": page.context["signed_key"], "code": code})
    other, _response = sign_in(leader.username)
    again = other.post(reverse("accounts:verify"), {"code": code})
    assert again.status_code == 200
    assert again.context["form"].errors["code"]


# ---------------------------------------------------------------- the code page


def test_a_wrong_code_is_refused_and_the_right_one_accepted(leader: User) -> None:
    device, _codes = enrolled(leader)
    client, response = sign_in(leader.username, next_url="/dashboard/")
    verify_url = response["Location"]
    assert path_of(response) == reverse("accounts:verify")
    page = client.get(verify_url)
    assert page.status_code == 200
    assert "no-store" in page["Cache-Control"]

    right = next_code(device)
    wrong = "123456" if right != "123456" else "654321"
    refused = client.post(verify_url, {"code": wrong})
    assert refused.status_code == 200
    assert "Mã không đúng" in refused.context["form"].errors["code"][0]
    assert path_of(client.get(reverse("my-work"))) == reverse("accounts:verify")

    # Right away, even the right code waits: one wrong code costs a second (throttling).
    throttled = client.post(verify_url, {"code": right})
    assert "Hãy đợi" in throttled.context["form"].errors["code"][0]
    # A second later (the failure moved back in time rather than the test sleeping).
    device.refresh_from_db()
    assert device.throttling_failure_count == 1
    TOTPDevice.objects.filter(pk=device.pk).update(
        throttling_failure_timestamp=device.throttling_failure_timestamp - _seconds(2)
    )
    accepted = client.post(verify_url, {"code": f"{right[:3]} {right[3:]}"})
    assert accepted.status_code == 302
    assert accepted["Location"] == "/dashboard/"
    assert client.get(reverse("dashboard")).status_code == 200
    assert client.session[twofactor.SESSION_KEY] == twofactor.VERIFIED
    # django-otp knows which device was used.
    assert client.session["otp_device_id"] == device.persistent_id


def _seconds(count: int) -> Any:
    import datetime

    return datetime.timedelta(seconds=count)


def test_throttling_doubles_the_wait_after_each_wrong_code(leader: User) -> None:
    device, _codes = enrolled(leader)
    client, response = sign_in(leader.username)
    right = next_code(device)
    wrong = "111111" if right != "111111" else "222222"
    waits = []
    for _ in range(4):
        client.post(response["Location"], {"code": wrong})
        device.refresh_from_db()
        TOTPDevice.objects.filter(pk=device.pk).update(
            throttling_failure_timestamp=device.throttling_failure_timestamp - _seconds(100)
        )
        waits.append(device.throttling_failure_count)
    assert waits == [1, 2, 3, 4]
    # After four wrong codes, the next try waits 2³ = 8 seconds from the last failure.
    TOTPDevice.objects.filter(pk=device.pk).update(
        throttling_failure_timestamp=device.throttling_failure_timestamp
    )
    check = services.code_check(person=leader, code=right)
    assert not check.accepted
    assert 7 <= check.wait_seconds <= 8


def test_a_recovery_code_works_once(leader: User) -> None:
    _device, codes = enrolled(leader)
    client, response = sign_in(leader.username)
    typed = f" {codes[3][:4].upper()}-{codes[3][4:].upper()} "
    accepted = client.post(response["Location"], {"code": typed})
    assert accepted.status_code == 302
    page = client.get(reverse("my-work"))
    assert page.status_code == 200
    # The next page says how many are left.
    assert any("còn 9 mã" in str(message) for message in page.context["messages"])
    assert StaticToken.objects.filter(device__user=leader).count() == 9
    assert not StaticToken.objects.filter(token=codes[3]).exists()
    entry = AuditEntry.objects.get(action="twofactor.recovery-code-used")
    assert entry.actor == leader and "còn 9 mã" in entry.summary

    again, response = sign_in(leader.username)
    refused = again.post(response["Location"], {"code": codes[3]})
    assert refused.status_code == 200
    assert refused.context["form"].errors["code"]
    assert path_of(again.get(reverse("my-work"))) == reverse("accounts:verify")


def test_new_recovery_codes_replace_the_old_ones(leader: User) -> None:
    device, old = enrolled(leader)
    client, response = sign_in(leader.username)
    client.post(response["Location"], {"code": next_code(device)})
    refused = client.post(reverse("accounts:recovery-codes"), {"renew-code": "999999"})
    assert refused.status_code == 400
    assert refused.context["renew_form"].errors["code"]
    assert StaticToken.objects.filter(device__user=leader).count() == 10

    TOTPDevice.objects.filter(pk=device.pk).update(throttling_failure_timestamp=None)
    renewed = client.post(reverse("accounts:recovery-codes"), {"renew-code": next_code(device)})
    assert renewed.status_code == 200
    new = [code.replace("-", "") for code in renewed.context["codes"]]
    assert len(new) == 10 and not set(new) & set(old)
    assert AuditEntry.objects.filter(action="twofactor.recovery-codes", actor=leader).exists()

    other, response = sign_in(leader.username)
    assert other.post(response["Location"], {"code": old[0]}).status_code == 200
    StaticDevice.objects.filter(user=leader).update(throttling_failure_timestamp=None)
    assert other.post(response["Location"], {"code": new[0]}).status_code == 302


def test_a_focal_point_may_turn_it_off_a_leader_may_not(focal_point: User, leader: User) -> None:
    device, _codes = enrolled(focal_point)
    client, response = sign_in(focal_point.username)
    client.post(response["Location"], {"code": next_code(device)})
    response = client.post(reverse("accounts:turn-off"), {"off-code": next_code(device)})
    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=focal_point).exists()
    assert not StaticDevice.objects.filter(user=focal_point).exists()
    assert AuditEntry.objects.filter(action="twofactor.turn-off", actor=focal_point).exists()
    assert sign_in(focal_point.username)[1]["Location"] == reverse("my-work")

    leader_device, _codes = enrolled(leader)
    client, response = sign_in(leader.username)
    client.post(response["Location"], {"code": next_code(leader_device)})
    assert "Tắt xác thực hai bước" not in client.get(reverse("accounts:security")).content.decode()
    refused = client.post(reverse("accounts:turn-off"), {"off-code": next_code(leader_device)})
    assert refused.status_code == 403
    assert TOTPDevice.objects.filter(user=leader).exists()


# ---------------------------------------------------------------- the admin's reset


def test_an_admin_resets_a_persons_two_factor_and_it_is_audited(
    council_admin: User, leader: User
) -> None:
    enrolled(leader)
    changelist = reverse("admin:blocs_user_changelist")
    admin_client = client_for(council_admin)
    page = admin_client.get(changelist)
    assert "reset_two_factor" in page.content.decode()
    response = admin_client.post(
        changelist, {"action": "reset_two_factor", "_selected_action": [leader.pk]}
    )
    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=leader).exists()
    assert not StaticDevice.objects.filter(user=leader).exists()
    entry = AuditEntry.objects.get(action="twofactor.reset")
    assert entry.actor == council_admin
    assert entry.context == f"account:{leader.pk}"
    assert "lanhdao" in entry.summary
    # The entry is in the admin's own view of the audit trail.
    trail = admin_client.get(reverse("admin:blocs_auditentry_changelist"))
    assert "lanhdao" in trail.content.decode()
    # The leader enrols again at the next sign-in.
    assert path_of(sign_in(leader.username)[1]) == reverse("accounts:enrol")


def test_an_admin_cannot_reset_someone_of_another_council(
    council_admin: User, world: World
) -> None:
    elsewhere = UnitFactory.create(council=CouncilFactory.create(code="DNG"))
    stranger = User.objects.create_user(
        username="nguoingoai", password=PASSWORD, unit=elsewhere, role=User.Role.LEADER
    )
    enrolled(stranger)
    assert not access.can_reset_two_factor(council_admin, stranger)
    client_for(council_admin).post(
        reverse("admin:blocs_user_changelist"),
        {"action": "reset_two_factor", "_selected_action": [stranger.pk]},
    )
    assert TOTPDevice.objects.filter(user=stranger).exists()
    assert not AuditEntry.objects.filter(action="twofactor.reset").exists()


def test_a_reset_during_the_code_page_sends_the_person_to_enrolment(leader: User) -> None:
    enrolled(leader)
    client, response = sign_in(leader.username)
    services.two_factor_remove(person=leader, by=leader)
    again = client.get(response["Location"])
    assert path_of(again) == reverse("accounts:enrol")


def test_the_admin_shows_who_has_it_and_never_the_secrets(
    council_admin: User, leader: User
) -> None:
    enrolled(leader)
    assert TOTPDevice not in admin.site._registry
    assert StaticDevice not in admin.site._registry
    page = client_for(council_admin).get(reverse("admin:blocs_user_changelist"))
    rows = {user.username: user.has_two_factor for user in page.context["cl"].result_list}
    assert rows["lanhdao"] is True and rows["quantri"] is False
