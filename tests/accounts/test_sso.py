"""Single sign-on with the province's central login (accounts/sso.py).

The province's server cannot run here: ``FakeProvince`` answers the HTTP calls that
mozilla-django-oidc makes with ``requests`` (the token, the signing keys, the user's claims),
with an ID token signed by an RSA key made for the test, exactly as a real provider signs it.
The browser's side — the button, the round trip's state and nonce, the callback — goes through
the real pages."""

from __future__ import annotations

import json
import time
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qs, urlsplit

import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import rsa
from django.conf import settings as django_settings
from django.test import Client
from django.urls import reverse

from accounts import twofactor
from blocs.models import User
from tests.accounts.test_two_factor import PASSWORD, enrolled, path_of, sign_in

pytestmark = pytest.mark.django_db

PROVINCE = "https://sso.quangnam.example"
CLIENT_ID = "thidua"
KEY = rsa.generate_private_key(public_exponent=65537, key_size=2048)


@dataclass
class Response:
    status_code: int
    body: Any
    url: str = ""
    headers: dict[str, str] = field(default_factory=lambda: {"content-type": "application/json"})

    def json(self) -> Any:
        return self.body

    @property
    def text(self) -> str:
        return json.dumps(self.body)

    def raise_for_status(self) -> None:
        if self.status_code >= 400:
            raise RuntimeError(f"HTTP {self.status_code}")


@dataclass
class FakeProvince:
    """The province's token, keys and user-info endpoints, for one sign-in at a time."""

    claims: dict[str, Any] = field(default_factory=dict)  # what user-info says
    id_token_extra: dict[str, Any] = field(default_factory=dict)  # amr, acr, aud …
    nonce: str = ""
    code: str = "ma-mot-lan"
    calls: list[str] = field(default_factory=list)

    def id_token(self) -> str:
        now = int(time.time())
        payload = {
            "iss": PROVINCE,
            "sub": self.claims.get("sub", "cb-001"),
            "aud": CLIENT_ID,
            "iat": now,
            "exp": now + 300,
            "nonce": self.nonce,
            **self.id_token_extra,
        }
        return jwt.encode(payload, KEY, algorithm="RS256", headers={"kid": "khoa-1"})

    def post(self, url: str, data: dict[str, Any], **kwargs: Any) -> Response:
        self.calls.append(f"POST {url}")
        assert url == f"{PROVINCE}/token"
        assert data["code"] == self.code and data["client_id"] == CLIENT_ID
        assert data["redirect_uri"] == "http://testserver" + reverse("accounts:sso-callback")
        assert data["code_verifier"]  # PKCE
        assert kwargs["timeout"] == 10.0
        body = {"access_token": "the-access-token", "id_token": self.id_token()}
        return Response(200, body, url)

    def get(self, url: str, **kwargs: Any) -> Response:
        self.calls.append(f"GET {url}")
        if url == f"{PROVINCE}/jwks":
            jwk = json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(KEY.public_key()))
            return Response(200, {"keys": [{**jwk, "kid": "khoa-1", "alg": "RS256"}]}, url)
        assert url == f"{PROVINCE}/userinfo"
        assert kwargs["headers"]["Authorization"] == "Bearer the-access-token"
        return Response(200, {"sub": "cb-001", **self.claims}, url)


@pytest.fixture
def province(settings: Any, monkeypatch: pytest.MonkeyPatch) -> FakeProvince:
    """The province's login configured as the OIDC_* variables would configure it."""
    settings.OIDC_ENABLED = True
    settings.OIDC_RP_CLIENT_ID = CLIENT_ID
    settings.OIDC_RP_CLIENT_SECRET = "bi-mat"
    settings.OIDC_OP_AUTHORIZATION_ENDPOINT = f"{PROVINCE}/authorize"
    settings.OIDC_OP_TOKEN_ENDPOINT = f"{PROVINCE}/token"
    settings.OIDC_OP_USER_ENDPOINT = f"{PROVINCE}/userinfo"
    settings.OIDC_OP_JWKS_ENDPOINT = f"{PROVINCE}/jwks"
    settings.OIDC_OP_ISSUER = PROVINCE
    settings.AUTHENTICATION_BACKENDS = [
        *settings.AUTHENTICATION_BACKENDS,
        "accounts.sso.ProvinceLoginBackend",
    ]
    fake = FakeProvince()
    monkeypatch.setattr("mozilla_django_oidc.auth.requests.post", fake.post)
    monkeypatch.setattr("mozilla_django_oidc.auth.requests.get", fake.get)
    return fake


def round_trip(fake: FakeProvince, next_url: str = "/dashboard/") -> tuple[Client, Any]:
    """The button on the login page, the province (faked), and the way back."""
    client = Client()
    login = client.get(reverse("login") + f"?next={next_url}")
    assert "Đăng nhập bằng tài khoản tỉnh" in login.content.decode()
    start = client.post(reverse("accounts:sso-start") + f"?next={next_url}")
    assert start.status_code == 302
    sent = urlsplit(start["Location"])
    assert f"{sent.scheme}://{sent.netloc}{sent.path}" == f"{PROVINCE}/authorize"
    asked = {name: values[0] for name, values in parse_qs(sent.query).items()}
    assert asked["client_id"] == CLIENT_ID and asked["scope"] == django_settings.OIDC_RP_SCOPES
    assert asked["code_challenge_method"] == "S256"
    fake.nonce = asked["nonce"]
    back = client.get(
        reverse("accounts:sso-callback"), {"code": fake.code, "state": asked["state"]}
    )
    return client, back


def messages_of(client: Client) -> str:
    page = client.get(reverse("login"))
    return " ".join(str(message) for message in page.context["messages"])


# ---------------------------------------------------------------- mapping to an account


def test_the_province_login_signs_in_the_account_with_that_verified_email(
    province: FakeProvince, focal_point: User
) -> None:
    User.objects.filter(pk=focal_point.pk).update(email="DauMoi@BaoQuangNam.vn")
    province.claims = {"email": "daumoi@baoquangnam.vn", "email_verified": True}
    client, back = round_trip(province)
    assert back.status_code == 302
    assert back["Location"] == "/dashboard/"
    assert int(client.session["_auth_user_id"]) == focal_point.pk
    assert client.session["_auth_user_backend"] == "accounts.sso.ProvinceLoginBackend"
    # The next pages load the person as after a password (unit, council, notifications).
    page = client.get(reverse("my-work"))
    assert page.status_code == 200
    assert page.context["user"].unit == focal_point.unit
    assert f"GET {PROVINCE}/jwks" in province.calls


def test_an_unknown_person_is_refused_and_no_account_is_made(
    province: FakeProvince, focal_point: User
) -> None:
    before = User.objects.count()
    province.claims = {"email": "nguoila@quangnam.gov.vn", "email_verified": True}
    client, back = round_trip(province)
    assert path_of(back) == reverse("login")
    assert "_auth_user_id" not in client.session
    assert User.objects.count() == before
    assert "chưa gắn với tài khoản nào trong Thi đua" in messages_of(client)


def test_an_address_the_province_did_not_verify_is_refused(
    province: FakeProvince, focal_point: User
) -> None:
    User.objects.filter(pk=focal_point.pk).update(email="daumoi@baoquangnam.vn")
    province.claims = {"email": "daumoi@baoquangnam.vn", "email_verified": False}
    client, _back = round_trip(province)
    assert "_auth_user_id" not in client.session
    assert "chưa xác nhận địa chỉ e-mail" in messages_of(client)


def test_two_accounts_with_one_address_are_refused(
    province: FakeProvince, focal_point: User, secretariat: User
) -> None:
    User.objects.filter(pk__in=[focal_point.pk, secretariat.pk]).update(email="chung@qna.vn")
    province.claims = {"email": "chung@qna.vn", "email_verified": True}
    client, _back = round_trip(province)
    assert "_auth_user_id" not in client.session
    assert "khớp với nhiều tài khoản" in messages_of(client)


def test_a_configured_claim_is_matched_to_the_login_name(
    province: FakeProvince, settings: Any, focal_point: User
) -> None:
    settings.OIDC_MATCH_CLAIM = "preferred_username"
    settings.OIDC_RP_SCOPES = "openid profile"
    province.claims = {"preferred_username": "daumoi", "email": "khac@qna.vn"}
    client, _back = round_trip(province)
    assert int(client.session["_auth_user_id"]) == focal_point.pk


def test_an_inactive_account_is_not_signed_in(province: FakeProvince, focal_point: User) -> None:
    User.objects.filter(pk=focal_point.pk).update(email="daumoi@qna.vn", is_active=False)
    province.claims = {"email": "daumoi@qna.vn", "email_verified": True}
    client, _back = round_trip(province)
    assert "_auth_user_id" not in client.session


def test_a_token_meant_for_another_site_is_refused(
    province: FakeProvince, focal_point: User
) -> None:
    User.objects.filter(pk=focal_point.pk).update(email="daumoi@qna.vn")
    province.claims = {"email": "daumoi@qna.vn", "email_verified": True}
    province.id_token_extra = {"aud": "another-app"}
    client, _back = round_trip(province)
    assert "_auth_user_id" not in client.session
    province.id_token_extra = {"iss": "https://gia-mao.example"}
    client, _back = round_trip(province)
    assert "_auth_user_id" not in client.session


# ---------------------------------------------------------------- and the second step


def test_a_leader_from_the_province_login_without_its_mfa_enrols_here(
    province: FakeProvince, leader: User
) -> None:
    User.objects.filter(pk=leader.pk).update(email="lanhdao@qna.vn")
    province.claims = {"email": "lanhdao@qna.vn", "email_verified": True}
    province.id_token_extra = {"amr": ["pwd"]}
    client, back = round_trip(province)
    assert path_of(back) == reverse("accounts:enrol")
    assert path_of(client.get(reverse("my-work"))) == reverse("accounts:enrol")


def test_a_leader_with_an_authenticator_types_the_code_after_the_province_login(
    province: FakeProvince, leader: User
) -> None:
    enrolled(leader)
    User.objects.filter(pk=leader.pk).update(email="lanhdao@qna.vn")
    province.claims = {"email": "lanhdao@qna.vn", "email_verified": True}
    _client, back = round_trip(province)
    assert path_of(back) == reverse("accounts:verify")


def test_the_province_logins_own_second_factor_is_trusted_when_its_token_says_so(
    province: FakeProvince, settings: Any, leader: User
) -> None:
    User.objects.filter(pk=leader.pk).update(email="lanhdao@qna.vn")
    province.claims = {"email": "lanhdao@qna.vn", "email_verified": True}
    province.id_token_extra = {"amr": ["pwd", "otp", "mfa"]}
    client, back = round_trip(province)
    assert back["Location"] == "/dashboard/"
    assert client.session[twofactor.SESSION_KEY] == twofactor.VERIFIED
    assert client.get(reverse("dashboard")).status_code == 200
    # An acr level, when the province documents one.
    settings.OIDC_MFA_ACR_VALUES = ["urn:quangnam:loa:3"]
    province.id_token_extra = {"acr": "urn:quangnam:loa:3"}
    client, back = round_trip(province)
    assert back["Location"] == "/dashboard/"
    province.id_token_extra = {"acr": "urn:quangnam:loa:1"}
    client, back = round_trip(province)
    assert path_of(back) == reverse("accounts:enrol")


# ---------------------------------------------------------------- alongside passwords, or off


def test_passwords_keep_working_beside_the_province_login(
    province: FakeProvince, focal_point: User
) -> None:
    client, response = sign_in(focal_point.username)
    assert response["Location"] == reverse("my-work")
    assert client.session["_auth_user_backend"] == "portal.auth.UnitAwareBackend"
    assert province.calls == []


def test_without_configuration_there_is_no_button_and_no_province_pages(
    focal_point: User,
) -> None:
    client = Client()
    page = client.get(reverse("login"))
    assert "tài khoản tỉnh" not in page.content.decode()
    assert client.post(reverse("accounts:sso-start")).status_code == 404
    assert (
        client.get(reverse("accounts:sso-callback"), {"code": "x", "state": "y"}).status_code == 404
    )
    response = client.post(reverse("login"), {"username": "daumoi", "password": PASSWORD})
    assert response["Location"] == reverse("my-work")


def test_six_refused_province_logins_lock_nobody_out(
    province: FakeProvince, focal_point: User
) -> None:
    """A refused sign-in at the province's door counts as a failure for django-axes, with no
    login name: it never locks out a person's password from that address."""
    province.claims = {"email": "nguoila@qna.vn", "email_verified": True}
    for _ in range(6):
        _client, back = round_trip(province)
        assert path_of(back) == reverse("login")
    _client, response = sign_in(focal_point.username)
    assert response["Location"] == reverse("my-work")


def test_a_half_configured_province_login_stops_the_app_at_start() -> None:
    from tests.test_settings import _run

    result = _run(
        ["check"],
        DEBUG="true",
        OIDC_RP_CLIENT_ID="thidua",
        OIDC_OP_AUTHORIZATION_ENDPOINT=f"{PROVINCE}/authorize",
    )
    assert result.returncode != 0
    assert "OIDC_RP_CLIENT_SECRET, OIDC_OP_TOKEN_ENDPOINT, OIDC_OP_USER_ENDPOINT" in result.stderr
    assert "OIDC_OP_JWKS_ENDPOINT" in result.stderr
    complete = _run(
        ["check"],
        DEBUG="true",
        OIDC_RP_CLIENT_ID="thidua",
        OIDC_RP_CLIENT_SECRET="bi-mat",
        OIDC_OP_AUTHORIZATION_ENDPOINT=f"{PROVINCE}/authorize",
        OIDC_OP_TOKEN_ENDPOINT=f"{PROVINCE}/token",
        OIDC_OP_USER_ENDPOINT=f"{PROVINCE}/userinfo",
        OIDC_OP_JWKS_ENDPOINT=f"{PROVINCE}/jwks",
    )
    assert complete.returncode == 0, complete.stderr
