"""Mail settings from the environment: EMAIL_URL, SITE_URL and MAIL_DELIVERY."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent
PRINT = (
    "from django.conf import settings as s; "
    "print(s.EMAIL_BACKEND, s.EMAIL_HOST, s.EMAIL_PORT, s.EMAIL_HOST_USER, s.EMAIL_HOST_PASSWORD, "
    "s.EMAIL_USE_TLS, s.EMAIL_USE_SSL, s.EMAIL_TIMEOUT, s.SITE_URL)"
)


def _settings(print_: str = PRINT, **env: str) -> str:
    clean = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("EMAIL_", "MAIL_", "SITE_URL", "DJANGO_"))
    }
    clean.update({"DEBUG": "true", **env}, DJANGO_SETTINGS_MODULE="thidua.settings")
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", print_],
        cwd=ROOT,
        env=clean,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip().splitlines()[-1]


def test_email_url_sets_the_whole_smtp_server_and_site_url_the_links() -> None:
    assert _settings(
        EMAIL_URL="smtp+tls://thidua:mat%40khau@mail.quangnam.gov.vn:587",
        SITE_URL="https://thidua.quangnam.gov.vn/",
        EMAIL_TIMEOUT="5",
    ) == (
        "django.core.mail.backends.smtp.EmailBackend mail.quangnam.gov.vn 587 thidua mat@khau "
        "True False 5 https://thidua.quangnam.gov.vn"
    )


def test_without_email_url_development_prints_mail_to_the_console() -> None:
    assert _settings() == (
        "django.core.mail.backends.console.EmailBackend localhost 25   False False 10 "
        "http://127.0.0.1:8000"
    )


def test_mail_goes_out_inline_in_development_and_through_the_queue_in_production() -> None:
    show = "from django.conf import settings as s; print(s.MAIL_DELIVERY)"
    production = {"DEBUG": "false", "SECRET_KEY": "k" * 60}
    assert _settings(show) == "inline"
    assert _settings(show, **production) == "queue"
    assert _settings(show, MAIL_DELIVERY="queue") == "queue"
    assert _settings(show, **production, MAIL_DELIVERY="inline") == "inline"
