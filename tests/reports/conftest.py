"""Fixtures of the documents tests, and the poppler tools they read PDFs with.

``pdftotext`` and ``pdftoppm`` come from Debian's poppler-utils. Without them the tests that
need them skip and say why; under CI (CI=true) a missing tool is a failure, so CI really runs
them (as tests/browser does for Chromium).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest

from blocs.models import User
from tests.conftest import World
from tests.reports.worlds import DocumentsYear, documents_year

ARTIFACTS = Path(__file__).resolve().parents[2] / "var" / "test-artifacts" / "documents"


def missing(reason: str) -> None:
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"{reason} — CI must run the PDF tests.")
    pytest.skip(reason)


def poppler(tool: str) -> str:
    path = shutil.which(tool)
    if path is None:
        missing(f"{tool} is not installed (apt-get install poppler-utils)")
    assert path is not None
    return path


def pdf_text(pdf: bytes) -> str:
    """The PDF's text in reading order, as ``pdftotext -layout`` extracts it."""
    tool = poppler("pdftotext")
    with tempfile.TemporaryDirectory() as folder:
        source = Path(folder) / "document.pdf"
        source.write_bytes(pdf)
        result = subprocess.run(
            [tool, "-enc", "UTF-8", "-layout", str(source), "-"],
            check=True,
            capture_output=True,
            timeout=60,
        )
    return result.stdout.decode("utf-8")


def pdf_pages_png(pdf: bytes, name: str, *, resolution: int = 80) -> list[Path]:
    """Every page as PNG under var/test-artifacts/documents/, for a person to look at."""
    tool = poppler("pdftoppm")
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    for old in ARTIFACTS.glob(f"{name}-*.png"):
        old.unlink()
    source = ARTIFACTS / f"{name}.pdf"
    source.write_bytes(pdf)
    subprocess.run(
        [tool, "-png", "-r", str(resolution), str(source), str(ARTIFACTS / name)],
        check=True,
        capture_output=True,
        timeout=120,
    )
    return sorted(ARTIFACTS.glob(f"{name}-*.png"))


@pytest.fixture
def year(world: World, secretariat: User) -> DocumentsYear:
    return documents_year(world, by=secretariat)
