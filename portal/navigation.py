"""The top navigation, by role: one menu per role, nothing the person cannot use."""

from __future__ import annotations

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from blocs.models import User
from common.navigation import NavItem


def navigation(request: HttpRequest) -> dict[str, object]:
    """Context processor: the links this person's role needs (one menu per role, nothing the
    person cannot use)."""
    # No user on a request refused before authentication (a foreign Host header → 400 page).
    user = getattr(request, "user", None)
    items = [NavItem(_("Khối thi đua"), reverse("blocs:home"), "blocs")]
    if user is not None and user.is_authenticated:
        items.insert(0, NavItem(_("Việc của tôi"), reverse("my-work"), "work"))
        is_admin = user.is_staff and (user.is_superuser or user.role == User.Role.COUNCIL_ADMIN)
        if is_admin or user.role == User.Role.LEADER:
            items.insert(1, NavItem(_("Tổng quan"), reverse("dashboard"), "dashboard"))
        if user.role == User.Role.LEADER:
            items.append(NavItem(_("Duyệt đề nghị"), reverse("awards:review-queue"), "review"))
        if is_admin or user.role == User.Role.LEADER:
            items.append(NavItem(_("Quyết định"), reverse("awards:decisions"), "decisions"))
        items.append(NavItem(_("Quy định"), reverse("awards:rule-sets"), "rule-sets"))
        if is_admin:
            items.append(NavItem(_("Bảng tiêu chí"), reverse("scoring:criteria-sets"), "criteria"))
            items.append(NavItem(_("Nhập năm cũ"), reverse("scoring:import"), "import"))
            if user.unit is not None:
                items.append(
                    NavItem(
                        _("Sắp xếp tổ chức"),
                        reverse("blocs:reorganisation", args=[user.unit.council.code]),
                        "reorganisation",
                    )
                )
                items.append(
                    NavItem(
                        _("Người dùng"),
                        reverse("blocs:people", args=[user.unit.council.code]),
                        "people",
                    )
                )
            items.append(NavItem(_("Quản trị"), reverse("admin:index"), "admin"))
    return {"nav_items": items}
