"""``MEDIA_STORAGE=s3`` as a deployment sets it (docs/deployment.md, docs/configuration.md):
the production settings module, read in a fresh process as gunicorn would, stores and reads
files in the bucket, passes ``check --deploy``, and says clearly what is missing."""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

from tests.storage.conftest import S3

ROOT = Path(__file__).resolve().parents[2]
PRODUCTION = {
    "DEBUG": "false",
    "SECRET_KEY": secrets.token_urlsafe(50),
    "ALLOWED_HOSTS": "thidua.example.gov.vn",
    "CSRF_TRUSTED_ORIGINS": "https://thidua.example.gov.vn",
}
# Store a file through Django's storage API, read it back, and say which backend did it.
PROBE = """
import django
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
django.setup()
name = default_storage.save("probe/bien-ban.pdf", ContentFile(b"%PDF-1.4 from production"))
with default_storage.open(name, "rb") as handle:
    assert handle.read() == b"%PDF-1.4 from production"
print(type(default_storage._wrapped).__name__, name)
"""


def _run(
    args: list[str], s3: S3 | None = None, **overrides: str
) -> subprocess.CompletedProcess[str]:
    dropped = {"SECRET_KEY", "DEBUG", "DJANGO_SETTINGS_MODULE", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    dropped |= {name for name in os.environ if name.startswith(("S3_", "AWS_"))}
    environment = {key: value for key, value in os.environ.items() if key not in dropped}
    environment.update(PRODUCTION)
    if s3 is not None:
        environment.update(s3.environment())
    environment.update(overrides, DJANGO_SETTINGS_MODULE="thidua.settings")
    return subprocess.run(
        [sys.executable, *args],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_settings_store_and_read_files_in_the_bucket(s3: S3) -> None:
    result = _run(["-c", PROBE], s3)
    assert result.returncode == 0, result.stderr
    backend, name = result.stdout.split()
    assert (backend, name) == ("S3Storage", "probe/bien-ban.pdf")
    assert s3.read(name) == b"%PDF-1.4 from production"

    # file_overwrite is off: a second file of the same name never replaces the first.
    again = _run(["-c", PROBE], s3)
    assert again.returncode == 0, again.stderr
    second = again.stdout.split()[1]
    assert second != name and second.startswith("probe/bien-ban_")
    assert sorted(s3.names()) == sorted([name, second])


def test_check_deploy_is_clean_with_the_s3_store(s3: S3) -> None:
    result = _run(["manage.py", "check", "--deploy", "--fail-level", "WARNING"], s3)
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "WARNING" not in output


@pytest.mark.parametrize("bucket", [None, ""], ids=["unset", "empty"])
def test_the_s3_store_without_a_bucket_is_a_clear_error(s3: S3, bucket: str | None) -> None:
    environment = s3.environment()
    if bucket is None:
        del environment["S3_BUCKET"]
    else:
        environment["S3_BUCKET"] = bucket
    result = _run(["manage.py", "check"], None, **environment)
    assert result.returncode != 0
    assert "MEDIA_STORAGE=s3 needs S3_BUCKET" in result.stderr


def test_the_s3_store_without_django_storages_is_a_clear_error_at_start(s3: S3) -> None:
    """Not a server error at the first upload: the settings refuse to load."""
    hidden = "import sys; sys.modules['storages'] = None; import django; django.setup()"
    result = _run(["-c", hidden], s3)
    assert result.returncode != 0
    assert "MEDIA_STORAGE=s3 needs django-storages and boto3 (storages not installed)" in (
        result.stderr
    )
