"""The organisation: councils, units and their lineage, blocs, bloc-years, members, people.

The models are split by subdomain and re-exported here, where Django and the rest of the
project find them (``from blocs.models import BlocYear``):

- ``organisation``: ``Council``, ``Unit``, ``UnitName`` (earlier names), ``UnitLineage``;
- ``bloc_years``: ``Bloc``, ``BlocYear``, ``Membership``;
- ``people``: ``User``, ``ResetRequest`` (the limits of "Quên mật khẩu?");
- ``audit``: ``AuditEntry``.
"""

from __future__ import annotations

from blocs.models.audit import AuditEntry
from blocs.models.bloc_years import Bloc, BlocYear, Membership
from blocs.models.organisation import (
    Council,
    CouncilQuerySet,
    Unit,
    UnitLineage,
    UnitName,
    name_in_force,
)
from blocs.models.people import ResetRequest, User

__all__ = [
    "AuditEntry",
    "Bloc",
    "BlocYear",
    "Council",
    "CouncilQuerySet",
    "Membership",
    "ResetRequest",
    "Unit",
    "UnitLineage",
    "UnitName",
    "User",
    "name_in_force",
]
