"""django-axes (wrong passwords and temporary lockouts) under a Vietnamese name.

django-axes names its app "Axes": the admin's index, breadcrumb and page titles would read
"AXES", "Quản lý Axes". Installed as ``thidua.lockout.AxesConfig`` in INSTALLED_APPS instead of
``"axes"``: the same app (label ``axes``, its migrations and ``ready``), named for what it holds.
Its tables' names are Django strings, translated in ``locale/django_vi``.
"""

from __future__ import annotations

from axes.apps import AppConfig as DjangoAxesConfig
from django.utils.translation import gettext_lazy as _


class AxesConfig(DjangoAxesConfig):
    verbose_name = _("Đăng nhập sai và khóa tạm thời")
