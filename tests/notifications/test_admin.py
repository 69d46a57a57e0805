"""Django admin: read-only lists for checking deliveries."""

from __future__ import annotations

import pytest
from django.urls import reverse

from blocs.models import User
from notifications.models import Notification
from tests.conftest import client_for
from tests.notifications.conftest import make_notification

pytestmark = pytest.mark.django_db


@pytest.fixture
def superuser(db: None) -> User:
    return User.objects.create_superuser(username="it", password="mat-khau-thu-nghiem")


def test_a_superuser_sees_deliveries_and_cannot_edit_them(
    superuser: User, focal_point: User
) -> None:
    notification = make_notification(
        focal_point, title="Thư lỗi", email_status=Notification.EmailStatus.FAILED
    )
    client = client_for(superuser)
    changelist = client.get(
        reverse("admin:notifications_notification_changelist") + "?email_status=failed"
    )
    assert changelist.status_code == 200
    assert "Thư lỗi" in changelist.content.decode()
    change = client.get(reverse("admin:notifications_notification_change", args=[notification.pk]))
    assert change.status_code == 200
    assert 'name="title"' not in change.content.decode()
    assert client.get(reverse("admin:notifications_notification_add")).status_code == 403
    assert (
        client.get(reverse("admin:notifications_notificationpreference_changelist")).status_code
        == 200
    )
