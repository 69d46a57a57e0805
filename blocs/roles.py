"""The Django-admin side of the council admin role: one group with the project's permissions.

Rows are still scoped to the admin's councils by ``blocs.admin.CouncilScopedMixin``; the
group only says which tables a council admin may open.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import Group, Permission

COUNCIL_ADMIN_GROUP = "council-admins"
# Every app of the project; a council admin manages all of its tables in admin.
PROJECT_APPS = ["blocs", "scoring", "awards", "reports"]


def council_admin_group() -> Group:
    group, _created = Group.objects.get_or_create(name=COUNCIL_ADMIN_GROUP)
    permissions = Permission.objects.filter(content_type__app_label__in=PROJECT_APPS)
    group.permissions.set(permissions)
    return group


def refresh_council_admin_group(sender: Any, **kwargs: Any) -> None:
    """``post_migrate`` receiver: new tables become manageable as soon as they exist."""
    if Group.objects.filter(name=COUNCIL_ADMIN_GROUP).exists():
        council_admin_group()
