"""The project's admin site: Django's, with its tables listed in Vietnamese alphabetical order
and every search box ignoring case and Vietnamese marks.

Django sorts the apps and tables of the index by their names as Python compares them, which
puts "Đơn vị" after "Văn bản" (Đ is not a Latin D to Python); here they follow the Vietnamese
alphabet (common.collation). Installed as ``thidua.admin.AdminConfig`` in INSTALLED_APPS;
the header and titles are set in thidua/urls.py. Every admin registered with ``search_fields``
searches through ``common.admin_search.FoldedSearchMixin``: the project's name it in their bases
(``ScopedAdmin``, ``UserAdmin``, notifications' ``ReadOnlyAdmin``), and the site adds it at
registration to the others (Django's groups, django-axes' tables).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.contrib import admin
from django.contrib.admin.apps import AdminConfig as DjangoAdminConfig
from django.core.exceptions import ImproperlyConfigured
from django.db.models import Model
from django.http import HttpRequest

from common.admin_search import FoldedSearchMixin
from common.collation import vietnamese_sort_key


def with_folded_search(admin_class: type[admin.ModelAdmin[Any]]) -> type[admin.ModelAdmin[Any]]:
    """``admin_class`` searching with marks ignored: a subclass with the mixin first, for the
    admins of Django and django-axes. The project's admins name the mixin among their bases,
    under their own ``get_search_results``; one that overrides it without the mixin would lose
    its override here, so it is refused."""
    if not admin_class.search_fields or issubclass(admin_class, FoldedSearchMixin):
        return admin_class
    if admin_class.get_search_results is not admin.ModelAdmin.get_search_results:
        raise ImproperlyConfigured(
            f"{admin_class.__qualname__} searches its own way: add FoldedSearchMixin to its bases"
        )
    return type(admin_class.__name__, (FoldedSearchMixin, admin_class), {"__module__": __name__})


class AdminSite(admin.AdminSite):
    def register(
        self,
        model_or_iterable: type[Model] | Iterable[type[Model]],
        admin_class: type[admin.ModelAdmin[Any]] | None = None,
        **options: Any,
    ) -> None:
        if admin_class is not None:
            admin_class = with_folded_search(admin_class)
        super().register(model_or_iterable, admin_class, **options)

    def get_app_list(self, request: HttpRequest, app_label: str | None = None) -> list[Any]:
        app_list = super().get_app_list(request, app_label)
        for app in app_list:
            app["models"].sort(key=lambda model: vietnamese_sort_key(str(model["name"])))
        app_list.sort(key=lambda app: vietnamese_sort_key(str(app["name"])))
        return app_list


class AdminConfig(DjangoAdminConfig):
    default_site = "thidua.admin.AdminSite"
