"""The project's admin site: Django's, with its tables listed in Vietnamese alphabetical order.

Django sorts the apps and tables of the index by their names as Python compares them, which
puts "Đơn vị" after "Văn bản" (Đ is not a Latin D to Python); here they follow the Vietnamese
alphabet (common.collation). Installed as ``thidua.admin.AdminConfig`` in INSTALLED_APPS;
the header and titles are set in thidua/urls.py.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.contrib.admin.apps import AdminConfig as DjangoAdminConfig
from django.http import HttpRequest

from common.collation import vietnamese_sort_key


class AdminSite(admin.AdminSite):
    def get_app_list(self, request: HttpRequest, app_label: str | None = None) -> list[Any]:
        app_list = super().get_app_list(request, app_label)
        for app in app_list:
            app["models"].sort(key=lambda model: vietnamese_sort_key(str(model["name"])))
        app_list.sort(key=lambda app: vietnamese_sort_key(str(app["name"])))
        return app_list


class AdminConfig(DjangoAdminConfig):
    default_site = "thidua.admin.AdminSite"
