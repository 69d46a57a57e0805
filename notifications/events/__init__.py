"""The events other apps announce, one function each, called from their services.

A service calls, inside its transaction, e.g. ``notification_events.sheet_submitted(sheet,
by=by)``. The function only captures ids (and the version, which makes the event key: a sheet
submitted, returned and submitted again is two events) and defers the rest to
``transaction.on_commit``: after the commit it reads who should be told, writes the texts in
Vietnamese and calls ``services.notify``. The service's own queries, and its query budget,
are untouched; a rollback sends nothing; an error here is logged, never raised into the action.

Dependency direction: ``notifications`` reads ``blocs``, ``scoring`` and ``awards`` models;
scoring and awards services import only this package (docs/notifications.md).

The package is split by subdomain, every event re-exported here (``events.sheet_submitted``):
``sheets``, ``results``, ``proposals``; ``deferred`` holds how an event is told after the
commit.
"""

from __future__ import annotations

from notifications.events.proposals import proposal_reviewed, proposals_decided, proposals_submitted
from notifications.events.results import (
    complaint_answered,
    complaint_lodged,
    ranking_rules_changed,
    results_provisional,
    results_published,
)
from notifications.events.sheets import (
    scores_waiting,
    sheet_entered_on_behalf,
    sheet_recalled,
    sheet_returned,
    sheet_submitted,
    sheet_verified,
)

__all__ = [
    "complaint_answered",
    "complaint_lodged",
    "proposal_reviewed",
    "proposals_decided",
    "proposals_submitted",
    "ranking_rules_changed",
    "results_provisional",
    "results_published",
    "scores_waiting",
    "sheet_entered_on_behalf",
    "sheet_recalled",
    "sheet_returned",
    "sheet_submitted",
    "sheet_verified",
]
