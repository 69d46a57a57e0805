"""Error pages say what happened in Vietnamese and nothing about the inside of the system; every
request has an id, in the response, in the log and on the error page; logs are JSON lines in
production and never hold passwords, CSRF tokens or session ids."""

from __future__ import annotations

import io
import json
import logging
import os
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from blocs.models import User
from common.logging import JsonFormatter, RequestContextFilter, TextFormatter, redact
from tests.conftest import client_for

ROOT = Path(__file__).resolve().parents[2]
LEAKS = [
    "Traceback",
    "SecretFailure",
    "SELECT",
    "do-not-show",
    "secret_key",
    "SECRET_KEY",
    "internal reason",
    "abc123",
    "settings.py",
    "site-packages",
]

pytestmark = pytest.mark.urls("tests.security.urls")


@pytest.fixture
def log_lines() -> Iterator[io.StringIO]:
    """Everything logged during the test, as the production JSON handler writes it."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter())
    handler.addFilter(RequestContextFilter())
    root = logging.getLogger()
    quiet = logging.getLogger("django.request")
    levels = (root.level, quiet.level)
    root.addHandler(handler)
    root.setLevel(logging.INFO)
    logging.getLogger("thidua.request").setLevel(logging.INFO)
    try:
        yield stream
    finally:
        root.removeHandler(handler)
        root.setLevel(levels[0])


def _entries(stream: io.StringIO) -> list[dict]:
    return [json.loads(line) for line in stream.getvalue().splitlines() if line.strip()]


def _no_leak(page: str) -> None:
    for secret in LEAKS:
        assert secret not in page, secret


# ---------------------------------------------------------------- error pages


def test_a_crash_shows_a_vietnamese_page_with_the_request_id_and_nothing_inside(
    db: None, log_lines: io.StringIO
) -> None:
    assert settings.DEBUG is False
    client = Client(raise_request_exception=False)
    response = client.post("/test-only/boom/", {"password": "bi-mat-123", "note": "x"})
    assert response.status_code == 500
    page = response.content.decode()
    assert "Hệ thống đang gặp sự cố" in page
    assert "không có dữ liệu nào bị ghi dở" in page
    request_id = response["X-Request-ID"]
    assert re.fullmatch(r"[0-9a-f]{32}", request_id)
    assert f"<code>{request_id}</code>" in page
    _no_leak(page)
    assert "bi-mat-123" not in page
    assert response["Content-Security-Policy"].startswith("default-src 'self'")


def test_a_crash_is_logged_once_with_its_traceback_and_request_but_no_password(
    db: None, log_lines: io.StringIO
) -> None:
    client = Client(raise_request_exception=False)
    response = client.post(
        "/test-only/boom/",
        {"password": "bi-mat-123", "csrfmiddlewaretoken": "tok-456"},
        HTTP_COOKIE="sessionid=phien-789",
    )
    entries = _entries(log_lines)
    errors = [entry for entry in entries if entry["logger"] == "django.request"]
    assert len(errors) == 1
    error = errors[0]
    assert error["level"] == "ERROR"
    assert error["request_id"] == response["X-Request-ID"]
    assert error["path"] == "/test-only/boom/"
    assert error["method"] == "POST"
    assert error["status"] == 500
    assert "SecretFailure" in error["exception"]
    assert "Traceback" in error["exception"]
    written = log_lines.getvalue()
    for secret in ("bi-mat-123", "tok-456", "phien-789"):
        assert secret not in written


@pytest.mark.parametrize(
    ("path", "status", "title"),
    [
        ("/khong-co-trang-nay/", 404, "Không tìm thấy trang"),
        ("/test-only/forbidden/", 403, "Không có quyền truy cập"),
        ("/test-only/suspicious/", 400, "Yêu cầu không hợp lệ"),
    ],
)
def test_4xx_pages_are_vietnamese_and_leak_nothing(
    db: None, path: str, status: int, title: str
) -> None:
    response = Client().get(path)
    assert response.status_code == status
    page = response.content.decode()
    assert title in page
    assert '<html lang="vi">' in page
    _no_leak(page)


def test_a_foreign_host_gets_the_400_page(db: None) -> None:
    response = Client().get("/", HTTP_HOST="ke-gia-mao.example")
    assert response.status_code == 400
    assert "Yêu cầu không hợp lệ" in response.content.decode()


def test_a_form_sent_without_its_csrf_token_gets_the_expired_session_page(db: None) -> None:
    response = Client(enforce_csrf_checks=True).post(reverse("login"), {"username": "a"})
    assert response.status_code == 403
    assert "Phiên làm việc đã hết hạn" in response.content.decode()


# ---------------------------------------------------------------- request ids and access log


def test_every_response_carries_a_request_id(db: None) -> None:
    first = Client().get(reverse("healthz"))
    second = Client().get(reverse("healthz"))
    assert first["X-Request-ID"] != second["X-Request-ID"]


def test_a_request_id_from_the_proxy_is_kept(db: None, log_lines: io.StringIO) -> None:
    response = Client().get(reverse("blocs:home"), HTTP_X_REQUEST_ID="lb-2021-03-01-0001")
    assert response["X-Request-ID"] == "lb-2021-03-01-0001"
    assert any(entry.get("request_id") == "lb-2021-03-01-0001" for entry in _entries(log_lines))


@pytest.mark.parametrize("sent", ["<script>", "a b c d e f g h", "x" * 300, "short"])
def test_a_request_id_that_does_not_look_like_one_is_replaced(db: None, sent: str) -> None:
    response = Client().get(reverse("healthz"), HTTP_X_REQUEST_ID=sent)
    assert re.fullmatch(r"[0-9a-f]{32}", response["X-Request-ID"])


def test_each_request_is_logged_with_status_duration_and_person(
    world: object, focal_point: User, log_lines: io.StringIO
) -> None:
    response = client_for(focal_point).get(reverse("my-work") + "?token=khong-ghi")
    assert response.status_code == 200
    lines = [entry for entry in _entries(log_lines) if entry["logger"] == "thidua.request"]
    assert len(lines) == 1
    line = lines[0]
    assert line["message"] == "GET /my-work/ 200"
    assert line["status"] == 200
    assert line["user_id"] == focal_point.pk
    assert line["duration_ms"] >= 0
    assert line["request_id"] == response["X-Request-ID"]
    assert "khong-ghi" not in log_lines.getvalue()  # query strings are not logged


def test_the_health_check_does_not_fill_the_log(db: None, log_lines: io.StringIO) -> None:
    Client().get(reverse("healthz"))
    assert not [entry for entry in _entries(log_lines) if entry["logger"] == "thidua.request"]


def test_the_access_log_never_costs_a_query(
    world: object, django_assert_num_queries: object
) -> None:
    client = Client()
    with django_assert_num_queries(1):  # type: ignore[operator]
        client.get(reverse("healthz"))


# ---------------------------------------------------------------- formatters


@pytest.mark.parametrize(
    ("text", "secret"),
    [
        ("password=hunter2&next=/", "hunter2"),
        ("{'password': 'hunter2'}", "hunter2"),
        ('"new_password1": "hunter2"', "hunter2"),
        ("csrfmiddlewaretoken=AbC123xyz", "AbC123xyz"),
        ("Cookie: sessionid=s3ss10n; csrftoken=t0k3n", "s3ss10n"),
        ("Cookie: sessionid=s3ss10n; csrftoken=t0k3n", "t0k3n"),
        ("Authorization: Bearer eyJhbGciOi", "eyJhbGciOi"),
        ("SECRET_KEY = 'django-insecure-xyz'", "django-insecure-xyz"),
    ],
)
def test_secrets_are_masked_in_log_text(text: str, secret: str) -> None:
    masked = redact(text)
    assert secret not in masked
    assert "[đã ẩn]" in masked


def test_ordinary_words_are_not_masked() -> None:
    text = "Thư ký khối (secretariat) đã lưu 3 thay đổi; tokens: 5"
    assert redact(text) == text


def test_the_json_formatter_writes_one_object_per_line() -> None:
    record = logging.LogRecord("thidua.x", logging.WARNING, __file__, 1, "Dòng\nhai", None, None)
    line = JsonFormatter().format(record)
    assert "\n" not in line
    entry = json.loads(line)
    assert entry["message"] == "Dòng\nhai"
    assert entry["level"] == "WARNING"
    assert entry["time"].endswith("+00:00")


def test_the_text_formatter_is_readable() -> None:
    record = logging.LogRecord("thidua.x", logging.INFO, __file__, 1, "password=abc", None, None)
    record.request_id = "0123456789abcdef"
    line = TextFormatter().format(record)
    assert "INFO thidua.x [01234567] password=[đã ẩn]" in line


def test_production_settings_log_json_lines_to_standard_output() -> None:
    script = (
        "import django, logging; django.setup(); "
        "logging.getLogger('thidua.test').error('password=hunter2 xong')"
    )
    dropped = {"DJANGO_SETTINGS_MODULE", "DEBUG", "LOG_FORMAT", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    environment = {key: value for key, value in os.environ.items() if key not in dropped}
    environment.update(
        DJANGO_SETTINGS_MODULE="thidua.settings",
        DEBUG="false",
        SECRET_KEY="k" * 60,
        ALLOWED_HOSTS="thidua.example.gov.vn",
    )
    result = subprocess.run(
        [sys.executable, "-c", script],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    entry = json.loads(result.stdout.strip().splitlines()[-1])
    assert entry["level"] == "ERROR"
    assert entry["logger"] == "thidua.test"
    assert entry["message"] == "password=[đã ẩn] xong"


def test_the_favicon_browsers_ask_for_is_the_apps_icon(client: Client) -> None:
    """Pages that name no icon (the Django admin) made browsers ask for /favicon.ico, a logged
    404 on every admin page."""
    response = client.get("/favicon.ico")
    assert response.status_code == 302
    assert response["Location"].endswith(".svg")
    assert "favicon" in response["Location"]
