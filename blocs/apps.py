from django.apps import AppConfig
from django.db.backends.signals import connection_created
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class BlocsConfig(AppConfig):
    name = "blocs"
    verbose_name = _("Tổ chức thi đua")

    def ready(self) -> None:
        from blocs.roles import refresh_council_admin_group
        from thidua.lib.collation import register_sqlite_collation

        # Infrastructure, not domain logic: SQLite needs the Vietnamese collation on every
        # connection before any query touches a name column.
        connection_created.connect(register_sqlite_collation, dispatch_uid="vietnamese-collation")
        post_migrate.connect(refresh_council_admin_group, dispatch_uid="council-admin-group")
