"""Factories of the notifications app."""

from __future__ import annotations

import factory

from notifications.models import Notification
from tests.factories.blocs import UserFactory


class NotificationFactory(factory.django.DjangoModelFactory[Notification]):
    """An unread notification shown in the app, of its own event (``event_key``)."""

    class Meta:
        model = Notification

    recipient = factory.SubFactory(UserFactory)
    kind = Notification.Kind.SHEET_SUBMITTED
    event_key = factory.Sequence(lambda n: f"test:{n}")
    title = factory.Sequence(lambda n: f"Thông báo số {n}")
    body = "Nội dung thông báo."
    url = "/my-work/"
