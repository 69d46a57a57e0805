"""``manage.py backup`` and ``restore`` with the files in an S3 bucket: the archive holds every
object of the bucket, a restore puts back what was lost or overwritten, and an archive moves
an installation between a local directory and a bucket in either direction.

Runs on the configured database, as tests/security/test_backup.py does (PostgreSQL needs
``pg_dump``/``pg_restore``: skipped without them, a failure under CI).
"""

from __future__ import annotations

import io
import json
import tarfile
from pathlib import Path
from typing import Any

import pytest
from django.core.files.storage import default_storage
from django.core.management import call_command

from common.backup import MANIFEST, MEDIA_PREFIX
from tests.awards.test_review import ensure_rule_sets
from tests.reports.worlds import issued_quickly
from tests.security.test_backup import _damage, _needs_tools, _state
from tests.storage.conftest import S3
from thidua.settings import _media_storage


def _awards_world(request: pytest.FixtureRequest) -> Any:
    """The awards world with an issued report, committed (pg_dump reads another connection)."""
    _needs_tools()
    ensure_rule_sets()
    world = request.getfixturevalue("awards_world")
    world.issued = issued_quickly(world.provisional_year, "report")
    return world


@pytest.fixture
def backup_world(transactional_db: None, request: pytest.FixtureRequest) -> Any:
    return _awards_world(request)


def _archived_media(archive: Path) -> dict[str, bytes]:
    with tarfile.open(archive) as opened:
        return {
            member.name[len(MEDIA_PREFIX) :]: opened.extractfile(member).read()  # type: ignore[union-attr]
            for member in opened.getmembers()
            if member.name.startswith(MEDIA_PREFIX)
        }


def test_a_restore_puts_back_every_object_of_the_bucket(
    s3: S3, backup_world: Any, tmp_path: Path
) -> None:
    w = backup_world
    before = _state(w)
    objects = s3.objects()
    # Evidence, the decision's PDF and the issued document's two files, all in the bucket.
    assert {w.evidence.file.name, w.decision.file.name} <= set(objects)
    assert {w.issued.docx.name, w.issued.pdf.name} <= set(objects)

    archive = tmp_path / "thidua.tar.gz"
    call_command("backup", str(archive), stdout=io.StringIO())
    assert _archived_media(archive) == objects
    with tarfile.open(archive) as opened:
        manifest = json.loads(opened.extractfile(MANIFEST).read())  # type: ignore[union-attr]
    assert manifest["media_files"] == len(objects)
    call_command("restore", str(archive), "--check", stdout=io.StringIO())

    _damage(w)  # proposals deleted, a score edited, the PDF deleted, the decision overwritten
    s3.delete(w.evidence.file.name)  # and an object lost behind the application's back
    s3.client.put_object(Bucket=s3.bucket, Key="evidence/later.pdf", Body=b"%PDF added later")
    assert _state(w) != before

    call_command("restore", str(archive), "--no-input", stdout=io.StringIO())
    assert _state(w) == before
    after = s3.objects()
    assert {key: after[key] for key in objects} == objects
    assert after["evidence/later.pdf"] == b"%PDF added later"  # left in place, as documented


def test_a_backup_of_a_local_directory_restores_into_an_empty_bucket(
    s3: S3, transactional_db: None, request: pytest.FixtureRequest, settings: Any, tmp_path: Path
) -> None:
    """One server grows into several: its files move from MEDIA_ROOT to the bucket."""
    local = tmp_path / "media"
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(local)},
        },
    }
    w = _awards_world(request)
    before = _state(w)
    files = sorted(str(path.relative_to(local)) for path in local.rglob("*") if path.is_file())
    assert len(files) >= 4 and s3.names() == []
    archive = tmp_path / "thidua.tar"
    call_command("backup", str(archive), stdout=io.StringIO())

    settings.STORAGES = {**settings.STORAGES, "default": _media_storage()}  # MEDIA_STORAGE=s3
    assert getattr(default_storage, "bucket_name", None) == s3.bucket
    call_command("restore", str(archive), "--no-input", stdout=io.StringIO())
    assert s3.names() == files
    assert {name: s3.read(name) for name in files} == {
        name: (local / name).read_bytes() for name in files
    }
    assert _state(w) == before  # read through the bucket now


def test_a_backup_of_the_bucket_restores_into_a_local_directory(
    s3: S3, backup_world: Any, settings: Any, tmp_path: Path
) -> None:
    """A scratch installation on one machine, to try a restore (docs/backup.md)."""
    before = _state(backup_world)
    objects = s3.objects()
    archive = tmp_path / "thidua.tar"
    call_command("backup", str(archive), stdout=io.StringIO())

    local = tmp_path / "scratch-media"
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(local)},
        },
    }
    call_command("restore", str(archive), "--no-input", stdout=io.StringIO())
    assert {name: (local / name).read_bytes() for name in objects} == objects
    assert _state(backup_world) == before
