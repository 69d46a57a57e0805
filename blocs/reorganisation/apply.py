"""Applying a reorganisation: write exactly what the preview showed, or nothing.

``reorganisation_apply`` locks the units, works the preview out again inside its transaction and
raises ``PreviewOutdated`` when the digest differs; otherwise it creates the new units, records
renames and lineage links, ends the units that stop, changes the members of the open bloc-years
and writes one audit entry for the council and one per bloc-year whose members changed.
Package overview in ``__init__.py``.
"""

from __future__ import annotations

from dataclasses import replace

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from blocs import services
from blocs.audit import audit_entry, audit_record_many
from blocs.models import Membership, Unit, User
from blocs.reorganisation.members import BlocYearChange, Edit
from blocs.reorganisation.preview import Preview, fingerprint, reorganisation_preview
from blocs.reorganisation.request import (
    Operation,
    Reorganisation,
    short_date,
    successor_display,
    unit_key,
)


def _refreshed(request: Reorganisation) -> Reorganisation:
    """The same request with its units read again (inside the apply transaction, locked)."""
    ids = [unit.pk for unit in request.units]
    if request.target is not None:
        ids.append(request.target.pk)
    fresh = Unit.objects.select_for_update().in_bulk(ids)
    return replace(
        request,
        units=tuple(fresh[unit.pk] for unit in request.units),
        target=fresh[request.target.pk] if request.target is not None else None,
    )


class PreviewOutdated(ValidationError):
    """The data changed since the preview was shown; the person must look again."""


@transaction.atomic
def reorganisation_apply(*, preview: Preview, by: User | None) -> Preview:
    """Write exactly what ``preview`` showed, or nothing (PreviewOutdated if data changed)."""
    request = _refreshed(preview.request)
    fresh = reorganisation_preview(request=request)
    if fresh.digest != preview.digest:
        raise PreviewOutdated(
            _("Dữ liệu đã thay đổi từ lúc xem trước. Hãy xem lại trước khi xác nhận.")
        )
    council, day = request.council, request.effective_date
    made: dict[str, Unit] = {unit_key(unit): unit for unit in request.units}
    if request.target is not None:
        made[unit_key(request.target)] = request.target
    template = request.units[0]
    for new in fresh.created:
        unit = Unit(
            council=council,
            code=new.code,
            name=new.name,
            short_name=new.short_name,
            kind=new.kind or template.kind,
            active_from=day,
        )
        unit.full_clean()
        unit.save()
        made[new.key] = unit
    for row in fresh.names:
        services.unit_rename(
            unit=row.unit,
            name=row.new_name,
            short_name=row.new_short_name,
            effective_date=day,
        )
    for link in fresh.links:
        services.lineage_record(
            predecessor=made[link.predecessor_key],
            successor=made[link.successor_key],
            kind=link.kind,
            effective_date=day,
            note=request.note,
            close_predecessor=False,
        )
    for end in fresh.ended:
        Unit.objects.filter(pk=end.unit.pk).update(active_until=end.until)
    entries = [
        audit_entry(
            actor=by,
            context=f"council:{council.pk}",
            action=f"reorganisation.{request.operation}",
            summary=_reorganisation_summary(fresh),
            changes=fingerprint(fresh),
            reason=request.note,
        )
    ]
    for change in fresh.bloc_years:
        if not change.changes_members:
            continue
        _apply_edits(change, made)
        entries.append(
            audit_entry(
                actor=by,
                bloc_year=change.bloc_year,
                context=f"bloc-year:{change.bloc_year.pk}",
                action="membership.reorganisation",
                summary=_("Thay đổi thành viên do sắp xếp tổ chức ngày %(day)s: %(what)s")
                % {"day": short_date(day), "what": _reorganisation_summary(fresh)},
                changes={
                    "edits": [
                        [edit.action, edit.unit_name, edit.role, edit.other_name]
                        for edit in change.edits
                    ]
                },
                reason=request.note,
            )
        )
    audit_record_many(entries)
    return fresh


def _apply_edits(change: BlocYearChange, made: dict[str, Unit]) -> None:
    """Leaving members go first, so that the head and deputy roles are free before anyone
    receives them."""
    bloc_year = change.bloc_year
    leaving = [
        made[edit.replaces_key if edit.action == Edit.REPLACE else edit.unit_key].pk
        for edit in change.edits
        if edit.action in (Edit.REMOVE, Edit.REPLACE)
    ]
    Membership.objects.filter(bloc_year=bloc_year, unit_id__in=leaving).delete()
    for edit in change.edits:
        if edit.action in (Edit.REPLACE, Edit.ADD):
            Membership.objects.create(bloc_year=bloc_year, unit=made[edit.unit_key], role=edit.role)
        elif edit.action == Edit.SET_ROLE:
            Membership.objects.filter(bloc_year=bloc_year, unit=made[edit.unit_key]).update(
                role=edit.role
            )


def _reorganisation_summary(preview: Preview) -> str:
    request = preview.request
    day = short_date(request.effective_date)
    names = ", ".join(unit.name for unit in request.units)
    if request.operation == Operation.RENAME:
        return _("%(old)s đổi tên thành %(new)s từ %(day)s") % {
            "old": names,
            "new": request.new_name.strip(),
            "day": day,
        }
    if request.operation == Operation.MERGE:
        _key, target = successor_display(request)
        return _("%(units)s sáp nhập vào %(target)s từ %(day)s") % {
            "units": names,
            "target": target,
            "day": day,
        }
    if request.operation == Operation.SPLIT:
        return _("%(unit)s chia tách, thành lập %(new)s từ %(day)s") % {
            "unit": names,
            "new": ", ".join(new.name for new in request.new_units),
            "day": day,
        }
    assert request.target is not None
    return _("%(unit)s chuyển chức năng, nhiệm vụ sang %(target)s từ %(day)s") % {
        "unit": names,
        "target": request.target.name,
        "day": day,
    }
