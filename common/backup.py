"""Backups: the database and the uploaded files in one tar archive (docs/backup.md).

An archive holds ``manifest.json`` (what, when, from which database and release, checksums),
the database (``database.pgdump`` from ``pg_dump --format=custom``, or ``database.sqlite3``
made with SQLite's online backup API) and every file of the file store under ``media/``
(evidence, decision PDFs, issued documents), read and written through the storage API so that
a local directory and an S3 bucket are handled alike.

Restoring replaces the whole database (``pg_restore --clean --single-transaction``: all or
nothing) and then writes the archived files back. A backup restores into the same kind of
database only; a backup of a newer release than the code is refused.
"""

from __future__ import annotations

import datetime
import hashlib
import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path, PurePosixPath
from typing import IO, Any

from django.core.files import File
from django.core.files.storage import Storage, default_storage
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

FORMAT = 1
MANIFEST = "manifest.json"
DATABASE_FILES = {"postgresql": "database.pgdump", "sqlite": "database.sqlite3"}
MEDIA_PREFIX = "media/"
CHUNK = 1024 * 1024

Report = Callable[[str], None]


class BackupError(Exception):
    """A backup or restore that cannot go on; the message says why and what to do."""


@dataclass
class Manifest:
    format: int
    created_at: str
    engine: str  # "postgresql" or "sqlite"
    database: str
    database_sha256: str
    migrations: dict[str, list[str]]
    media_files: int = 0
    media_bytes: int = 0
    media: dict[str, str] = field(default_factory=dict)  # name → sha256

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Manifest:
        if data.get("format") != FORMAT:
            raise BackupError(
                _("Tệp sao lưu có định dạng %(found)s, chương trình chỉ đọc định dạng %(known)s.")
                % {"found": data.get("format"), "known": FORMAT}
            )
        names = {item.name for item in cls.__dataclass_fields__.values()}
        return cls(**{key: value for key, value in data.items() if key in names})


def engine_of(connection: BaseDatabaseWrapper) -> str:
    if connection.vendor == "postgresql":
        return "postgresql"
    if connection.vendor == "sqlite":
        return "sqlite"
    raise BackupError(
        _("Chỉ sao lưu được PostgreSQL và SQLite, không phải %(vendor)s.")
        % {"vendor": connection.vendor}
    )


def applied_migrations(connection: BaseDatabaseWrapper) -> dict[str, list[str]]:
    applied: dict[str, list[str]] = {}
    for app, name in sorted(MigrationRecorder(connection).applied_migrations()):
        applied.setdefault(app, []).append(name)
    return applied


def unknown_migrations(connection: BaseDatabaseWrapper, manifest: Manifest) -> list[str]:
    """Migrations the backup's database had that this release does not know (a newer backup)."""
    known = set(MigrationLoader(None, ignore_no_migrations=True).disk_migrations)
    return sorted(
        f"{app}.{name}"
        for app, names in manifest.migrations.items()
        for name in names
        if (app, name) not in known
    )


def storage_files(storage: Storage, directory: str = "") -> Iterator[str]:
    """Every file name in the store, depth first, in a stable order."""
    try:
        directories, files = storage.listdir(directory)
    except (FileNotFoundError, NotADirectoryError):
        return
    for name in sorted(files):
        yield f"{directory}/{name}" if directory else name
    for name in sorted(directories):
        yield from storage_files(storage, f"{directory}/{name}" if directory else name)


def _digest(handle: IO[bytes]) -> str:
    digest = hashlib.sha256()
    while chunk := handle.read(CHUNK):
        digest.update(chunk)
    return digest.hexdigest()


def _sha256(path: Path) -> str:
    with path.open("rb") as handle:
        return _digest(handle)


# ---------------------------------------------------------------------------- PostgreSQL


def _pg_tool(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        raise BackupError(
            _(
                "Không tìm thấy lệnh %(name)s: cài gói postgresql-client cùng phiên bản chính "
                "với máy chủ PostgreSQL (hoặc mới hơn), rồi chạy lại."
            )
            % {"name": name}
        )
    return found


def _pg_connection(connection: BaseDatabaseWrapper) -> tuple[list[str], dict[str, str]]:
    """Command-line arguments and environment that reach the configured database."""
    settings = connection.settings_dict
    args: list[str] = []
    if settings.get("HOST"):
        args += ["--host", str(settings["HOST"])]
    if settings.get("PORT"):
        args += ["--port", str(settings["PORT"])]
    if settings.get("USER"):
        args += ["--username", str(settings["USER"])]
    args += ["--dbname", str(settings["NAME"])]
    environment = {**os.environ, "PGCONNECT_TIMEOUT": "10"}
    if settings.get("PASSWORD"):
        environment["PGPASSWORD"] = str(settings["PASSWORD"])
    sslmode = (settings.get("OPTIONS") or {}).get("sslmode")
    if sslmode:
        environment["PGSSLMODE"] = str(sslmode)
    return args, environment


def _run(command: list[str], environment: dict[str, str]) -> None:
    result = subprocess.run(command, env=environment, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        detail = (result.stderr or result.stdout).strip().splitlines()
        raise BackupError(
            _("%(tool)s dừng với lỗi: %(detail)s")
            % {"tool": Path(command[0]).name, "detail": " / ".join(detail[-5:])}
        )


# Tables whose rows a backup leaves out: live sessions (a restored copy must not let anyone in
# on a cookie of the time of the backup).
EXCLUDED_DATA = ("django_session",)


def _dump_postgresql(connection: BaseDatabaseWrapper, target: Path) -> None:
    args, environment = _pg_connection(connection)
    excluded = [f"--exclude-table-data={table}" for table in EXCLUDED_DATA]
    _run(
        [_pg_tool("pg_dump"), "--format=custom", "--file", str(target), *excluded, *args],
        environment,
    )


def _restore_postgresql(connection: BaseDatabaseWrapper, source: Path) -> None:
    args, environment = _pg_connection(connection)
    tool = _pg_tool("pg_restore")
    # This process must hold no lock on the tables that are about to be dropped.
    connection.close()
    _run(
        [
            tool,
            "--clean",
            "--if-exists",
            "--no-owner",
            "--no-privileges",
            "--single-transaction",
            "--exit-on-error",
            *args,
            str(source),
        ],
        environment,
    )


# ---------------------------------------------------------------------------- SQLite


def _raw_sqlite(connection: BaseDatabaseWrapper) -> sqlite3.Connection:
    connection.ensure_connection()
    raw = connection.connection
    assert isinstance(raw, sqlite3.Connection)
    return raw


def _dump_sqlite(connection: BaseDatabaseWrapper, target: Path) -> None:
    """SQLite's online backup: a consistent copy even while the application writes."""
    # Opened like the application's own connections (the Vietnamese collation of some
    # indexes), which VACUUM needs to rebuild them.
    copy = connection.get_new_connection(
        {**connection.get_connection_params(), "database": str(target)}
    )
    try:
        _raw_sqlite(connection).backup(copy)
        for table in EXCLUDED_DATA:
            copy.execute(f'DELETE FROM "{table}"')
        copy.commit()
        copy.execute("VACUUM")  # the deleted rows leave the file, not just the index
    finally:
        copy.close()


def _restore_sqlite(connection: BaseDatabaseWrapper, source: Path) -> None:
    if connection.in_atomic_block:
        raise BackupError(_("Không khôi phục được trong một giao dịch đang mở."))
    # Opened like the application's own connections, with Django's SQL functions and the
    # Vietnamese collation, which the integrity check needs for indexes that use them.
    backup = connection.get_new_connection(
        {**connection.get_connection_params(), "database": str(source)}
    )
    try:
        check = backup.execute("PRAGMA integrity_check").fetchone()
        if not check or check[0] != "ok":
            raise BackupError(_("Cơ sở dữ liệu trong tệp sao lưu bị hỏng."))
        backup.backup(_raw_sqlite(connection))
    finally:
        backup.close()


# ---------------------------------------------------------------------------- archive


def _open_for_reading(path: Path) -> tarfile.TarFile:
    return tarfile.open(path, "r:*")  # plain or gzip, whatever the name says


def _open_for_writing(path: Path, final_name: str) -> tarfile.TarFile:
    if final_name.endswith((".tar.gz", ".tgz")):
        return tarfile.open(path, "w:gz")
    return tarfile.open(path, "w")


def _add_bytes(archive: tarfile.TarFile, name: str, data: bytes) -> None:
    info = tarfile.TarInfo(name)
    info.size = len(data)
    info.mtime = int(timezone.now().timestamp())
    info.mode = 0o600
    archive.addfile(info, io.BytesIO(data))


class _Hashing:
    """Reads through a stored file, hashing what was read; full reads only, as tarfile wants."""

    def __init__(self, handle: IO[bytes]) -> None:
        self.handle = handle
        self.digest = hashlib.sha256()

    def read(self, size: int = -1) -> bytes:
        if size < 0:
            data = self.handle.read()
        else:
            parts = []
            wanted = size
            while wanted > 0 and (part := self.handle.read(wanted)):
                parts.append(part)
                wanted -= len(part)
            data = b"".join(parts)
        self.digest.update(data)
        return data


def create_backup(
    target: Path,
    *,
    include_media: bool = True,
    using: str = DEFAULT_DB_ALIAS,
    storage: Storage | None = None,
    report: Report = lambda line: None,
) -> Manifest:
    """Write the archive to ``target`` (through a temporary name, so a failed backup never
    leaves a file that looks complete)."""
    connection = connections[using]
    storage = storage or default_storage
    engine = engine_of(connection)
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(target.name + ".part")
    # Readable by the owner alone: the archive holds password hashes and every person's data.
    partial.unlink(missing_ok=True)
    partial.touch(mode=0o600)
    with tempfile.TemporaryDirectory(dir=target.parent, prefix=".thidua-backup-") as work:
        database_file = Path(work) / DATABASE_FILES[engine]
        report(_("Sao lưu cơ sở dữ liệu (%(engine)s)…") % {"engine": engine})
        if engine == "postgresql":
            _dump_postgresql(connection, database_file)
        else:
            _dump_sqlite(connection, database_file)
        manifest = Manifest(
            format=FORMAT,
            created_at=timezone.localtime().isoformat(timespec="seconds"),
            engine=engine,
            database=str(connection.settings_dict["NAME"]),
            database_sha256=_sha256(database_file),
            migrations=applied_migrations(connection),
        )
        try:
            with _open_for_writing(partial, target.name) as archive:
                archive.add(database_file, arcname=database_file.name)
                if include_media:
                    report(_("Sao lưu các tệp đã tải lên…"))
                    for name in storage_files(storage):
                        with storage.open(name, "rb") as handle:
                            reader = _Hashing(handle)
                            info = tarfile.TarInfo(MEDIA_PREFIX + name)
                            info.size = storage.size(name)
                            info.mode = 0o600
                            info.mtime = int(timezone.now().timestamp())
                            archive.addfile(info, reader)
                        manifest.media[name] = reader.digest.hexdigest()
                        manifest.media_files += 1
                        manifest.media_bytes += info.size
                _add_bytes(
                    archive,
                    MANIFEST,
                    json.dumps(asdict(manifest), ensure_ascii=False, indent=2).encode(),
                )
            os.chmod(partial, 0o600)  # whatever the umask did to the touch
            os.replace(partial, target)
        finally:
            partial.unlink(missing_ok=True)
    return manifest


def read_manifest(archive: tarfile.TarFile) -> Manifest:
    try:
        member = archive.getmember(MANIFEST)
    except KeyError:
        raise BackupError(_("Tệp này không phải là bản sao lưu của Thi đua.")) from None
    handle = archive.extractfile(member)
    assert handle is not None
    return Manifest.from_json(json.loads(handle.read()))


def _media_name(member: tarfile.TarInfo) -> str | None:
    """The store name of an archived file; None for anything else. Names that could climb out
    of the store (``..``, absolute paths) are refused."""
    if not member.isfile() or not member.name.startswith(MEDIA_PREFIX):
        return None
    name = member.name[len(MEDIA_PREFIX) :]
    path = PurePosixPath(name)
    if not name or path.is_absolute() or ".." in path.parts:
        raise BackupError(_("Tệp sao lưu có tên tệp không hợp lệ: %(name)s") % {"name": name})
    return name


def _check_engine(connection: BaseDatabaseWrapper, manifest: Manifest) -> None:
    engine = engine_of(connection)
    if manifest.engine != engine:
        raise BackupError(
            _(
                "Bản sao lưu là của %(backup)s, còn cơ sở dữ liệu đang cấu hình là %(current)s; "
                "chỉ khôi phục được vào cùng loại cơ sở dữ liệu."
            )
            % {"backup": manifest.engine, "current": engine}
        )


def check_backup(source: Path, *, using: str = DEFAULT_DB_ALIAS) -> Manifest:
    """Open the archive, check its manifest, checksums and that it fits this installation."""
    connection = connections[using]
    try:
        with _open_for_reading(source) as archive:
            manifest = read_manifest(archive)
            _check_engine(connection, manifest)
            names = set(archive.getnames())
            database_name = DATABASE_FILES.get(manifest.engine, "")
            if database_name not in names:
                raise BackupError(_("Tệp sao lưu thiếu phần cơ sở dữ liệu."))
            seen: set[str] = set()
            for member in archive.getmembers():
                name = _media_name(member)
                expected = manifest.database_sha256 if member.name == database_name else None
                if name is not None:
                    if name not in manifest.media:
                        raise BackupError(
                            _("Tệp sao lưu có tệp không có trong danh sách: %(name)s.")
                            % {"name": name}
                        )
                    expected = manifest.media[name]
                    seen.add(name)
                if expected is None:
                    continue
                handle = archive.extractfile(member)
                assert handle is not None
                if _digest(handle) != expected:
                    raise BackupError(
                        _("Tệp sao lưu bị hỏng: %(name)s không khớp mã kiểm tra.")
                        % {"name": member.name}
                    )
            missing = sorted(set(manifest.media) - seen)
            if missing:
                raise BackupError(
                    ngettext(
                        "Tệp sao lưu thiếu %(count)s tệp đã tải lên có trong danh sách: %(names)s.",
                        "Tệp sao lưu thiếu %(count)s tệp đã tải lên có trong danh sách: %(names)s.",
                        len(missing),
                    )
                    % {"count": len(missing), "names": ", ".join(missing[:5])}
                )
    except (tarfile.TarError, OSError, json.JSONDecodeError) as error:
        raise BackupError(
            _("Không đọc được tệp sao lưu %(path)s: %(error)s") % {"path": source, "error": error}
        ) from error
    newer = unknown_migrations(connection, manifest)
    if newer:
        raise BackupError(
            _(
                "Bản sao lưu được tạo bởi phiên bản mới hơn của chương trình (có các migration "
                "%(names)s); hãy cài phiên bản đó rồi khôi phục."
            )
            % {"names": ", ".join(newer[:5])}
        )
    return manifest


def restore_backup(
    source: Path,
    *,
    include_media: bool = True,
    using: str = DEFAULT_DB_ALIAS,
    storage: Storage | None = None,
    report: Report = lambda line: None,
) -> Manifest:
    connection = connections[using]
    storage = storage or default_storage
    manifest = check_backup(source, using=using)
    with (
        _open_for_reading(source) as archive,
        tempfile.TemporaryDirectory(prefix=".thidua-restore-") as work,
    ):
        database_name = DATABASE_FILES[manifest.engine]
        database_file = Path(work) / database_name
        handle = archive.extractfile(database_name)
        assert handle is not None
        with database_file.open("wb") as out:
            shutil.copyfileobj(handle, out, CHUNK)
        report(_("Khôi phục cơ sở dữ liệu (%(engine)s)…") % {"engine": manifest.engine})
        if manifest.engine == "postgresql":
            _restore_postgresql(connection, database_file)
        else:
            _restore_sqlite(connection, database_file)
        if include_media:
            report(_("Khôi phục các tệp đã tải lên…"))
            for member in archive.getmembers():
                name = _media_name(member)
                if name is None:
                    continue
                content = archive.extractfile(member)
                assert content is not None
                if storage.exists(name):
                    storage.delete(name)
                saved = storage.save(name, File(content, name=name))
                if saved != name:
                    raise BackupError(
                        _("Kho tệp lưu %(name)s thành %(saved)s; hãy kiểm tra cấu hình kho tệp.")
                        % {"name": name, "saved": saved}
                    )
    return manifest


def default_filename(now: datetime.datetime | None = None) -> str:
    moment = timezone.localtime(now or timezone.now())
    return f"thidua-{moment:%Y%m%d-%H%M%S}.tar"
