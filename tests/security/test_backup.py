"""``manage.py backup`` and ``manage.py restore``: a backup taken, the data changed (proposals
deleted, a score edited, stored files lost or overwritten), the backup restored, and everything
is as it was: the rankings, the proposals, the issued documents and the bytes of every file.

Runs on the configured database: SQLite by default, PostgreSQL when ``DATABASE_URL`` points at
one (then ``pg_dump``/``pg_restore`` are needed: skipped without them, a failure under CI).
"""

from __future__ import annotations

import io
import json
import os
import shutil
import tarfile
from pathlib import Path
from typing import Any

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from awards.models import Decision, Proposal
from common.backup import MANIFEST
from reports.models import Document
from scoring.models import Evidence, ScoreLine
from scoring.selectors.ranking import ranking_input
from tests.awards.test_review import ensure_rule_sets
from tests.reports.worlds import issued_quickly


def _needs_tools() -> None:
    if connection.vendor != "postgresql":
        return
    missing = [tool for tool in ("pg_dump", "pg_restore") if shutil.which(tool) is None]
    if missing:
        reason = f"{', '.join(missing)} not installed (apt-get install postgresql-client)"
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"{reason} — CI must test backups on PostgreSQL.")
        pytest.skip(reason)


@pytest.fixture
def backup_world(transactional_db: None, request: pytest.FixtureRequest) -> Any:
    """The awards world with an issued report, committed for real (pg_dump reads it from
    another connection)."""
    _needs_tools()
    ensure_rule_sets()
    world = request.getfixturevalue("awards_world")
    world.issued = issued_quickly(world.provisional_year, "report")
    return world


def _stored(field: Any) -> bytes | None:
    if not field or not default_storage.exists(field.name):
        return None
    with default_storage.open(field.name, "rb") as handle:
        return handle.read()


def _state(world: Any) -> dict[str, Any]:
    rankings = {}
    for bloc_year in (world.provisional_year, world.bloc_year):
        data = ranking_input(bloc_year)
        rankings[bloc_year.year] = [
            (row.rank, data.codes[row.unit_id], str(row.total), row.band) for row in data.rank()
        ]
    return {
        "rankings": rankings,
        "snapshots": list(world.provisional_year.snapshots.order_by("pk").values("pk", "data")),
        "proposals": list(
            Proposal.objects.order_by("pk").values(
                "pk", "unit_id", "award_type_id", "status", "summary", "rank", "votes_for"
            )
        ),
        "lines": list(
            ScoreLine.objects.order_by("pk").values_list(
                "pk", "self_value", "self_target", "verified_value", "note"
            )
        ),
        "documents": [
            (
                document.pk,
                document.state,
                document.number,
                _stored(document.docx),
                _stored(document.pdf),
            )
            for document in Document.objects.order_by("pk")
        ],
        "evidence": [
            (item.pk, item.original_name, _stored(item.file)) for item in Evidence.objects.all()
        ],
        "decisions": [
            (item.pk, item.number, _stored(item.file)) for item in Decision.objects.all()
        ],
    }


def _damage(world: Any) -> None:
    Proposal.objects.all().delete()
    line = ScoreLine.objects.filter(sheet=world.draft_sheet, criterion=world.leaf).get()
    line.self_value, line.note = 1, "Sửa sau khi sao lưu."
    line.save()
    default_storage.delete(world.issued.pdf.name)
    decision = Decision.objects.get(pk=world.decision.pk)
    default_storage.delete(decision.file.name)
    default_storage.save(decision.file.name, ContentFile(b"%PDF-1.4 a different decision"))


def test_a_restore_brings_back_rankings_proposals_documents_and_files(
    backup_world: Any, tmp_path: Path
) -> None:
    before = _state(backup_world)
    assert before["proposals"] and before["documents"][0][4] == b"%PDF-1.4"
    archive = tmp_path / "thidua.tar"
    out = io.StringIO()
    call_command("backup", str(archive), stdout=out)
    assert "Đã sao lưu vào" in out.getvalue()

    _damage(backup_world)
    damaged = _state(backup_world)
    assert damaged["proposals"] == []
    assert damaged != before

    call_command("restore", str(archive), "--no-input", stdout=io.StringIO())
    assert _state(backup_world) == before


def test_the_archive_holds_a_manifest_the_database_and_the_files(
    backup_world: Any, tmp_path: Path
) -> None:
    archive = tmp_path / "thidua.tar.gz"
    call_command("backup", str(archive), stdout=io.StringIO())
    with tarfile.open(archive) as opened:
        names = set(opened.getnames())
        manifest = json.loads(opened.extractfile(MANIFEST).read())  # type: ignore[union-attr]
    engine = "postgresql" if connection.vendor == "postgresql" else "sqlite"
    assert manifest["engine"] == engine
    assert {"database.pgdump" if engine == "postgresql" else "database.sqlite3"} <= names
    assert f"media/{backup_world.decision.file.name}" in names
    assert f"media/{backup_world.evidence.file.name}" in names
    assert manifest["media_files"] == len(manifest["media"]) >= 4
    assert "0002_seed_rule_sets" in manifest["migrations"]["awards"]
    call_command("restore", str(archive), "--check", stdout=io.StringIO())


def test_a_backup_without_media_restores_only_the_database(
    backup_world: Any, tmp_path: Path
) -> None:
    archive = tmp_path / "db-only.tar"
    call_command("backup", str(archive), "--no-media", stdout=io.StringIO())
    Proposal.objects.all().delete()
    call_command("restore", str(archive), "--no-input", stdout=io.StringIO())
    assert Proposal.objects.count() == 2


def test_a_backup_never_overwrites_an_existing_file(backup_world: Any, tmp_path: Path) -> None:
    archive = tmp_path / "old.tar"
    archive.write_bytes(b"an older backup")
    with pytest.raises(CommandError, match="đã có"):
        call_command("backup", str(archive), stdout=io.StringIO())
    assert archive.read_bytes() == b"an older backup"


def test_restore_asks_first_and_changes_nothing_when_refused(
    backup_world: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    archive = tmp_path / "thidua.tar"
    call_command("backup", str(archive), stdout=io.StringIO())
    Proposal.objects.all().delete()
    monkeypatch.setattr("builtins.input", lambda prompt: "no")
    with pytest.raises(CommandError, match="Đã hủy"):
        call_command("restore", str(archive), stdout=io.StringIO())
    assert Proposal.objects.count() == 0


def _rewrite(archive: Path, target: Path, change: Any) -> None:
    """Copy the archive, passing each (member, bytes) through ``change``."""
    with tarfile.open(archive) as source, tarfile.open(target, "w") as copy:
        for member in source.getmembers():
            data = source.extractfile(member).read()  # type: ignore[union-attr]
            member, data = change(member, data)
            member.size = len(data)
            copy.addfile(member, io.BytesIO(data))


@pytest.mark.parametrize(
    ("damage", "message"),
    [
        ("corrupt", "không khớp mã kiểm tra"),
        ("other-engine", "chỉ khôi phục được vào cùng loại cơ sở dữ liệu"),
        ("newer-release", "phiên bản mới hơn"),
        ("escape", "tên tệp không hợp lệ"),
        ("not-a-backup", "không phải là bản sao lưu"),
    ],
)
def test_a_damaged_or_foreign_archive_is_refused_and_nothing_changes(
    backup_world: Any, tmp_path: Path, damage: str, message: str
) -> None:
    archive = tmp_path / "thidua.tar"
    call_command("backup", str(archive), stdout=io.StringIO())
    database = "database.pgdump" if connection.vendor == "postgresql" else "database.sqlite3"

    def change(member: tarfile.TarInfo, data: bytes) -> tuple[tarfile.TarInfo, bytes]:
        if member.name == database and damage == "corrupt":
            # Flip the last bytes: a database file often ends in zeros already, and writing
            # zeros over zeros would change nothing.
            data = data[:-10] + bytes(byte ^ 0xFF for byte in data[-10:])
        if member.name == MANIFEST:
            manifest = json.loads(data)
            if damage == "other-engine":
                manifest["engine"] = (
                    "sqlite" if manifest["engine"] == "postgresql" else "postgresql"
                )
                member.name = MANIFEST
            if damage == "newer-release":
                manifest["migrations"]["blocs"].append("9999_from_the_future")
            if damage == "not-a-backup":
                member.name = "readme.json"
            data = json.dumps(manifest).encode()
        if damage == "escape" and member.name.startswith("media/decisions/"):
            member.name = "media/../../etc/cron.d/x"
        return member, data

    damaged = tmp_path / "damaged.tar"
    _rewrite(archive, damaged, change)
    Proposal.objects.all().delete()
    with pytest.raises(CommandError, match=message):
        call_command("restore", str(damaged), "--no-input", stdout=io.StringIO())
    assert Proposal.objects.count() == 0  # nothing was restored


@pytest.mark.parametrize(
    ("damage", "message"),
    [
        ("files-removed", "thiếu"),
        ("file-added", "không có trong danh sách"),
        ("file-altered", "không khớp mã kiểm tra"),
    ],
)
def test_an_archive_whose_files_differ_from_its_manifest_is_refused(
    backup_world: Any, tmp_path: Path, damage: str, message: str
) -> None:
    archive = tmp_path / "thidua.tar"
    call_command("backup", str(archive), stdout=io.StringIO())
    damaged = tmp_path / "damaged.tar"
    with tarfile.open(archive) as source, tarfile.open(damaged, "w") as copy:
        for member in source.getmembers():
            data = source.extractfile(member).read()  # type: ignore[union-attr]
            if member.name.startswith("media/"):
                if damage == "files-removed":
                    continue
                if damage == "file-altered":
                    data = data + b" altered"
                    member.size = len(data)
            copy.addfile(member, io.BytesIO(data))
        if damage == "file-added":
            extra = tarfile.TarInfo("media/evidence/planted.pdf")
            extra.size = 8
            copy.addfile(extra, io.BytesIO(b"%PDF-1.4"))
    with pytest.raises(CommandError, match=message):
        call_command("restore", str(damaged), "--check", stdout=io.StringIO())
    Proposal.objects.all().delete()
    with pytest.raises(CommandError, match=message):
        call_command("restore", str(damaged), "--no-input", stdout=io.StringIO())
    assert Proposal.objects.count() == 0  # nothing was restored


def test_a_backup_is_private_to_its_owner_and_holds_no_live_session(
    backup_world: Any, tmp_path: Path, client: Any
) -> None:
    from django.contrib.sessions.models import Session

    client.force_login(_any_user())
    assert Session.objects.exists()
    previous = os.umask(0o022)
    try:
        archive = tmp_path / "thidua.tar"
        call_command("backup", str(archive), stdout=io.StringIO())
    finally:
        os.umask(previous)
    assert archive.stat().st_mode & 0o777 == 0o600
    call_command("restore", str(archive), "--no-input", stdout=io.StringIO())
    assert not Session.objects.exists()


def _any_user() -> Any:
    from blocs.models import User

    return User.objects.order_by("pk").first()


def test_a_file_missing_from_the_store_gives_a_page_that_says_so(
    backup_world: Any, council_admin: Any
) -> None:
    """After a restore without its files, every page that serves one answers 410 with the
    reason, not a server error (the public issued report among them)."""
    from django.test import Client
    from django.urls import reverse

    from tests.conftest import client_for

    w = backup_world
    for field in (w.issued.pdf, w.issued.docx, w.evidence.file, w.decision.file):
        default_storage.delete(field.name)
    public = Client(raise_request_exception=False)
    pages = [
        (public, reverse("reports:download", args=[w.issued.pk, "pdf"])),
        (public, reverse("reports:download", args=[w.issued.pk, "docx"])),
        (client_for(council_admin), reverse("scoring:evidence", args=[w.evidence.pk])),
        (client_for(council_admin), reverse("awards:decision-file", args=[w.decision.pk])),
    ]
    for client, url in pages:
        client.raise_request_exception = False
        response = client.get(url)
        assert response.status_code == 410, url
        assert "Tệp không còn trên máy chủ" in response.content.decode(), url
