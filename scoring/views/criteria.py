"""The criteria of a set: the tree as on the paper sheet (rows in tree order with their depth,
a parent's sum of its children's maxima, the tree's problems), the breadcrumbs of every criteria
page, and the pages that add, edit and delete one criterion. The set's own pages are in
``scoring.views.criteria_sets``. Every write goes through ``scoring.services.criteria``.
"""

from __future__ import annotations

import copy
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import ProtectedError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from blocs.http import AuthenticatedHttpRequest
from common.navigation import Crumb, home_crumb
from scoring import access, rules
from scoring.forms_criteria import CriterionPageForm
from scoring.models import CriteriaSet, Criterion
from scoring.services import criteria as services


@dataclass
class CriterionRow:
    criterion: Criterion
    depth: int
    children_max: Decimal | None = None  # parents: the sum of their children's maxima

    @property
    def is_parent(self) -> bool:
        return self.children_max is not None

    @property
    def sum_matches(self) -> bool:
        return self.children_max == self.criterion.max_points


def criterion_rows(criteria: list[Criterion]) -> list[CriterionRow]:
    """Criteria in tree order (children after their parent, by ``order``), with their depth."""
    children: dict[int | None, list[Criterion]] = defaultdict(list)
    for criterion in criteria:
        children[criterion.parent_id].append(criterion)
    rows: list[CriterionRow] = []
    seen: set[int] = set()

    def walk(criterion: Criterion, depth: int) -> None:
        seen.add(criterion.pk)
        kids = [kid for kid in children.get(criterion.pk, []) if kid.pk not in seen]
        children_max = sum((kid.max_points for kid in kids), Decimal(0)) if kids else None
        rows.append(CriterionRow(criterion, depth, children_max))
        for kid in kids:
            if kid.pk not in seen:
                walk(kid, depth + 1)

    for criterion in criteria:
        # Roots first; then anything a broken parent link left out, so no row is ever hidden.
        if criterion.parent_id is None and criterion.pk not in seen:
            walk(criterion, 0)
    for criterion in criteria:
        if criterion.pk not in seen:
            walk(criterion, criterion.depth)
    return rows


def tree_problems(criteria: list[Criterion]) -> list[str]:
    return rules.check_tree(
        [
            rules.TreeNode(c.code, rules.parent_code_of(c.code), c.kind, c.max_points)
            for c in criteria
        ]
    )


def criteria_crumbs(
    criteria_set: CriteriaSet | None = None, last: str | None = None
) -> list[Crumb]:
    """Breadcrumbs of the criteria pages: home, the list, the set, then ``last``."""
    crumbs = [home_crumb(), Crumb(_("Bảng tiêu chí"), reverse("scoring:criteria-sets"))]
    if criteria_set is not None:
        crumbs.append(Crumb(criteria_set.name, criteria_set.get_absolute_url() if last else None))
    if last:
        crumbs.append(Crumb(last))
    return crumbs


def _criterion_page(
    request: AuthenticatedHttpRequest, criteria_set: CriteriaSet, criterion: Criterion | None
) -> HttpResponse:
    if request.method == "POST":
        # The form works on a copy: a refused save leaves ``criterion`` as stored.
        form = CriterionPageForm(
            request.POST,
            instance=copy.copy(criterion) if criterion else None,
            criteria_set=criteria_set,
        )
        saved = form.save_criterion(criterion, by=request.user) if form.is_valid() else None
        if saved is not None:
            messages.success(request, _("Đã lưu tiêu chí %(code)s.") % {"code": saved.code})
            return redirect(f"{criteria_set.get_absolute_url()}#c-{saved.pk}")
    elif criterion is not None:
        form = CriterionPageForm(instance=criterion, criteria_set=criteria_set)
    else:
        parent = (request.GET.get("parent") or "").strip()
        form = CriterionPageForm(
            initial={"code": f"{parent}." if parent else ""}, criteria_set=criteria_set
        )
    last = (
        _("Sửa tiêu chí %(code)s") % {"code": criterion.code} if criterion else _("Thêm tiêu chí")
    )
    return render(
        request,
        "scoring/criterion_form.html",
        {
            "form": form,
            "criteria_set": criteria_set,
            "criterion": criterion,
            "breadcrumbs": criteria_crumbs(criteria_set, last),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def criterion_new(request: AuthenticatedHttpRequest, set_id: int) -> HttpResponse:
    criteria_set = access.get_criteria_set_for_user(request, set_id, write=True)
    return _criterion_page(request, criteria_set, None)


@login_required
@require_http_methods(["GET", "POST"])
def criterion_edit(
    request: AuthenticatedHttpRequest, set_id: int, criterion_id: int
) -> HttpResponse:
    criteria_set = access.get_criteria_set_for_user(request, set_id, write=True)
    criterion = get_object_or_404(Criterion, pk=criterion_id, criteria_set=criteria_set)
    criterion.criteria_set = criteria_set
    return _criterion_page(request, criteria_set, criterion)


@login_required
@require_POST
def criterion_delete(
    request: AuthenticatedHttpRequest, set_id: int, criterion_id: int
) -> HttpResponse:
    criteria_set = access.get_criteria_set_for_user(request, set_id, write=True)
    criterion = get_object_or_404(Criterion, pk=criterion_id, criteria_set=criteria_set)
    criterion.criteria_set = criteria_set
    code = criterion.code
    try:
        services.criterion_delete(criterion=criterion, by=request.user)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    except ProtectedError:
        # The criterion has no points itself, but one below it has.
        messages.error(
            request,
            _("Tiêu chí %(code)s có tiêu chí con đã có điểm chấm, không xóa được.")
            % {"code": code},
        )
    else:
        messages.success(request, _("Đã xóa tiêu chí %(code)s.") % {"code": code})
    return redirect(criteria_set.get_absolute_url())
