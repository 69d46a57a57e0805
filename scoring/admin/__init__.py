"""Django admin for criteria sets and score sheets, scoped to the councils a council admin manages.

The pages of the app are the usual way to change these rows; the admin is for corrections.
Criteria of a frozen set are read-only here as on the pages; parents always follow the codes.
Sheets, lines, explanations, evidence, peer assessments, seasons, snapshots, publications and
complaints are the workflow's own records: shown here, changed only through the app's services
(with their reason and history). Ranking rules are saved through their service.

The models' ``save`` and ``delete`` are Django's own, so what the admin writes is followed here
as the services do it: the totals kept on the sheets (``scoring.totals.refresh``) after a
criterion changes, with the sheets' rows taken in the one order of scoring/locks.py.

One module per subdomain, each registering its models: ``criteria`` (criteria sets and
criteria), ``sheets`` (seasons, sheets, lines, explanations, evidence, peer assessments),
``ranking`` (ranking rules, snapshots, publications, complaints).
"""

from __future__ import annotations

from scoring.admin import criteria, ranking, sheets

__all__ = ["criteria", "ranking", "sheets"]
