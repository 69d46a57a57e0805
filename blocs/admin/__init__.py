"""Django admin for the organisation, scoped to the councils a council admin manages.

The admin may not bypass the rules (docs/security.md, "The Django admin"): workflow state,
scores, totals, snapshots and issued documents are read-only in every admin form
(``workflow_fields``, or ``ViewOnlyMixin`` for rows only the services write); what stays
editable is written to the audit trail with its old and new values (``AuditedAdminMixin``).

The package is split by subdomain. ``scoping`` and ``auditing`` hold what every app's admin is
built on, re-exported here (``from blocs.admin import COUNCIL_PATHS, ScopedAdmin``); the
organisation's admins register themselves in ``organisation`` (councils, units, blocs),
``bloc_years`` (bloc-years, members) and ``people`` (people, the audit trail).
"""

from __future__ import annotations

from blocs.admin import bloc_years, organisation, people
from blocs.admin.auditing import (
    SECRET_FIELDS,
    AuditedAdminMixin,
    admin_audit,
    bloc_year_of,
    form_changes,
)
from blocs.admin.bloc_years import BlocYearAdminForm, members_fixed
from blocs.admin.scoping import (
    COUNCIL_PATHS,
    PERSON_NAME_ORDER,
    CouncilScopedMixin,
    ScopedAdmin,
    ScopedInline,
    ViewOnlyMixin,
    WorkflowFieldsMixin,
    acting_user,
    all_field_names,
    scope_to_councils,
)

__all__ = [
    "COUNCIL_PATHS",
    "PERSON_NAME_ORDER",
    "SECRET_FIELDS",
    "AuditedAdminMixin",
    "BlocYearAdminForm",
    "CouncilScopedMixin",
    "ScopedAdmin",
    "ScopedInline",
    "ViewOnlyMixin",
    "WorkflowFieldsMixin",
    "acting_user",
    "admin_audit",
    "all_field_names",
    "bloc_year_of",
    "bloc_years",
    "form_changes",
    "members_fixed",
    "organisation",
    "people",
    "scope_to_councils",
]
