"""Production settings: secure cookies and headers, HTTPS, and a clean ``check --deploy``.

The settings module is read in a fresh process with a production environment (DEBUG off, a
long secret, a real host name), as gunicorn would read it.
"""

from __future__ import annotations

import json
import os
import secrets
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from blocs.models import User
from common.csp import DEFAULT_POLICY

ROOT = Path(__file__).resolve().parents[2]
PRODUCTION = {
    "DEBUG": "false",
    "SECRET_KEY": secrets.token_urlsafe(50),
    "ALLOWED_HOSTS": "thidua.example.gov.vn",
    "CSRF_TRUSTED_ORIGINS": "https://thidua.example.gov.vn",
}
SHOWN = [
    "DEBUG",
    "SESSION_COOKIE_SECURE",
    "CSRF_COOKIE_SECURE",
    "SESSION_COOKIE_HTTPONLY",
    "SECURE_SSL_REDIRECT",
    "SECURE_REDIRECT_EXEMPT",
    "SECURE_HSTS_SECONDS",
    "SECURE_HSTS_INCLUDE_SUBDOMAINS",
    "SECURE_CONTENT_TYPE_NOSNIFF",
    "SECURE_REFERRER_POLICY",
    "SECURE_CROSS_ORIGIN_OPENER_POLICY",
    "X_FRAME_OPTIONS",
    "SECURE_PROXY_SSL_HEADER",
    "LOG_FORMAT",
    "MIDDLEWARE",
    "AUTH_PASSWORD_VALIDATORS",
    "PASSWORD_HASHERS",
]


def _environment(**overrides: str) -> dict[str, str]:
    dropped = {"SECRET_KEY", "DEBUG", "DJANGO_SETTINGS_MODULE", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    dropped |= {"SECURE_SSL_REDIRECT", "BEHIND_TLS_PROXY", "TLS_PROXY_HEADER", "LOG_FORMAT"}
    clean = {key: value for key, value in os.environ.items() if key not in dropped}
    clean.update(PRODUCTION, **overrides)
    clean["DJANGO_SETTINGS_MODULE"] = "thidua.settings"
    return clean


def _settings(**overrides: str) -> dict[str, Any]:
    script = (
        "import json, django; from django.conf import settings; django.setup(); "
        f"print(json.dumps({{name: getattr(settings, name, None) for name in {SHOWN!r}}}))"
    )
    result = subprocess.run(
        [sys.executable, "-c", script],
        cwd=ROOT,
        env=_environment(**overrides),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def _check_deploy(**overrides: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=_environment(**overrides),
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_defaults_are_strict() -> None:
    values = _settings()
    assert values["DEBUG"] is False
    assert values["SESSION_COOKIE_SECURE"] is True
    assert values["CSRF_COOKIE_SECURE"] is True
    assert values["SESSION_COOKIE_HTTPONLY"] is True
    assert values["SECURE_SSL_REDIRECT"] is True
    assert values["SECURE_REDIRECT_EXEMPT"] == ["^healthz$"]
    assert values["SECURE_HSTS_SECONDS"] == 31536000
    assert values["SECURE_HSTS_INCLUDE_SUBDOMAINS"] is True
    assert values["SECURE_CONTENT_TYPE_NOSNIFF"] is True
    assert values["SECURE_REFERRER_POLICY"] == "same-origin"
    assert values["SECURE_CROSS_ORIGIN_OPENER_POLICY"] == "same-origin"
    assert values["X_FRAME_OPTIONS"] == "DENY"
    assert values["SECURE_PROXY_SSL_HEADER"] is None
    assert values["LOG_FORMAT"] == "json"
    assert values["MIDDLEWARE"][:3] == [
        "common.request_id.RequestIdMiddleware",
        "django.middleware.security.SecurityMiddleware",
        "common.csp.ContentSecurityPolicyMiddleware",
    ]
    validators = [item["NAME"].rsplit(".", 1)[1] for item in values["AUTH_PASSWORD_VALIDATORS"]]
    assert validators == [
        "UserAttributeSimilarityValidator",
        "MinimumLengthValidator",
        "CommonPasswordValidator",
        "NumericPasswordValidator",
    ]
    assert values["AUTH_PASSWORD_VALIDATORS"][1]["OPTIONS"] == {"min_length": 10}
    assert values["PASSWORD_HASHERS"] == [
        "common.passwords.Argon2idHasher",
        "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    ]


def test_the_tls_proxy_header_and_hsts_are_configurable() -> None:
    values = _settings(
        BEHIND_TLS_PROXY="true",
        TLS_PROXY_HEADER="X-Forwarded-Scheme",
        SECURE_SSL_REDIRECT="false",
        SECURE_HSTS_SECONDS="600",
    )
    assert values["SECURE_PROXY_SSL_HEADER"] == ["HTTP_X_FORWARDED_SCHEME", "https"]
    assert values["SECURE_SSL_REDIRECT"] is False
    assert values["SECURE_HSTS_SECONDS"] == 600


def test_development_relaxes_only_what_plain_http_needs() -> None:
    values = _settings(DEBUG="true")
    assert values["SESSION_COOKIE_SECURE"] is False
    assert values["SECURE_SSL_REDIRECT"] is False
    assert values["SECURE_HSTS_SECONDS"] == 0
    assert values["LOG_FORMAT"] == "text"
    assert values["X_FRAME_OPTIONS"] == "DENY"


@pytest.mark.parametrize(
    "overrides",
    [
        {},
        {"BEHIND_TLS_PROXY": "true", "PROXY_COUNT": "1"},
        {"BEHIND_TLS_PROXY": "true", "SECURE_SSL_REDIRECT": "false"},
    ],
    ids=["direct", "behind-proxy", "proxy-redirects"],
)
def test_check_deploy_is_clean(overrides: dict[str, str]) -> None:
    result = _check_deploy(**overrides)
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "WARNING" not in output


def test_check_deploy_warns_when_https_is_turned_off_without_a_proxy() -> None:
    result = _check_deploy(SECURE_SSL_REDIRECT="false")
    assert result.returncode != 0
    assert "security.W008" in result.stdout + result.stderr


def test_an_unknown_log_format_is_a_clear_error() -> None:
    result = _check_deploy(LOG_FORMAT="xml")
    assert result.returncode != 0
    assert "LOG_FORMAT must be 'json' or 'text'" in result.stderr


# ---------------------------------------------------------------- the headers themselves


def test_responses_carry_the_security_headers(db: None) -> None:
    response = Client().get(reverse("blocs:home"), secure=True)
    assert response["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    assert response["Content-Security-Policy"] == DEFAULT_POLICY


def test_session_and_csrf_cookies_are_secure_and_the_session_is_hidden_from_scripts(
    world: object, focal_point: User
) -> None:
    client = Client()
    page = client.get(reverse("login"), secure=True)
    csrf = page.cookies["csrftoken"]
    assert csrf["secure"] is True
    assert csrf["samesite"] == "Lax"
    response = client.post(
        reverse("login"),
        {"username": "daumoi", "password": "mat-khau-thu-nghiem"},
        secure=True,
    )
    assert response.status_code == 302
    session = response.cookies["sessionid"]
    assert session["secure"] is True
    assert session["httponly"] is True
    assert session["samesite"] == "Lax"


def test_plain_http_is_redirected_except_the_health_check(db: None, settings: Any) -> None:
    settings.SECURE_SSL_REDIRECT = True
    response = Client().get(reverse("blocs:home"))
    assert response.status_code == 301
    assert response["Location"].startswith("https://")
    assert response["X-Request-ID"]
    assert Client().get(reverse("healthz")).status_code == 200


def test_behind_the_tls_proxy_a_forwarded_https_request_is_not_redirected(
    db: None, settings: Any
) -> None:
    settings.SECURE_SSL_REDIRECT = True
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    response = Client().get(reverse("blocs:home"), HTTP_X_FORWARDED_PROTO="https")
    assert response.status_code == 200
    assert "Strict-Transport-Security" in response
