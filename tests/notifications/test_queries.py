"""Query budgets: the list page and the header count stay the same whatever the numbers."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.test import RequestFactory

from blocs.models import User
from notifications.context import notifications
from notifications.selectors import unread_count_annotation
from tests.conftest import client_for
from tests.notifications.conftest import make_notification

pytestmark = pytest.mark.django_db
# session, user, the counts, the page (the header reuses the counts)
LIST_QUERIES = 4


@pytest.mark.parametrize("size", [3, 60])
def test_the_list_page_has_a_fixed_budget(
    size: int, focal_point: User, secretariat: User, django_assert_num_queries
) -> None:
    for n in range(size):
        make_notification(focal_point, n)
        make_notification(secretariat, n)
    client = client_for(focal_point)
    with django_assert_num_queries(LIST_QUERIES):
        response = client.get("/notifications/")
    assert response.status_code == 200
    with django_assert_num_queries(LIST_QUERIES):
        client.get("/notifications/?page=2")


@pytest.mark.parametrize("size", [3, 60])
def test_the_header_count_is_one_query(
    size: int, focal_point: User, django_assert_num_queries
) -> None:
    for n in range(size):
        make_notification(focal_point, n)
    request = RequestFactory().get("/")
    request.user = focal_point
    with django_assert_num_queries(0):
        context = notifications(request)  # lazy: nothing until printed
    with django_assert_num_queries(1):
        assert str(context["unread_notifications"]) == str(size)
        assert bool(context["unread_notifications"])


def test_the_header_count_costs_nothing_for_an_anonymous_visitor(django_assert_num_queries) -> None:
    request = RequestFactory().get("/")
    request.user = AnonymousUser()
    with django_assert_num_queries(0):
        assert notifications(request) == {"unread_notifications": 0}


def test_the_header_count_read_with_the_user_row_costs_no_query(
    focal_point: User, django_assert_num_queries
) -> None:
    """What an authentication backend gets by annotating the user it loads."""
    for n in range(4):
        make_notification(focal_point, n)
    make_notification(focal_point, 9, in_app=False)
    user = User.objects.annotate(unread_notifications=unread_count_annotation()).get(
        pk=focal_point.pk
    )
    request = RequestFactory().get("/")
    request.user = user
    with django_assert_num_queries(0):
        assert str(notifications(request)["unread_notifications"]) == "4"
