from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class BlocsConfig(AppConfig):
    name = "blocs"
    verbose_name = _("Tổ chức thi đua")

    def ready(self) -> None:
        from blocs.roles import refresh_council_admin_group

        post_migrate.connect(refresh_council_admin_group, dispatch_uid="council-admin-group")
