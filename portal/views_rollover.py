"""Opening next year of a bloc: the preview with the admin's choices, then the confirmation."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from blocs import access as bloc_access
from blocs.http import AuthenticatedHttpRequest
from common.navigation import Crumb, home_crumb
from portal.rollover import NO_SUCCESSOR, Plan, PlanOutdated, RolloverChoices
from portal.rollover import rollover_apply as apply_plan
from portal.rollover import rollover_plan as make_plan


def _int(value: str | None) -> int | None:
    return int(value) if value and value.isdigit() else None


class AnswersForm(forms.Form):
    """The admin's answers as posted, read before the plan they change is made (the preview's
    own form, ``RolloverForm``, needs the plan): the button, the digest of the plan shown, head
    and deputy with the suggestions shown, and the units chosen for each split unit
    (``split_<unit id>``, any number of ids)."""

    action = forms.CharField(required=False)
    digest = forms.CharField(required=False)
    head = forms.CharField(required=False)
    deputy = forms.CharField(required=False)
    suggested_head = forms.CharField(required=False)
    suggested_deputy = forms.CharField(required=False)

    def __init__(self, data: QueryDict) -> None:
        super().__init__(data)
        for key in data:
            if key.startswith("split_") and key[6:].isdigit():
                self.fields[key] = forms.Field(widget=forms.MultipleHiddenInput, required=False)
        self.is_valid()

    def text(self, name: str) -> str:
        return str(self.cleaned_data.get(name) or "")

    @property
    def choices(self) -> RolloverChoices:
        """A head or deputy left at the suggestion shown is no choice at all, so that a new
        suggestion (after another split answer) applies."""
        splits = {
            int(name[6:]): frozenset(
                int(value) for value in self.cleaned_data.get(name) or [] if value.isdigit()
            )
            for name in self.fields
            if name.startswith("split_")
        }
        head, deputy = _int(self.text("head")), _int(self.text("deputy"))
        if head == _int(self.text("suggested_head")):
            head = None
        if deputy == _int(self.text("suggested_deputy")):
            deputy = None
        return RolloverChoices(splits=splits, head_id=head, deputy_id=deputy)


class RolloverForm(forms.Form):
    """The choices of the preview page, built from the plan: one checkbox group per split
    unit, head and deputy among next year's members."""

    digest = forms.CharField(widget=forms.HiddenInput)
    suggested_head = forms.CharField(widget=forms.HiddenInput, required=False)
    suggested_deputy = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, plan: Plan, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for question in plan.splits:
            self.fields[question.field_name] = forms.MultipleChoiceField(
                label=_("Đơn vị tham gia khối thay %(unit)s") % {"unit": question.name},
                choices=[(str(pk), name) for pk, name in question.options]
                + [(str(NO_SUCCESSOR), _("Không đơn vị nào tham gia khối này"))],
                widget=forms.CheckboxSelectMultiple,
                required=False,
            )
        members = [(str(m.unit.pk), m.name) for m in sorted(plan.members, key=_by_name)]
        # Blank only when there is no suggestion: a blank answer means "the suggestion".
        unset = [("", _("— Chưa chọn —"))]
        self.fields["head"] = forms.ChoiceField(
            label=_("Trưởng khối năm %(year)s") % {"year": plan.year},
            choices=[*([] if plan.suggested_head_id else unset), *members],
            required=False,
            help_text=plan.head_reason,
        )
        self.fields["deputy"] = forms.ChoiceField(
            label=_("Khối phó năm %(year)s") % {"year": plan.year},
            choices=[*([] if plan.suggested_deputy_id else unset), *members],
            required=False,
            help_text=plan.deputy_reason,
        )

    @property
    def split_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in self.fields if name.startswith("split_")]


def _by_name(member: Any) -> str:
    return str(member.name)


def _form_for(plan: Plan, posted: AnswersForm | None, *, applying: bool) -> RolloverForm:
    """A bound form showing the plan as it now stands, with the plan's objections at fields."""
    head, deputy = plan.head, plan.deputy
    data = QueryDict(mutable=True)
    data["digest"] = plan.digest
    data["suggested_head"] = str(plan.suggested_head_id or "")
    data["suggested_deputy"] = str(plan.suggested_deputy_id or "")
    data["head"] = str(head.unit.pk) if head else ""
    data["deputy"] = str(deputy.unit.pk) if deputy else ""
    for name in ("head", "deputy"):
        if posted is not None and name in plan.errors:
            data[name] = posted.text(name)
    for question in plan.splits:
        if question.chosen is not None:
            data.setlist(
                question.field_name,
                [str(pk) for pk in sorted(question.chosen)] or [str(NO_SUCCESSOR)],
            )
    form = RolloverForm(data, plan=plan)
    form.is_valid()
    for name, message in plan.errors.items():
        form.add_error(name, message)
    if applying:
        for question in plan.unanswered:
            form.add_error(
                question.field_name,
                _("Chọn đơn vị tham gia khối thay %(unit)s.") % {"unit": question.name},
            )
    return form


@login_required
@require_http_methods(["GET", "POST"])
def rollover(request: AuthenticatedHttpRequest, bloc_id: int, year: int) -> HttpResponse:
    """Open year N+1 of a bloc from year N: preview, choices, confirmation (council admins)."""
    bloc_year = bloc_access.get_bloc_year_for_user(request, bloc_id, year)
    if not bloc_access.is_council_admin(request.user, bloc_year.bloc.council_id):
        raise PermissionDenied
    posted = AnswersForm(request.POST) if request.method == "POST" else None
    plan = make_plan(bloc_year, posted.choices if posted is not None else None)
    applying = posted is not None and posted.text("action") == "apply"
    outdated = False
    if applying and plan.ready:
        outdated = posted is not None and posted.text("digest") != plan.digest
        if not outdated:
            try:
                created = apply_plan(plan=plan, by=request.user)
            except PlanOutdated:
                outdated = True
            except ValidationError as error:
                messages.error(request, " ".join(error.messages))
            else:
                messages.success(
                    request,
                    _("Đã mở năm %(year)s của khối. Kiểm tra thành viên và bảng tiêu chí nháp.")
                    % {"year": created.year},
                )
                return redirect(created.get_absolute_url())
    bloc = bloc_year.bloc
    return render(
        request,
        "rollover.html",
        {
            "plan": plan,
            "bloc_year": bloc_year,
            "form": _form_for(plan, posted, applying=applying),
            "outdated": outdated,
            "breadcrumbs": [
                home_crumb(),
                Crumb(bloc.council.name, bloc.council.get_absolute_url()),
                Crumb(bloc.name, bloc.get_absolute_url()),
                Crumb(_("Năm %(year)s") % {"year": year}, bloc_year.get_absolute_url()),
                Crumb(_("Mở năm %(year)s") % {"year": plan.year}),
            ],
        },
    )
