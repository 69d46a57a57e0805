"""Complaints about a provisionally published ranking: lodging and answering them."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from blocs import access as bloc_access
from blocs.models import BlocYear, Membership, User
from common.collation import vietnamese_sort_key
from common.files import stored_file_response
from common.forms import pressed, show_service_error, typed
from common.navigation import Crumb
from scoring.access import (
    can_see_complaints,
    get_complaint_file_for_user,
    is_member_focal_point,
)
from scoring.forms_complaints import ComplaintAnswerForm, ComplaintForm
from scoring.forms_ranking import field_summary
from scoring.models import (
    Complaint,
    ComplaintFile,
    Criterion,
    Publication,
    RankingSnapshot,
    ScoreLine,
)
from scoring.services import ranking as services
from scoring.views.publication import (
    local_today,
    refuse,
    results_bloc_year,
    results_crumbs,
)


@dataclass
class ComplaintRow:
    complaint: Complaint
    unit_name: str
    about_name: str
    codes: list[str]


def _complaints_query(bloc_year: BlocYear) -> Any:
    return (
        Complaint.objects.filter(bloc_year=bloc_year)
        .select_related("unit", "about_unit", "snapshot", "answered_by", "created_by")
        .prefetch_related(
            "unit__former_names",
            "about_unit__former_names",
            Prefetch("criteria", queryset=Criterion.objects.order_by("order", "pk")),
            Prefetch("files", queryset=ComplaintFile.objects.order_by("pk")),
        )
    )


def _complaint_row(complaint: Complaint, year: int) -> ComplaintRow:
    return ComplaintRow(
        complaint=complaint,
        unit_name=complaint.unit.name_in_year(year),
        about_name=complaint.about_unit.name_in_year(year),
        codes=[criterion.code for criterion in complaint.criteria.all()],
    )


@dataclass
class CriterionChoice:
    criterion: Criterion
    checked: bool
    points: Decimal | None


def _member_choices(bloc_year: BlocYear) -> list[tuple[int, str]]:
    memberships = (
        Membership.objects.filter(bloc_year=bloc_year)
        .select_related("unit")
        .prefetch_related("unit__former_names")
    )
    choices = [(m.unit_id, m.unit.name_in_year(bloc_year.year)) for m in memberships]
    return sorted(choices, key=lambda choice: vietnamese_sort_key(choice[1]))


def _leaf_criteria(bloc_year: BlocYear) -> list[Criterion]:
    criteria = list(
        Criterion.objects.filter(criteria_set__seasons__bloc_year=bloc_year).order_by("order", "pk")
    )
    parents = {criterion.parent_id for criterion in criteria if criterion.parent_id}
    return [criterion for criterion in criteria if criterion.pk not in parents]


def _as_int(value: object) -> int | None:
    try:
        return int(str(value))
    except ValueError:
        return None


def _lodge_context(
    form: ComplaintForm,
    leaves: list[Criterion],
    snapshot: RankingSnapshot | None,
) -> dict[str, Any]:
    """The criteria checkboxes with the chosen unit's points in the latest snapshot."""
    if form.is_bound:
        about = _as_int(form["about_unit"].value())
        checked = {_as_int(value) for value in form["criteria"].value() or []}
    else:
        about = _as_int(form.initial.get("about_unit"))
        checked = {_as_int(value) for value in form.initial.get("criteria", [])}
    points = (snapshot.data.get("points", {}) if snapshot else {}).get(str(about), {})
    return {
        "form": form,
        "form_summary": field_summary(form) if form.is_bound else [],
        "about_name": dict(form.fields["about_unit"].choices).get(about, ""),  # type: ignore[attr-defined]
        "criterion_choices": [
            CriterionChoice(
                criterion=leaf,
                checked=leaf.pk in checked,
                points=None
                if points.get(str(leaf.pk)) is None
                else Decimal(str(points[str(leaf.pk)])),
            )
            for leaf in leaves
        ],
    }


@require_http_methods(["GET", "POST"])
def complaints(request: HttpRequest, bloc_id: int, year: int) -> HttpResponse:
    """The bloc-year's complaints; during the window, a member's form to lodge one."""
    bloc_year = results_bloc_year(bloc_id, year)
    user = request.user
    if not can_see_complaints(user, bloc_year):
        return refuse(request)
    lodger = is_member_focal_point(user, bloc_year)
    if request.method == "POST" and not lodger:
        return refuse(request)
    publication = Publication.objects.filter(bloc_year=bloc_year).first()
    today = local_today()
    window_open = bool(
        bloc_year.state == BlocYear.State.PROVISIONAL
        and publication
        and publication.complaint_deadline
        and today <= publication.complaint_deadline
    )
    lodge: dict[str, Any] = {}
    if lodger and (window_open or request.method == "POST"):
        assert isinstance(user, User)
        outcome = _lodge(request, bloc_year, user)
        if isinstance(outcome, HttpResponse):
            return outcome
        lodge = outcome
    return render(
        request,
        "scoring/complaints.html",
        {
            "bloc_year": bloc_year,
            "publication": publication,
            "window_open": window_open,
            "rows": [_complaint_row(c, bloc_year.year) for c in _complaints_query(bloc_year)],
            "can_manage": bloc_access.can_manage_bloc_year(user, bloc_year),
            "lodge": lodge,
            "breadcrumbs": results_crumbs(bloc_year, _("Khiếu nại kết quả")),
        },
    )


def _lodge(request: HttpRequest, bloc_year: BlocYear, user: User) -> dict[str, Any] | HttpResponse:
    """The lodge form's context; on a post, the complaint and a redirect, or the form with
    the reasons it was refused."""
    leaves = _leaf_criteria(bloc_year)
    snapshot = services.latest_snapshot(bloc_year)
    choices = {
        "units": _member_choices(bloc_year),
        "criteria": [(leaf.pk, leaf.code) for leaf in leaves],
    }
    if request.method != "POST":
        form = ComplaintForm(initial={"about_unit": user.unit_id}, **choices)
        return _lodge_context(form, leaves, snapshot)
    form = ComplaintForm(request.POST, request.FILES, **choices)
    if pressed(request.POST, "show"):
        # "Show this unit's points": keep what was typed, check nothing yet.
        form = ComplaintForm(initial=typed(form), **choices)
        return _lodge_context(form, leaves, snapshot)
    if form.is_valid() and _lodged(form, bloc_year, user, leaves):
        messages.success(request, _("Đã gửi khiếu nại; thư ký khối sẽ trả lời."))
        return redirect("scoring:complaints", bloc_year.bloc_id, bloc_year.year)
    form.files_again()
    return _lodge_context(form, leaves, snapshot)


def _lodged(form: ComplaintForm, bloc_year: BlocYear, user: User, leaves: list[Criterion]) -> bool:
    """The complaint of a valid form lodged; or False, with the service's reasons on it."""
    data = form.cleaned_data
    unit_by_id = {
        m.unit_id: m.unit
        for m in Membership.objects.filter(
            bloc_year=bloc_year, unit_id__in=[user.unit_id, data["about_unit"]]
        ).select_related("unit")
    }
    try:
        if user.unit_id not in unit_by_id or data["about_unit"] not in unit_by_id:
            raise ValidationError(
                {"about_unit": _("Chỉ khiếu nại về điểm của các thành viên khối.")}
            )
        services.complaint_lodge(
            bloc_year=bloc_year,
            unit=unit_by_id[user.unit_id],
            about_unit=unit_by_id[data["about_unit"]],
            criteria=[leaf for leaf in leaves if leaf.pk in set(data["criteria"])],
            text=data["text"],
            by=user,
            files=data["attachments"],
        )
    except ValidationError as error:
        show_service_error(form, error)
        return False
    return True


def _complaint_lines(complaint: Complaint) -> list[ScoreLine]:
    """The complained-about unit's lines of the complaint's criteria, in criteria order."""
    return list(
        ScoreLine.objects.filter(
            sheet__bloc_year_id=complaint.bloc_year_id,
            sheet__unit_id=complaint.about_unit_id,
            criterion__in=[criterion.pk for criterion in complaint.criteria.all()],
        )
        .select_related("criterion__criteria_set")
        .order_by("criterion__order", "criterion__pk")
    )


@require_http_methods(["GET", "POST"])
def complaint(request: HttpRequest, bloc_id: int, year: int, complaint_id: int) -> HttpResponse:
    """One complaint; the secretariat answers it, correcting lines when it accepts."""
    bloc_year = results_bloc_year(bloc_id, year)
    user = request.user
    if not can_see_complaints(user, bloc_year):
        return refuse(request)
    item = get_object_or_404(_complaints_query(bloc_year), pk=complaint_id)
    manages = bloc_access.can_manage_bloc_year(user, bloc_year)
    can_answer = item.status == Complaint.Status.OPEN and manages
    if request.method == "POST" and not can_answer:
        if manages:
            messages.error(request, _("Khiếu nại này đã được trả lời."))
            return redirect("scoring:complaint", bloc_id, year, complaint_id)
        return refuse(request)
    form = None
    if can_answer:
        assert isinstance(user, User)
        form = _answer_form(request, item, user)
        if form is None:
            messages.success(request, _("Đã trả lời khiếu nại."))
            return redirect("scoring:complaint", bloc_id, year, complaint_id)
    return render(request, "scoring/complaint.html", _complaint_context(bloc_year, item, form))


def _answer_form(request: HttpRequest, item: Complaint, user: User) -> ComplaintAnswerForm | None:
    """The answer form; None once a posted answer was kept (refused: the form, as typed, with
    the reasons)."""
    lines = _complaint_lines(item)
    if request.method != "POST":
        return ComplaintAnswerForm(lines=lines)
    form = ComplaintAnswerForm(request.POST, request.FILES, lines=lines)
    if form.is_valid():
        try:
            services.complaint_answer(
                complaint=item,
                accepted=form.accepted,
                answer=form.cleaned_data["answer"],
                by=user,
                corrections=form.corrections or None,
                files=form.cleaned_data["attachments"],
            )
        except ValidationError as error:
            show_service_error(form, error)
        else:
            return None
    form.files_again()
    return form


def _complaint_context(
    bloc_year: BlocYear, item: Complaint, form: ComplaintAnswerForm | None
) -> dict[str, Any]:
    snapshot = services.latest_snapshot(bloc_year)
    points = (snapshot.data.get("points", {}) if snapshot else {}).get(str(item.about_unit_id), {})
    files = list(item.files.all())
    return {
        "bloc_year": bloc_year,
        "row": _complaint_row(item, bloc_year.year),
        "criteria": [
            (
                criterion,
                None
                if points.get(str(criterion.pk)) is None
                else Decimal(str(points[str(criterion.pk)])),
            )
            for criterion in item.criteria.all()
        ],
        "complaint_files": [f for f in files if f.part == ComplaintFile.Part.COMPLAINT],
        "answer_files": [f for f in files if f.part == ComplaintFile.Part.ANSWER],
        "snapshot": snapshot,
        "form": form,
        "form_summary": field_summary(form) if form is not None and form.is_bound else [],
        "breadcrumbs": results_crumbs(
            bloc_year,
            _("Khiếu nại của %(unit)s") % {"unit": item.unit.name_in_year(bloc_year.year)},
            middle=Crumb(
                _("Khiếu nại kết quả"),
                reverse("scoring:complaints", args=[bloc_year.bloc_id, bloc_year.year]),
            ),
        ),
    }


@login_required
@require_GET
def complaint_file(request: HttpRequest, file_id: int) -> FileResponse:
    """A complaint's file, to those who may see the bloc-year's complaints; served as
    evidence is, never as something the browser executes."""
    item = get_complaint_file_for_user(request, file_id)
    return stored_file_response(
        request, item.file, content_type=item.content_type, name=item.original_name
    )
