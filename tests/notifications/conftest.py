"""Fixtures of the notification tests: the personas with e-mail addresses, and a deputy's
focal point (the other half of the 2020 secretariat)."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import pytest

from blocs import services as bloc_services
from blocs.models import User
from notifications import outbox
from notifications.models import Notification
from scoring.models import ScoreSheet
from scoring.services import sheets as sheet_services
from scoring.services.sheets import SELF, LineEntry
from tests.conftest import World
from tests.factories import NotificationFactory
from tests.notifications.backends import MailServer


@pytest.fixture
def mail_everyone(personas: dict[str, User | None]) -> dict[str, User | None]:
    """The personas, each with an e-mail address."""
    for user in personas.values():
        if user is not None:
            user.email = f"{user.username}@example.gov.vn"
            user.save(update_fields=["email"])
    return personas


@pytest.fixture
def mail_server(settings: Any) -> Iterator[type[MailServer]]:
    """The configured mail backend, down until the test brings it up (``MailServer.down``)."""
    MailServer.reset()
    settings.EMAIL_BACKEND = "tests.notifications.backends.MailServer"
    yield MailServer
    MailServer.reset()


@pytest.fixture
def deputy_secretary(world: World) -> User:
    """A focal point of the deputy unit: also the bloc secretariat of 2020."""
    return bloc_services.user_create(
        username="khoipho",
        password="mat-khau-thu-nghiem",
        unit=world.deputy,
        role=User.Role.FOCAL_POINT,
        full_name="Trần Khối Phó",
        email="khoipho@example.gov.vn",
    )


def fill_self(sheet: ScoreSheet) -> ScoreSheet:
    """Every self line of a draft sheet filled, ready to submit."""
    sheet = ScoreSheet.objects.select_related("bloc_year__scoring__criteria_set", "unit").get(
        pk=sheet.pk
    )
    codes = dict(sheet.bloc_year.scoring.criteria_set.criteria.values_list("code", "id"))
    sheet_services.sheet_save(
        sheet=sheet,
        layer=SELF,
        entries={
            codes["I.1"]: LineEntry(Decimal("5.5")),
            codes["I.2"]: LineEntry(Decimal(9), Decimal(10)),
            codes["II.1"]: LineEntry(Decimal(1)),
            codes["III.1"]: LineEntry(Decimal(0)),
        },
        version=sheet.version,
        by=None,
    )
    sheet.refresh_from_db()
    return sheet


def make_notification(user: User, n: int = 0, **fields: Any) -> Notification:
    """The user's notification number ``n`` (its event ``test:n``); see NotificationFactory."""
    values: dict[str, Any] = {"event_key": f"test:{n}", "title": f"Thông báo số {n}"}
    return NotificationFactory.create(recipient=user, **(values | fields))


def deliver_queued(**options: Any) -> outbox.DeliveryReport:
    """One run of the mail worker (``manage.py deliver_mail --once``)."""
    return outbox.deliver_due(**options)
