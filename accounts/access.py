"""Who must use two-factor sign-in, and who may change it for whom.

Council admins, leaders and anyone who can open the Django admin (superusers, staff) hold the
keys to a whole council's results and decisions: their sign-in always asks for a code from an
authenticator app. Everyone else (the units' focal points) may turn it on for themselves.
"""

from __future__ import annotations

from blocs import access as blocs_access
from blocs.models import User

ROLES_THAT_NEED_TWO_FACTOR = frozenset({User.Role.COUNCIL_ADMIN, User.Role.LEADER})


def requires_two_factor(user: User) -> bool:
    """The person may not use the app (the Django admin included) until a second step is set
    up and passed at each sign-in. Reads only the person's own row: no query."""
    return user.is_superuser or user.is_staff or user.role in ROLES_THAT_NEED_TWO_FACTOR


def can_turn_off_two_factor(user: User) -> bool:
    """Only those who chose it may turn it off; for the others it is the rule."""
    return not requires_two_factor(user)


def can_reset_two_factor(actor: User, person: User) -> bool:
    """A superuser for anyone; a council admin for the people of the councils they manage
    (someone who lost their phone and their recovery codes)."""
    if actor.is_superuser:
        return True
    if person.is_superuser or person.unit is None:
        return False
    return person.unit.council_id in blocs_access.managed_council_ids(actor)
