"""Criteria set pages: the list, the tree as on the paper sheet, and its settings, criteria,
copies to another year and unfreezing. Every write goes through ``scoring.services.criteria``."""

from __future__ import annotations

import copy
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.db import IntegrityError
from django.db.models import Count, ProtectedError, Q, QuerySet
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from blocs import access as bloc_access
from blocs.access import AnyUser
from blocs.models import AuditEntry, BlocYear, Council, User
from scoring import access, rules
from scoring.forms import CriteriaSetForm, CriterionForm, ReasonForm
from scoring.models import CriteriaSet, Criterion, ScoringSeason
from scoring.services import criteria as services
from thidua.lib.http import AuthenticatedHttpRequest
from thidua.lib.navigation import Crumb, home_crumb

HISTORY_LIMIT = 100


# Who may do what with criteria sets, beyond ``scoring.access``.


def _visible_council_ids(user: User) -> frozenset[int] | None:
    """Councils whose sets the list shows; None for a superuser (every council)."""
    if user.is_superuser:
        return None
    managed = bloc_access.managed_council_ids(user)
    if managed:
        return managed
    if user.unit is None:
        return frozenset()
    return bloc_access.council_and_predecessors(user.unit.council_id)


def _is_admin(user: AnyUser) -> bool:
    return user.is_superuser or bool(bloc_access.managed_council_ids(user))


def _manageable_bloc_years(user: User, council_id: int | None = None) -> QuerySet[BlocYear]:
    """Bloc-years a set may be made for: all of an admin's councils, or the secretariat's own."""
    bloc_years = BlocYear.objects.select_related("bloc").order_by("-year", "bloc__name")
    if not user.is_superuser:
        bloc_years = bloc_years.filter(
            Q(bloc__council_id__in=bloc_access.managed_council_ids(user))
            | Q(pk__in=bloc_access.secretariat_bloc_year_ids(user))
        )
    if council_id is not None:
        bloc_years = bloc_years.filter(bloc__council_id=council_id)
    return bloc_years


def _clone_council_ids(user: User) -> frozenset[int] | None:
    """Councils whose sets this person may copy; None for a superuser (every council)."""
    if user.is_superuser:
        return None
    managed = bloc_access.managed_council_ids(user)
    if managed:
        return managed
    secretariat = bloc_access.secretariat_bloc_year_ids(user)
    if not secretariat:
        return frozenset()
    return frozenset(
        BlocYear.objects.filter(pk__in=secretariat).values_list("bloc__council_id", flat=True)
    )


def _may_clone(council_ids: frozenset[int] | None, criteria_set: CriteriaSet) -> bool:
    return council_ids is None or criteria_set.council_id in council_ids


def _may_create(user: User) -> bool:
    return _is_admin(user) or bool(bloc_access.secretariat_bloc_year_ids(user))


# Forms of these pages (the set's settings and a criterion use ``scoring.forms``).


def _decimal_inputs(form: forms.BaseForm, *names: str) -> None:
    """Amounts typed the Vietnamese way (``0,25``). A browser's number input would refuse the
    comma and show a stored ``0,25`` as empty, so these are text inputs with a decimal keypad."""
    for name in names:
        field = form.fields[name]
        field.localize = True
        field.widget = forms.TextInput(attrs={"inputmode": "decimal"})
        field.widget.is_localized = True
        field.widget.is_required = field.required


class CriteriaSetNewForm(forms.ModelForm):
    """A new set. A secretariat only picks its bloc-year, which fixes the council and year."""

    class Meta:
        model = CriteriaSet
        fields = ["council", "year", "bloc_year", "name", "bonus_cap", "step"]

    def __init__(
        self,
        *args: Any,
        councils: QuerySet[Council],
        bloc_years: QuerySet[BlocYear],
        secretariat_only: bool,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        _decimal_inputs(self, "bonus_cap", "step")
        self.fields["bloc_year"].queryset = bloc_years  # type: ignore[attr-defined]
        if secretariat_only:
            del self.fields["council"], self.fields["year"]
            self.fields["bloc_year"].required = True
            self.fields["bloc_year"].help_text = _(
                "Bảng tiêu chí dùng riêng cho khối bạn làm thư ký, trong năm của khối."
            )
        else:
            self.fields["council"].queryset = councils  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        bloc_year = data.get("bloc_year")
        council = data.get("council")
        year = data.get("year")
        if (
            bloc_year is not None
            and council is not None
            and bloc_year.bloc.council_id != council.pk
        ):
            self.add_error("bloc_year", _("Khối này không thuộc hội đồng đã chọn."))
        elif bloc_year is not None and year is not None and bloc_year.year != year:
            self.add_error(
                "bloc_year", _("Chọn một năm thi đua của khối trong năm %(year)s.") % {"year": year}
            )
        return data


class CriteriaSetCloneForm(forms.Form):
    year = forms.IntegerField(label=gettext_lazy("Năm áp dụng"), min_value=2000, max_value=2100)
    bloc_year = forms.ModelChoiceField(
        label=gettext_lazy("Dùng riêng cho"),
        queryset=BlocYear.objects.none(),
        required=False,
        help_text=gettext_lazy("Để trống nếu bảng dùng chung cho các khối của hội đồng trong năm."),
    )
    name = forms.CharField(
        label=gettext_lazy("Tên bảng mới"),
        max_length=300,
        required=False,
        help_text=gettext_lazy("Để trống để dùng tên bảng gốc, với năm mới thay cho năm cũ."),
    )

    def __init__(
        self, *args: Any, bloc_years: QuerySet[BlocYear], bloc_year_required: bool, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["bloc_year"]
        field.queryset = bloc_years  # type: ignore[attr-defined]
        if bloc_year_required:
            field.required = True
            field.help_text = _("Bản sao dùng riêng cho khối bạn làm thư ký, trong năm áp dụng.")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        bloc_year, year = data.get("bloc_year"), data.get("year")
        if bloc_year is not None and year is not None and bloc_year.year != year:
            self.add_error(
                "bloc_year", _("Chọn một năm thi đua của khối trong năm %(year)s.") % {"year": year}
            )
        return data


class CriteriaSetPageForm(CriteriaSetForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _decimal_inputs(self, "bonus_cap", "step")


class CriterionPageForm(CriterionForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _decimal_inputs(self, "max_points", "points_per_occurrence", "floor_percent")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        # Said at the field here, before the model's check constraint says it in English.
        if data.get("method") == rules.PER_OCCURRENCE and data.get("points_per_occurrence") is None:
            self.add_error("points_per_occurrence", _("Nhập số điểm cho mỗi lần."))
        return data


def _show_at_fields(form: forms.BaseForm, error: ValidationError) -> None:
    """A service's refusal at the field it names; a clash of criterion codes at the code."""
    if not hasattr(error, "error_dict"):
        for message in error.messages:
            form.add_error(None, message)
        return
    for field, problems in error.error_dict.items():
        for problem in problems:
            unique = problem.code in ("unique", "unique_together")
            if field == NON_FIELD_ERRORS and unique and "code" in form.fields:
                form.add_error("code", _("Mã này đã có trong bảng tiêu chí."))
            elif field in form.fields:
                form.add_error(field, problem)
            else:
                form.add_error(None, problem)


# The tree as on the paper sheet.


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


def _crumbs(criteria_set: CriteriaSet | None = None, last: str | None = None) -> list[Crumb]:
    crumbs = [home_crumb(), Crumb(_("Bảng tiêu chí"), reverse("scoring:criteria-sets"))]
    if criteria_set is not None:
        crumbs.append(Crumb(criteria_set.name, criteria_set.get_absolute_url() if last else None))
    if last:
        crumbs.append(Crumb(last))
    return crumbs


def _int(text: str | None) -> int | None:
    try:
        return int(text or "")
    except ValueError:
        return None


# Pages.


@login_required
@require_GET
def criteria_sets(request: AuthenticatedHttpRequest) -> HttpResponse:
    user = request.user
    visible = CriteriaSet.objects.all()
    council_ids = _visible_council_ids(user)
    if council_ids is not None:
        visible = visible.filter(council_id__in=council_ids)
    councils = list(Council.objects.filter(pk__in=visible.values("council_id")).order_by("name"))
    council_id = _int(request.GET.get("council"))
    if council_id not in {council.pk for council in councils}:
        council_id = None
    if council_id is not None:
        visible = visible.filter(council_id=council_id)
    years = list(visible.order_by("-year").values_list("year", flat=True).distinct())
    year = _int(request.GET.get("year"))
    shown = visible.filter(year=year) if year in years else visible
    rows = (
        shown.select_related("council", "bloc_year__bloc")
        .annotate(criteria_count=Count("criteria"))
        .order_by("-year", "council__name", "name")
    )
    clone_councils = _clone_council_ids(user)
    return render(
        request,
        "scoring/criteria_sets.html",
        {
            "rows": [
                (criteria_set, _may_clone(clone_councils, criteria_set)) for criteria_set in rows
            ],
            "councils": councils,
            "council_id": council_id,
            "years": years,
            "year": year if year in years else None,
            "can_create": _may_create(user),
            "breadcrumbs": [home_crumb(), Crumb(_("Bảng tiêu chí"))],
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def criteria_set_new(request: AuthenticatedHttpRequest) -> HttpResponse:
    user = request.user
    if not _may_create(user):
        raise PermissionDenied
    secretariat_only = not _is_admin(user)
    councils = (
        Council.objects.all()
        if user.is_superuser
        else Council.objects.filter(pk__in=bloc_access.managed_council_ids(user))
    )
    bloc_years = _manageable_bloc_years(user)
    initial: dict[str, object] = {
        "council": _int(request.GET.get("council")),
        "year": _int(request.GET.get("year")),
    }
    chosen_id = _int(request.GET.get("bloc_year"))
    chosen = bloc_years.filter(pk=chosen_id).first() if chosen_id else None
    if chosen is not None:
        initial = {"bloc_year": chosen.pk, "council": chosen.bloc.council_id, "year": chosen.year}
    form = CriteriaSetNewForm(
        request.POST if request.method == "POST" else None,
        initial=initial,
        councils=councils.order_by("name"),
        bloc_years=bloc_years,
        secretariat_only=secretariat_only,
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        bloc_year = data["bloc_year"]
        try:
            criteria_set = services.criteria_set_create(
                council=bloc_year.bloc.council if secretariat_only else data["council"],
                year=bloc_year.year if secretariat_only else data["year"],
                name=data["name"],
                by=user,
                bloc_year=bloc_year,
                bonus_cap=data["bonus_cap"],
                step=data["step"],
            )
        except ValidationError as error:
            _show_at_fields(form, error)
        else:
            messages.success(request, _("Đã tạo bảng tiêu chí. Bây giờ thêm các tiêu chí."))
            return redirect(criteria_set.get_absolute_url())
    return render(
        request,
        "scoring/criteria_set_form.html",
        {
            "form": form,
            "criteria_set": None,
            "breadcrumbs": _crumbs(last=_("Tạo bảng tiêu chí")),
        },
    )


@login_required
@require_GET
def criteria_set(request: AuthenticatedHttpRequest, set_id: int) -> HttpResponse:
    criteria_set = access.get_criteria_set_for_user(request, set_id)
    user = request.user
    criteria = list(Criterion.objects.filter(criteria_set=criteria_set).order_by("order", "pk"))
    can_edit = access.can_edit_criteria_set(user, criteria_set)
    return render(
        request,
        "scoring/criteria_set.html",
        {
            "criteria_set": criteria_set,
            "rows": criterion_rows(criteria),
            "problems": tree_problems(criteria),
            "standard_max": sum(
                (
                    c.max_points
                    for c in criteria
                    if c.parent_id is None and c.kind == Criterion.Kind.STANDARD
                ),
                Decimal(0),
            ),
            "seasons": list(
                ScoringSeason.objects.filter(criteria_set=criteria_set)
                .select_related("bloc_year__bloc")
                .order_by("-bloc_year__year", "bloc_year__bloc__name")
            ),
            "history": list(
                AuditEntry.objects.filter(context=f"criteria-set:{criteria_set.pk}").order_by(
                    "-created_at", "-pk"
                )[:HISTORY_LIMIT]
            ),
            "can_edit": can_edit,
            "can_clone": _may_clone(_clone_council_ids(user), criteria_set),
            "can_unfreeze": criteria_set.is_frozen
            and bloc_access.is_council_admin(user, criteria_set.council_id),
            "breadcrumbs": _crumbs(criteria_set),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def criteria_set_edit(request: AuthenticatedHttpRequest, set_id: int) -> HttpResponse:
    criteria_set = access.get_criteria_set_for_user(request, set_id, write=True)
    # The form works on a copy: a refused post must not change what the page header shows.
    form = CriteriaSetPageForm(
        request.POST if request.method == "POST" else None, instance=copy.copy(criteria_set)
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.criteria_set_update(
                criteria_set=criteria_set,
                by=request.user,
                name=data["name"],
                bonus_cap=data["bonus_cap"],
                step=data["step"],
            )
        except ValidationError as error:
            _show_at_fields(form, error)
        else:
            messages.success(request, _("Đã lưu thông tin bảng tiêu chí."))
            return redirect(criteria_set.get_absolute_url())
    return render(
        request,
        "scoring/criteria_set_form.html",
        {
            "form": form,
            "criteria_set": criteria_set,
            "breadcrumbs": _crumbs(criteria_set, _("Sửa thông tin")),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def criteria_set_clone(request: AuthenticatedHttpRequest, set_id: int) -> HttpResponse:
    source = access.get_criteria_set_for_user(request, set_id)
    user = request.user
    is_admin = bloc_access.is_council_admin(user, source.council_id)
    bloc_years = _manageable_bloc_years(user, source.council_id)
    if not is_admin and not bloc_years.exists():
        raise PermissionDenied
    chosen_id = _int(request.GET.get("bloc_year"))
    chosen = bloc_years.filter(pk=chosen_id).first() if chosen_id else None
    form = CriteriaSetCloneForm(
        request.POST if request.method == "POST" else None,
        initial={
            "year": chosen.year if chosen else source.year + 1,
            "bloc_year": chosen.pk if chosen else None,
        },
        bloc_years=bloc_years,
        bloc_year_required=not is_admin,
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            clone = services.criteria_set_clone(
                source=source,
                year=data["year"],
                by=user,
                bloc_year=data["bloc_year"],
                name=data["name"].strip() or None,
            )
        except ValidationError as error:
            _show_at_fields(form, error)
        else:
            messages.success(
                request,
                _("Đã sao chép bảng tiêu chí. Bản sao chưa khóa: có thể sửa trước khi dùng."),
            )
            return redirect(clone.get_absolute_url())
    return render(
        request,
        "scoring/criteria_set_clone.html",
        {
            "form": form,
            "criteria_set": source,
            "breadcrumbs": _crumbs(source, _("Sao chép sang năm khác")),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def criteria_set_unfreeze(request: AuthenticatedHttpRequest, set_id: int) -> HttpResponse:
    criteria_set = access.get_criteria_set_for_user(request, set_id)
    if not bloc_access.is_council_admin(request.user, criteria_set.council_id):
        raise PermissionDenied
    form = ReasonForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and criteria_set.is_frozen and form.is_valid():
        try:
            services.criteria_set_unfreeze(
                criteria_set=criteria_set, reason=form.cleaned_data["reason"], by=request.user
            )
        except ValidationError as error:
            _show_at_fields(form, error)
        else:
            messages.success(request, _("Đã mở khóa bảng tiêu chí; lý do đã được ghi lại."))
            return redirect(criteria_set.get_absolute_url())
    if request.method == "POST" and not criteria_set.is_frozen:
        messages.info(request, _("Bảng tiêu chí chưa bị khóa."))
        return redirect(criteria_set.get_absolute_url())
    return render(
        request,
        "scoring/criteria_set_unfreeze.html",
        {
            "form": form,
            "criteria_set": criteria_set,
            "seasons": list(
                ScoringSeason.objects.filter(criteria_set=criteria_set).select_related(
                    "bloc_year__bloc"
                )
            ),
            "breadcrumbs": _crumbs(criteria_set, _("Mở khóa")),
        },
    )


def _criterion_page(
    request: AuthenticatedHttpRequest, criteria_set: CriteriaSet, criterion: Criterion | None
) -> HttpResponse:
    if request.method == "POST":
        # The form and the service work on copies: a refused save leaves ``criterion`` as stored,
        # and the service still sees the stored values to record old → new.
        form = CriterionPageForm(request.POST, instance=copy.copy(criterion) if criterion else None)
        if form.is_valid():
            data = form.cleaned_data
            code = data["code"].strip().rstrip(".")
            parent_code = rules.parent_code_of(code)
            if (
                criterion is not None
                and parent_code is not None
                and (f"{parent_code}.".startswith(f"{criterion.code}."))
            ):
                form.add_error("code", _("Một tiêu chí không thể nằm dưới chính nó."))
            else:
                try:
                    saved = services.criterion_save(
                        criteria_set=criteria_set,
                        by=request.user,
                        criterion=copy.copy(criterion) if criterion else None,
                        code=code,
                        title=data["title"],
                        guidance=data["guidance"],
                        max_points=data["max_points"],
                        kind=data["kind"],
                        method=data["method"],
                        points_per_occurrence=data["points_per_occurrence"],
                        floor_percent=data["floor_percent"],
                        scored_by=data["scored_by"],
                        order=data["order"],
                    )
                except ValidationError as error:
                    _show_at_fields(form, error)
                except IntegrityError:
                    # Two people added the same code at once; the second is told, not a 500.
                    form.add_error("code", _("Mã này đã có trong bảng tiêu chí."))
                else:
                    messages.success(request, _("Đã lưu tiêu chí %(code)s.") % {"code": saved.code})
                    return redirect(f"{criteria_set.get_absolute_url()}#c-{saved.pk}")
    elif criterion is not None:
        form = CriterionPageForm(instance=criterion)
    else:
        parent = (request.GET.get("parent") or "").strip()
        form = CriterionPageForm(initial={"code": f"{parent}." if parent else ""})
    return render(
        request,
        "scoring/criterion_form.html",
        {
            "form": form,
            "criteria_set": criteria_set,
            "criterion": criterion,
            "breadcrumbs": _crumbs(
                criteria_set,
                _("Sửa tiêu chí %(code)s") % {"code": criterion.code}
                if criterion
                else _("Thêm tiêu chí"),
            ),
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
