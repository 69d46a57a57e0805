"""The e-mail: Vietnamese, plain text and HTML, with the absolute link."""

from __future__ import annotations

import pytest
from django.utils import translation

from blocs.models import User
from notifications import services
from scoring.services import transitions
from tests.conftest import ScoringWorld
from tests.notifications.conftest import deliver_queued, fill_self

pytestmark = pytest.mark.django_db


def test_the_mail_is_in_vietnamese_with_the_absolute_link(
    scoring_world: ScoringWorld,
    mail_everyone,
    focal_point: User,
    secretariat: User,
    settings,
    django_capture_on_commit_callbacks,
    mailoutbox,
) -> None:
    settings.SITE_URL = "https://thidua.quangnam.gov.vn"
    settings.DEFAULT_FROM_EMAIL = "Thi đua <thidua@quangnam.gov.vn>"
    sheet = fill_self(scoring_world.draft_sheet)
    with translation.override("en"), django_capture_on_commit_callbacks(execute=True):
        transitions.sheet_submit(sheet=sheet, by=focal_point)
    with translation.override("en"):  # nor the worker's
        deliver_queued()
    [message] = mailoutbox
    link = f"https://thidua.quangnam.gov.vn/scoring/sheets/{sheet.pk}/"
    assert message.subject == "[Thi đua] Báo Quảng Nam đã gửi bảng tự chấm năm 2020"
    assert message.from_email == "Thi đua <thidua@quangnam.gov.vn>"
    assert message.to == ["thuky@example.gov.vn"]
    assert message.extra_headers["Auto-Submitted"] == "auto-generated"
    assert message.body.startswith(
        "Kính gửi thuky,\n\nBáo Quảng Nam đã gửi bảng tự chấm năm 2020\n"
    )
    assert f"Xem chi tiết: {link}" in message.body
    assert "https://thidua.quangnam.gov.vn/notifications/preferences/" in message.body
    assert "&" not in message.body  # plain text is not HTML-escaped
    [(html, mimetype)] = message.alternatives
    assert mimetype == "text/html"
    assert f'href="{link}"' in html
    assert '<html lang="vi">' in html
    assert "Xem chi tiết</a>" in html


def test_a_title_never_breaks_the_subject_line(
    mail_everyone, focal_point: User, django_capture_on_commit_callbacks, mailoutbox
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        services.notify(
            recipients=[focal_point],
            kind="deadline",
            event_key="x",
            title="Dòng một\nDòng hai <b>",
            body="A & B",
        )
    deliver_queued()
    [message] = mailoutbox
    assert message.subject == "[Thi đua] Dòng một Dòng hai <b>"
    assert "A & B" in message.body
    assert "A &amp; B" in message.alternatives[0][0]
    assert "Xem chi tiết" not in message.body  # no link, no line for it
