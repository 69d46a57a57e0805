"""Reads of notifications: the person's list (unread first) and the unread count."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Case, Count, IntegerField, OuterRef, Q, Subquery, Value, When
from django.db.models.expressions import Expression
from django.db.models.functions import Coalesce

from blocs.models import User
from notifications.models import Notification

PER_PAGE = 30


@dataclass(frozen=True)
class NotificationPage:
    """One page of the person's notifications, unread first, then newest first."""

    items: list[Notification]
    number: int
    num_pages: int
    total: int
    unread: int

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def has_next(self) -> bool:
        return self.number < self.num_pages


def notification_page(user: User, page: int = 1, per_page: int = PER_PAGE) -> NotificationPage:
    """Two queries whatever the number of notifications: the counts, then the page."""
    mine = Notification.objects.for_user(user)
    counts = mine.aggregate(total=Count("pk"), unread=Count("pk", filter=Q(read_at__isnull=True)))
    total, unread = counts["total"], counts["unread"]
    num_pages = max(1, -(-total // per_page))
    number = min(max(1, page), num_pages)
    start = (number - 1) * per_page
    items = list(
        mine.annotate(
            read_order=Case(
                When(read_at__isnull=True, then=Value(0)),
                default=Value(1),
                output_field=IntegerField(),
            )
        ).order_by("read_order", "-created_at", "-pk")[start : start + per_page]
    )
    return NotificationPage(
        items=items, number=number, num_pages=num_pages, total=total, unread=unread
    )


def unread_count(user: User) -> int:
    """The number in the header: one query, or none when the user row carries it already."""
    annotated = getattr(user, "unread_notifications", None)
    if isinstance(annotated, int):
        return annotated
    return Notification.objects.for_user(user).unread().count()


def unread_count_annotation() -> Expression:
    """``User.objects.annotate(unread_notifications=unread_count_annotation())``: the header count
    read with the user row itself (the authentication backend can use it; then the header costs
    no query at all)."""
    unread = (
        Notification.objects.filter(recipient=OuterRef("pk"), in_app=True, read_at__isnull=True)
        .order_by()
        .values("recipient")
        .annotate(count=Count("pk"))
        .values("count")
    )
    return Coalesce(Subquery(unread, output_field=IntegerField()), Value(0))
