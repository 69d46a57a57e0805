"""Control characters: one policy for free text (common.text), and writers that text already
stored cannot break.

A vertical tab in a score note once made that sheet's XLSX download fail for everyone, and one
in a document's narrative broke the DOCX, issuing and the conference pack. Here every C0
control character goes into the free-text fields people type (they are dropped where text
enters), then straight into every text column of the project's models (as text stored before
the policy would be), and every page and download of the permission table is fetched: never a
server error, and every XLSX and DOCX opens.
"""

from __future__ import annotations

import io
import zipfile
from typing import Any

import openpyxl
import pytest
from django.apps import apps
from django.db import connection, models
from django.urls import reverse

from common.text import CONTROL
from scoring.models import ScoreLine
from tests.conftest import client_for
from tests.reports.worlds import draft, issued_quickly
from tests.test_permissions import TABLE

pytestmark = pytest.mark.django_db

# Every C0 control and DEL but tab and line breaks; PostgreSQL cannot store NUL at all, so the
# stored-text half leaves it out there (the typed half sends it everywhere).
ALL = "".join(chr(code) for code in [*range(0x20), 0x7F] if chr(code) not in "\t\n\r")
STORED = ALL if connection.vendor != "postgresql" else ALL.replace("\x00", "")
PROJECT_APPS = ("blocs", "scoring", "awards", "reports", "notifications")
SKIPPED_FIELDS = {"password", "username", "email", "event_key", "context", "action"}


def test_typed_control_characters_never_reach_the_database(
    scoring_world: Any, focal_point: Any
) -> None:
    sheet = scoring_world.draft_sheet
    sheet.refresh_from_db()
    criterion = scoring_world.leaf
    response = client_for(focal_point).post(
        sheet.get_absolute_url(),
        {
            "version": str(sheet.version),
            f"v-{criterion.pk}": f"5{ALL}",
            f"x-{criterion.pk}": f"Có{ALL} biên bản",
            "action": "save",
        },
    )
    assert response.status_code == 302
    line = ScoreLine.objects.get(sheet=sheet, criterion=criterion)
    assert (line.self_value, line.note) == (5, "Có biên bản")
    response = client_for(focal_point).get(reverse("blocs:home"), {"q": f"a{ALL}b"})
    assert response.status_code == 200


def _poison() -> int:
    """Append the control characters to every free-text value of the project's models, as
    text stored before the policy could be. Returns how many values were changed."""
    changed = 0
    for model in apps.get_models():
        if model._meta.app_label not in PROJECT_APPS or model._meta.proxy:
            continue
        fields = [
            field
            for field in model._meta.concrete_fields
            if isinstance(field, models.CharField | models.TextField)
            and not field.choices
            and field.name not in SKIPPED_FIELDS
            and not field.primary_key
        ]
        if not fields:
            continue
        for row in model._base_manager.all():
            updated = []
            for field in fields:
                value = getattr(row, field.attname)
                if value:
                    room = (field.max_length or 10_000) - len(value)
                    suffix = STORED[: max(room, 0)]
                    if suffix:
                        setattr(row, field.attname, value + suffix)
                        updated.append(field.attname)
            if updated:
                model._base_manager.filter(pk=row.pk).update(
                    **{name: getattr(row, name) for name in updated}
                )
                changed += len(updated)
    return changed


def _opens(response: Any) -> None:
    """An XLSX, DOCX or ZIP download is a file its reader opens."""
    kind = response.get("Content-Type", "")
    content = b"".join(response.streaming_content) if response.streaming else response.content
    if "spreadsheetml" in kind:
        openpyxl.load_workbook(io.BytesIO(content))
    elif "wordprocessingml" in kind or "zip" in kind:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            assert archive.testzip() is None


@pytest.mark.parametrize("persona", ["anonymous", "council_admin", "secretariat", "leader"])
def test_stored_control_characters_break_no_page_and_no_download(
    awards_world: Any, personas: dict[str, Any], persona: str
) -> None:
    w = awards_world
    # An issued document is served as kept at issue (here a few placeholder bytes); a draft's
    # files are written now, from the poisoned text.
    issued = issued_quickly(w.provisional_year, "report")
    documents = [issued, draft(w.provisional_year, "covenant")]
    # The URLs first: some are found by code, and codes are poisoned too.
    urls = [build(w) for build, method, _expected in TABLE.values() if method == "get"]
    urls += [
        reverse("reports:download", args=[document.pk, fmt])
        for document in documents
        for fmt in ("docx", "pdf")
    ]
    ScoreLine.objects.update(note="Có biên bản", verified_reason="Đúng hồ sơ")
    assert _poison() > 50
    assert CONTROL.search(ScoreLine.objects.values_list("note", flat=True).first() or "")
    client = client_for(personas[persona])
    client.raise_request_exception = False
    failures = []
    for url in urls:
        response = client.get(url)
        if response.status_code >= 500:
            failures.append(f"{url} → {response.status_code}")
        elif response.status_code == 200 and f"/documents/{issued.pk}/" not in url:
            try:
                _opens(response)
            except Exception as error:  # an unreadable file is the failure reported
                failures.append(f"{url}: the file does not open ({error})")
    assert not failures, "\n".join(failures)
