"""Opening next year exactly as the preview showed it, or nothing (``rollover_apply``)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from blocs import services as bloc_services
from blocs.audit import audit_record
from blocs.models import Bloc, BlocYear, User
from portal.rollover.plan import CriteriaAction, Origin, Plan, PlanOutdated
from portal.rollover.preview import rollover_plan
from scoring.services import criteria as criteria_services


@transaction.atomic
def rollover_apply(*, plan: Plan, by: User | None) -> BlocYear:
    """Create year N+1 exactly as ``plan`` shows it, or nothing.

    The plan is worked out again under a lock on the bloc, so that two admins cannot open the
    same year twice and nothing that changed since the preview slips in unseen."""
    Bloc.objects.select_for_update().filter(pk=plan.source.bloc_id).first()
    source = BlocYear.objects.select_related("bloc__council").get(pk=plan.source.pk)
    fresh = rollover_plan(source, plan.choices)
    if fresh.digest != plan.digest:
        raise PlanOutdated(
            _("Dữ liệu đã thay đổi từ lúc xem trước. Hãy xem lại trước khi mở năm mới.")
        )
    if not fresh.ready:
        raise ValidationError(
            [*fresh.problems, *fresh.errors.values()]
            + [
                _("Chọn đơn vị tham gia khối thay %(unit)s.") % {"unit": question.name}
                for question in fresh.unanswered
            ]
        )
    head, deputy = fresh.head, fresh.deputy
    bloc_year = bloc_services.bloc_year_create(
        bloc=source.bloc,
        year=fresh.year,
        members=[member.unit for member in fresh.members],
        head=head.unit if head else None,
        deputy=deputy.unit if deputy else None,
    )
    criteria = fresh.criteria
    clone = None
    if criteria.source is not None and criteria.action in (
        CriteriaAction.CLONE_OWN,
        CriteriaAction.CLONE_SHARED,
    ):
        clone = criteria_services.criteria_set_clone(
            source=criteria.source,
            year=fresh.year,
            by=by,
            bloc_year=bloc_year if criteria.action == CriteriaAction.CLONE_OWN else None,
            name=criteria.name,
        )
    audit_record(
        actor=by,
        bloc_year=bloc_year,
        context=f"bloc-year:{bloc_year.pk}",
        action="bloc_year.rollover",
        summary=ngettext(
            "Mở năm %(year)s từ năm %(previous)s: %(count)s thành viên",
            "Mở năm %(year)s từ năm %(previous)s: %(count)s thành viên",
            len(fresh.members),
        )
        % {"year": fresh.year, "previous": source.year, "count": len(fresh.members)}
        + _edits_summary(fresh),
        changes={
            "members": [[m.unit.pk, m.name, m.role, m.origin, m.replaces] for m in fresh.members],
            "dropped": [[d.unit.pk, d.name, d.reason] for d in fresh.left_out],
            "removed": [[d.unit.pk, d.name, d.reason] for d in fresh.removed],
            "added": [[m.unit.pk, m.name] for m in fresh.members if m.origin == Origin.ADDED],
            "splits": {
                str(q.unit.pk): sorted(q.chosen) for q in fresh.splits if q.chosen is not None
            },
            "head_basis": fresh.head_basis,
            "deputy_basis": fresh.deputy_basis,
            "criteria": [criteria.action, clone.pk if clone else None],
        },
    )
    return bloc_year


def _edits_summary(plan: Plan) -> str:
    """The admin's own changes to the members, for the audit line (blank when none)."""
    added = [m.name for m in plan.members if m.origin == Origin.ADDED]
    removed = [d.name for d in plan.removed]
    parts = []
    if added:
        parts.append(_("thêm %(units)s") % {"units": ", ".join(added)})
    if removed:
        parts.append(_("bỏ %(units)s") % {"units": ", ".join(removed)})
    return ("; " + "; ".join(parts)) if parts else ""
