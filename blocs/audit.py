"""Writing the audit trail. Services call ``audit_record`` inside their transaction."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from blocs.models import AuditEntry, BlocYear, User


def audit_entry(
    *,
    actor: User | None,
    context: str,
    action: str,
    summary: str,
    bloc_year: BlocYear | None = None,
    changes: dict[str, Any] | None = None,
    reason: str = "",
    subject: str = "",
) -> AuditEntry:
    """An unsaved entry, for services that write many at once with ``audit_record_many``."""
    return AuditEntry(
        actor=actor,
        actor_name=actor.get_full_name() if actor else "",
        bloc_year=bloc_year,
        context=context,
        action=action,
        subject=subject,
        summary=summary[:500],
        changes=changes or {},
        reason=reason,
    )


def audit_record(**kwargs: Any) -> AuditEntry:
    entry = audit_entry(**kwargs)
    entry.save()
    return entry


def audit_record_many(entries: Iterable[AuditEntry]) -> None:
    AuditEntry.objects.bulk_create(list(entries))
