"""Publication of a bloc-year's results and their downloads, and the helpers the results
pages share. Who may see results: ``scoring.access.can_see_results``; who may change anything:
``blocs.access.can_manage_bloc_year``."""

from __future__ import annotations

import datetime
from collections import Counter

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from blocs import access as bloc_access
from blocs.http import AuthenticatedHttpRequest
from blocs.models import BlocYear
from common.exporters import export_response
from common.navigation import Crumb, home_crumb
from scoring.access import can_see_results
from scoring.exports import EXPORTERS, RankingSource
from scoring.forms_ranking import (
    PublishFinalForm,
    PublishProvisionalForm,
    field_summary,
)
from scoring.models import (
    Complaint,
    Publication,
    RankingSnapshot,
    ScoringSeason,
)
from scoring.selectors.ranking import ranking_input, snapshot_data
from scoring.services import ranking as services
from scoring.services.ranking import FINALIZED_STATES


def refuse(request: HttpRequest) -> HttpResponse:
    """Anonymous visitors are asked to log in; a logged-in person is refused."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    raise PermissionDenied


def results_bloc_year(bloc_id: int, year: int) -> BlocYear:
    return get_object_or_404(
        BlocYear.objects.select_related("bloc__council"), bloc_id=bloc_id, year=year
    )


def results_crumbs(bloc_year: BlocYear, last: str, *, middle: Crumb | None = None) -> list[Crumb]:
    bloc = bloc_year.bloc
    crumbs = [
        home_crumb(),
        Crumb(bloc.name, bloc.get_absolute_url()),
        Crumb(str(bloc_year.year), bloc_year.get_absolute_url()),
        Crumb(_("Xếp hạng"), reverse("scoring:ranking", args=[bloc.pk, bloc_year.year])),
    ]
    if middle:
        crumbs.append(middle)
    return [*crumbs, Crumb(last)]


def local_today() -> datetime.date:
    return timezone.localdate()


def _complaint_counts(bloc_year: BlocYear) -> Counter[str]:
    return Counter(Complaint.objects.filter(bloc_year=bloc_year).values_list("status", flat=True))


Context = dict[str, object]


def _post_provisional(request: AuthenticatedHttpRequest, bloc_year: BlocYear) -> Context:
    """Provisional publication: the days first, then the check page, then the step."""
    form = PublishProvisionalForm(request.POST)
    if not form.is_valid():
        return {"form": form}
    days = form.cleaned_data["days"]
    if not form.cleaned_data["confirmed"]:
        return {"form": form, "confirm_deadline": local_today() + datetime.timedelta(days=days)}
    try:
        provisional = services.publish_provisional(bloc_year=bloc_year, by=request.user, days=days)
    except ValidationError as error:
        return {"form": form, "errors": error.messages}
    messages.success(
        request,
        _("Đã công bố tạm thời cho các thành viên; nhận khiếu nại đến hết ngày %(day)s.")
        % {"day": _short_date(provisional.complaint_deadline)},
    )
    return {"done": True}


def _post_final(request: AuthenticatedHttpRequest, bloc_year: BlocYear) -> Context:
    """Final publication, which cannot be undone: its own check page, then the step."""
    form = PublishFinalForm(request.POST)
    if not (form.is_valid() and form.cleaned_data["confirmed"]):
        return {"confirm_final": True}
    try:
        services.publish_final(bloc_year=bloc_year, by=request.user)
    except ValidationError as error:
        return {"errors": error.messages}
    messages.success(request, _("Đã công bố chính thức kết quả xếp hạng."))
    return {"done": True}


# The step a post does, by the state of the year.
STEPS = {BlocYear.State.FINALIZED: _post_provisional, BlocYear.State.PROVISIONAL: _post_final}


@login_required
@require_http_methods(["GET", "POST"])
def publish(request: AuthenticatedHttpRequest, bloc_id: int, year: int) -> HttpResponse:
    """The one next step of publication, with what it will do shown before it."""
    bloc_year = bloc_access.get_bloc_year_for_user(request, bloc_id, year, write=True)
    context: Context = {}
    if request.method == "POST":
        step = STEPS.get(BlocYear.State(bloc_year.state))
        if step is None:
            messages.error(request, _("Không có bước công bố nào để làm lúc này."))
            return redirect("scoring:publish", bloc_id, year)
        context = step(request, bloc_year)
        if context.get("done"):
            return redirect("scoring:publish", bloc_id, year)
    return _publish_page(request, bloc_year, context)


def _publication_state(bloc_year: BlocYear) -> Context:
    """Where publication stands: the publication, the snapshots, the complaints and their
    window (the first day final publication may be done: the day after the window closes)."""
    finalized = bloc_year.state in FINALIZED_STATES
    publication = (
        Publication.objects.select_related("provisional_by", "final_by")
        .filter(bloc_year=bloc_year)
        .first()
    )
    counts = _complaint_counts(bloc_year) if finalized else Counter()
    today = local_today()
    deadline = publication.complaint_deadline if publication else None
    first_snapshot = (
        RankingSnapshot.objects.select_related("created_by")
        .filter(bloc_year=bloc_year)
        .order_by("number")
        .first()
        if finalized
        else None
    )
    return {
        "finalized": finalized,
        "publication": publication,
        "first_snapshot": first_snapshot,
        "snapshot": services.latest_snapshot(bloc_year) if finalized else None,
        "open_complaints": counts[Complaint.Status.OPEN],
        "answered_complaints": counts[Complaint.Status.ACCEPTED]
        + counts[Complaint.Status.REJECTED],
        "window_open": bool(deadline and today <= deadline),
        "final_opens_on": deadline + datetime.timedelta(days=1) if deadline else None,
        "today": today,
    }


def _publish_page(
    request: AuthenticatedHttpRequest, bloc_year: BlocYear, context: Context
) -> HttpResponse:
    form = context.get("form") or PublishProvisionalForm()
    assert isinstance(form, PublishProvisionalForm)
    return render(
        request,
        "scoring/publish.html",
        {
            "bloc_year": bloc_year,
            **_publication_state(bloc_year),
            "form": form,
            "form_summary": field_summary(form) if form.is_bound else [],
            "confirm_deadline": context.get("confirm_deadline"),
            "confirm_final": context.get("confirm_final", False),
            "errors": context.get("errors", []),
            "breadcrumbs": results_crumbs(bloc_year, _("Công bố kết quả")),
        },
    )


def _short_date(day: datetime.date | None) -> str:
    return date_format(day, "SHORT_DATE_FORMAT") if day else ""


@require_safe
def download(request: HttpRequest, bloc_id: int, year: int, fmt: str) -> HttpResponse:
    """The ranking this person may see, as CSV, XLSX or JSON: the latest snapshot once the
    results are finalized; before that, the live ranking, for the bloc's managers only."""
    exporter = EXPORTERS.get(fmt)
    if exporter is None:
        raise Http404
    bloc_year = results_bloc_year(bloc_id, year)
    if not can_see_results(request.user, bloc_year):
        return refuse(request)
    finalized = bloc_year.state in FINALIZED_STATES
    if finalized:
        snapshot = services.latest_snapshot(bloc_year)
        if snapshot is None:
            raise Http404
        data, number = snapshot.data, snapshot.number
    else:
        # Before finalization only the secretariat, council admins and leaders see results.
        try:
            live = ranking_input(bloc_year)
        except ScoringSeason.DoesNotExist:
            raise Http404 from None
        data, number = snapshot_data(live, live.rank()), None
    source = RankingSource(
        bloc_code=bloc_year.bloc.code,
        bloc_name=bloc_year.bloc.name,
        year=bloc_year.year,
        finalized=finalized,
        snapshot=number,
        data=data,
    )
    return export_response(exporter(source))
