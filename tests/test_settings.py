"""Production settings fail loudly without a secret and pass Django's deployment checks."""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _run(args: list[str], **env: str) -> subprocess.CompletedProcess[str]:
    # The test process allows Playwright's event loop; a deployment never does.
    dropped = {"SECRET_KEY", "DEBUG", "DJANGO_SETTINGS_MODULE", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    clean = {key: value for key, value in os.environ.items() if key not in dropped}
    clean.update(env, DJANGO_SETTINGS_MODULE="thidua.settings")
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=clean,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_without_secret_key_refuses_to_start() -> None:
    result = _run(["check"], DEBUG="false")
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_production_with_the_development_key_refuses_to_start() -> None:
    result = _run(
        ["check"], DEBUG="false", SECRET_KEY="insecure-development-key-do-not-use-in-production"
    )
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_the_migrations_check_needs_no_secret() -> None:
    """It only compares the models with the migration files; nothing is served or signed."""
    result = _run(["makemigrations", "--check", "--dry-run"], DEBUG="false")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "No changes detected" in result.stdout


def test_check_deploy_is_clean_with_production_settings() -> None:
    result = _run(
        ["check", "--deploy", "--fail-level", "WARNING"],
        DEBUG="false",
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="thidua.example.gov.vn",
        CSRF_TRUSTED_ORIGINS="https://thidua.example.gov.vn",
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "WARNINGS" not in result.stdout + result.stderr


def test_unknown_media_storage_is_a_clear_error() -> None:
    result = _run(["check"], DEBUG="true", MEDIA_STORAGE="ftp")
    assert result.returncode != 0
    assert "MEDIA_STORAGE must be 'local' or 's3'" in result.stderr
