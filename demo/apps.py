from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DemoConfig(AppConfig):
    """The demonstration scenario (docs/decisions.md, "Demo"): depends on every other app, nothing on it."""

    name = "demo"
    verbose_name = _("Dữ liệu minh họa")
