"""Reorganising units: rename, merge, split, transfer of functions, each with its effective date.

A council admin describes the change (a ``Reorganisation``), sees what it will do
(``reorganisation_preview``) and confirms (``reorganisation_apply``), which recomputes the preview
inside its transaction and refuses if anything changed since it was shown. The rules
(docs/reorganisation.md):

* names: a rename ends the old name the day before (a ``UnitName`` row), so pages about earlier
  years keep the old name;
* links: merge, split and transfer record ``UnitLineage`` links; merged units, and a split unit
  that does not continue, end the day before;
* memberships change only in *open* bloc-years (not decided, year ≥ the effective year) that
  have not started scoring (state Chuẩn bị or Đang thi đua); a year already being scored keeps
  its members, and the preview says so.

The package is split by subdomain; import from the module that defines a name (nothing is
re-exported here, so that a test patching a module's name patches the one the code uses):

* ``request``: what the admin asks for (``Operation``, ``NewUnit``, ``Reorganisation``) and the
  checks that refuse what cannot be, by form field (``check_request``);
* ``members``: what happens to the memberships of each open bloc-year (``Edit``,
  ``MembershipEdit``, ``BlocYearChange``, ``year_edits``);
* ``preview``: the whole plan and its digest (``Preview``, ``reorganisation_preview``);
* ``apply``: writing exactly what the preview showed (``reorganisation_apply``,
  ``PreviewOutdated``).

The reading side, a council's lineage (predecessors, successor, the units' reorganisations by
date), is ``blocs.lineage.council_lineage``: it reads what any recorded link or rename left,
whoever recorded it, and needs nothing from this package.
"""
