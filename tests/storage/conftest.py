"""The file store on S3: every test in this folder runs with ``MEDIA_STORAGE=s3``.

moto's S3 server (``moto[server]``, ``ThreadedMotoServer``) is started once per run on
127.0.0.1, on a port the system picks, and a bucket is created in it. Each test then gets
``STORAGES["default"]`` built by the production settings' own code (``_media_storage()`` in
thidua/settings.py, from the ``MEDIA_STORAGE`` and ``S3_*`` variables a deployment sets), so
django-storages' S3 backend and boto3 talk HTTP to that server exactly as they would to a real
store. The bucket is emptied after every test.

Without moto or django-storages (or if the server cannot start) the tests skip and say why;
under CI (CI=true) that is a failure, so CI really runs them (as tests/browser does for
Chromium).
"""

from __future__ import annotations

import logging
import os
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from django.core.files.storage import default_storage, storages

BUCKET = "thidua-media"
REGION = "ap-southeast-1"
ACCESS_KEY = "thidua-test-access-key"
SECRET_KEY = "thidua-test-secret-key"
START_TIMEOUT = 30.0


def _missing(reason: str) -> None:
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"{reason} — CI must run the S3 storage tests.")
    pytest.skip(reason)


@dataclass
class S3:
    """The running server and a boto3 client of its own, to look at the bucket without going
    through the application."""

    endpoint: str
    client: Any
    bucket: str = BUCKET

    def environment(self) -> dict[str, str]:
        """What a deployment sets for this store (docs/configuration.md)."""
        return {
            "MEDIA_STORAGE": "s3",
            "S3_BUCKET": self.bucket,
            "S3_ENDPOINT_URL": self.endpoint,
            "S3_REGION": REGION,
            "S3_ACCESS_KEY_ID": ACCESS_KEY,
            "S3_SECRET_ACCESS_KEY": SECRET_KEY,
        }

    def names(self) -> list[str]:
        pages = self.client.get_paginator("list_objects_v2").paginate(Bucket=self.bucket)
        return sorted(item["Key"] for page in pages for item in page.get("Contents", ()))

    def read(self, key: str) -> bytes:
        data: bytes = self.client.get_object(Bucket=self.bucket, Key=key)["Body"].read()
        return data

    def objects(self) -> dict[str, bytes]:
        return {key: self.read(key) for key in self.names()}

    def delete(self, key: str) -> None:
        self.client.delete_object(Bucket=self.bucket, Key=key)

    def empty(self) -> None:
        for key in self.names():
            self.delete(key)


@pytest.fixture(scope="session")
def s3_server() -> Iterator[S3]:
    try:
        import boto3
        import storages.backends.s3  # noqa: F401
        from moto.server import ThreadedMotoServer
    except ImportError as error:
        _missing(
            f"{error.name} is not installed: the S3 tests need moto[server] and "
            "django-storages[s3] (`make test` installs them from requirements/dev.lock.txt)"
        )
        raise
    # moto answers through werkzeug, which logs every request at INFO.
    logging.getLogger("werkzeug").setLevel(logging.WARNING)
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    # start() waits for the server without a limit; a server that cannot bind would hang.
    starting = threading.Thread(target=server.start, daemon=True)
    starting.start()
    starting.join(START_TIMEOUT)
    if starting.is_alive():
        _missing(f"moto's S3 server did not start on 127.0.0.1 within {START_TIMEOUT:.0f} s")
    host, port = server.get_host_and_port()
    endpoint = f"http://{host}:{port}"
    client = boto3.client(
        "s3",
        endpoint_url=endpoint,
        region_name=REGION,
        aws_access_key_id=ACCESS_KEY,
        aws_secret_access_key=SECRET_KEY,
    )
    client.create_bucket(Bucket=BUCKET, CreateBucketConfiguration={"LocationConstraint": REGION})
    try:
        yield S3(endpoint=endpoint, client=client)
    finally:
        server.stop()


@pytest.fixture(autouse=True)
def s3(s3_server: S3, settings: Any, monkeypatch: pytest.MonkeyPatch) -> Iterator[S3]:
    """``STORAGES["default"]`` as the production settings build it for ``MEDIA_STORAGE=s3``,
    for this test only (``settings`` puts the test suite's in-memory store back afterwards)."""
    from storages.backends.s3 import S3Storage

    from thidua.settings import _media_storage

    for name, value in s3_server.environment().items():
        monkeypatch.setenv(name, value)
    s3_server.empty()
    settings.STORAGES = {**settings.STORAGES, "default": _media_storage()}
    # The override resets the storages, so every FileField now writes to the bucket.
    assert isinstance(storages["default"], S3Storage)
    assert getattr(default_storage, "bucket_name", None) == s3_server.bucket
    yield s3_server
    s3_server.empty()
