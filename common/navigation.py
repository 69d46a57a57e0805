"""The breadcrumb trail every page shows, and the type of a menu item."""

from __future__ import annotations

from typing import NamedTuple

from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


class Crumb(NamedTuple):
    label: str | Promise
    url: str | None = None


class NavItem(NamedTuple):
    label: str | Promise
    url: str
    key: str


def home_crumb() -> Crumb:
    return Crumb(_("Trang chủ"), reverse("blocs:home"))
