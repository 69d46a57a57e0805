"""The in-app list, marking read, the preferences page and the header count."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest
from django.urls import reverse

from blocs.models import AuditEntry, User
from notifications.models import Notification, NotificationPreference
from tests.conftest import World, client_for
from tests.factories import NotificationFactory

if TYPE_CHECKING:
    from django.test.client import _MonkeyPatchedWSGIResponse

pytestmark = pytest.mark.django_db
LIST = "/notifications/"


def told(response: _MonkeyPatchedWSGIResponse) -> list[str]:
    """The messages the page shows after the redirect."""
    return [str(message) for message in response.context["messages"]]


def test_the_list_shows_only_my_notifications_unread_first(
    focal_point: User, secretariat: User
) -> None:
    read = NotificationFactory.create(recipient=focal_point, title="Đã đọc từ trước")
    Notification.objects.filter(pk=read.pk).update(read_at=read.created_at)
    NotificationFactory.create(recipient=focal_point, title="Mới nhất, chưa đọc")
    NotificationFactory.create(recipient=secretariat, title="Của người khác")
    NotificationFactory.create(recipient=focal_point, title="Chỉ gửi thư", in_app=False)
    response = client_for(focal_point).get(LIST)
    assert response.status_code == 200
    page = response.context["page"]
    assert [item.title for item in page.items] == ["Mới nhất, chưa đọc", "Đã đọc từ trước"]
    assert page.unread == 1
    assert response.context["unread_notifications"] == 1  # the header, from the same count
    assert "1 thông báo chưa đọc" in response.content.decode()


def test_an_empty_list_says_what_will_come(focal_point: User) -> None:
    html = client_for(focal_point).get(LIST).content.decode()
    assert "Chưa có thông báo nào." in html
    assert "Đánh dấu tất cả đã đọc" not in html


def test_the_list_is_paged(focal_point: User) -> None:
    NotificationFactory.create_batch(35, recipient=focal_point)
    client = client_for(focal_point)
    first = client.get(LIST).context["page"]
    second = client.get(LIST + "?page=2").context["page"]
    beyond = client.get(LIST + "?page=99").context["page"]
    assert (len(first.items), len(second.items)) == (30, 5)
    assert (first.num_pages, beyond.number) == (2, 2)
    html = client.get(LIST + "?page=2").content.decode()
    assert "Trang 2/2" in html and 'rel="prev"' in html and 'rel="next"' not in html
    assert client.get(LIST + "?page=abc").status_code == 200


def test_opening_a_notification_marks_it_read_and_goes_to_its_page(focal_point: User) -> None:
    notification = NotificationFactory.create(recipient=focal_point, url="/my-work/")
    response = client_for(focal_point).post(reverse("notifications:open", args=[notification.pk]))
    assert response.status_code == 302
    assert response["Location"] == "/my-work/"
    notification.refresh_from_db()
    assert notification.read_at is not None


def test_an_address_outside_the_site_is_never_followed(focal_point: User) -> None:
    notification = NotificationFactory.create(
        recipient=focal_point, url="https://evil.example.com/"
    )
    response = client_for(focal_point).post(reverse("notifications:open", args=[notification.pk]))
    assert response["Location"] == LIST


def test_marking_one_read_keeps_the_page(focal_point: User) -> None:
    notification = NotificationFactory.create(recipient=focal_point)
    response = client_for(focal_point).post(
        reverse("notifications:read", args=[notification.pk]), {"page": "2"}
    )
    assert response["Location"] == LIST + "?page=2"
    notification.refresh_from_db()
    assert notification.read_at is not None


@pytest.mark.parametrize("name", ["notifications:open", "notifications:read"])
def test_someone_elses_notification_is_not_found(
    name: str, focal_point: User, secretariat: User
) -> None:
    theirs = NotificationFactory.create(recipient=secretariat)
    response = client_for(focal_point).post(reverse(name, args=[theirs.pk]))
    assert response.status_code == 404
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_marking_all_read_touches_only_mine(focal_point: User, secretariat: User) -> None:
    NotificationFactory.create_batch(3, recipient=focal_point)
    theirs = NotificationFactory.create(recipient=secretariat)
    response = client_for(focal_point).post(reverse("notifications:read-all"), follow=True)
    assert told(response) == ["Đã đánh dấu 3 thông báo là đã đọc."]
    assert Notification.objects.for_user(focal_point).unread().count() == 0
    theirs.refresh_from_db()
    assert theirs.read_at is None


@pytest.mark.parametrize("name", ["notifications:read-all"])
def test_writes_need_a_post(name: str, focal_point: User) -> None:
    assert client_for(focal_point).get(reverse(name)).status_code == 405


def test_reading_needs_a_login(world: World) -> None:
    response = client_for(None).get(LIST)
    assert response.status_code == 302
    assert response["Location"].startswith("/login/")


def test_the_preferences_page_shows_the_defaults_and_the_address(focal_point: User) -> None:
    User.objects.filter(pk=focal_point.pk).update(email="daumoi@example.gov.vn")
    response = client_for(focal_point).get(reverse("notifications:preferences"))
    assert response.status_code == 200
    form = response.context["form"]
    assert [form[name].value() for name in form.fields] == [True] * 5
    assert "Thư được gửi đến daumoi@example.gov.vn." in response.content.decode()


def test_the_preferences_page_says_when_there_is_no_address(focal_point: User) -> None:
    html = client_for(focal_point).get(reverse("notifications:preferences")).content.decode()
    assert "chưa có địa chỉ thư điện tử" in html


def test_saving_preferences_turns_channels_off_and_is_audited(focal_point: User) -> None:
    response = client_for(focal_point).post(
        reverse("notifications:preferences"),
        {"in_app_enabled": "on", "email_enabled": "on", "email_proposals": "on"},
        follow=True,
    )
    assert told(response) == ["Đã lưu lựa chọn nhận thông báo."]
    preference = NotificationPreference.objects.get(user=focal_point)
    assert (preference.email_sheets, preference.email_proposals, preference.email_deadlines) == (
        False,
        True,
        False,
    )
    assert AuditEntry.objects.filter(action="notifications.preferences").count() == 1


def test_saving_with_nothing_ticked_turns_everything_off(focal_point: User) -> None:
    client_for(focal_point).post(reverse("notifications:preferences"), {})
    preference = NotificationPreference.objects.get(user=focal_point)
    assert not preference.in_app_enabled and not preference.email_enabled


def test_the_header_shows_the_unread_count_next_to_the_name(
    focal_point: User, secretariat: User
) -> None:
    NotificationFactory.create_batch(3, recipient=focal_point)
    NotificationFactory.create(recipient=secretariat)
    html = client_for(focal_point).get(reverse("my-work")).content.decode()
    assert (
        'class="account-notifications">Thông báo&nbsp;(3'
        '<span class="visually-hidden"> chưa đọc</span>)' in html
    )


def test_the_header_shows_no_number_when_all_is_read_and_nothing_to_anonymous(
    world: World, focal_point: User
) -> None:
    html = client_for(focal_point).get(reverse("my-work")).content.decode()
    assert 'class="account-notifications">Thông báo</a>' in html
    anonymous = client_for(None).get(reverse("blocs:home")).content.decode()
    assert "account-notifications" not in anonymous
