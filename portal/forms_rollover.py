"""The forms of the "open next year" page (``portal.views_rollover``).

``AnswersForm`` reads the admin's answers as posted, before the plan they change is made;
``RolloverForm`` is the preview's own form, built from the plan: the split questions, the
members to take out (with an optional reason), the unit to add, head and deputy."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django import forms
from django.http import QueryDict
from django.utils.translation import gettext as _

from common.collation import vietnamese_sort_key
from portal.rollover import NO_SUCCESSOR, Plan, RolloverChoices
from portal.rollover.plan import DroppedMember, Origin, PlannedMember

# Fields named after a unit id: split_<id> (several values), remove_<id>, reason_<id>.
UNIT_FIELDS = ("split_", "remove_", "reason_")


def _int(value: str | None) -> int | None:
    return int(value) if value and value.isdigit() else None


def _ids(values: Iterable[object] | None) -> frozenset[int]:
    return frozenset(int(str(value)) for value in values or [] if str(value).isdigit())


class AnswersForm(forms.Form):
    """The admin's answers as posted: the button, the digest of the plan shown, head and deputy
    with the suggestions shown, the units chosen for each split unit (``split_<unit id>``), the
    members taken out (``remove_<unit id>``, with ``reason_<unit id>``), the units added before
    (``added``) and the one chosen now (``add``)."""

    action = forms.CharField(required=False)
    digest = forms.CharField(required=False)
    head = forms.CharField(required=False)
    deputy = forms.CharField(required=False)
    suggested_head = forms.CharField(required=False)
    suggested_deputy = forms.CharField(required=False)
    add = forms.CharField(required=False)
    added = forms.Field(widget=forms.MultipleHiddenInput, required=False)

    def __init__(self, data: QueryDict) -> None:
        super().__init__(data)
        for key in data:
            prefix, _sep, pk = key.partition("_")
            if f"{prefix}_" not in UNIT_FIELDS or not pk.isdigit():
                continue
            if prefix == "split":
                self.fields[key] = forms.Field(widget=forms.MultipleHiddenInput, required=False)
            elif prefix == "remove":
                self.fields[key] = forms.BooleanField(required=False)
            else:
                self.fields[key] = forms.CharField(required=False)
        self.is_valid()

    def text(self, name: str) -> str:
        return str(self.cleaned_data.get(name) or "")

    def _named(self, prefix: str) -> list[tuple[int, str]]:
        return [(int(name[len(prefix) :]), name) for name in self.fields if name.startswith(prefix)]

    @property
    def choices(self) -> RolloverChoices:
        """A head or deputy left at the suggestion shown is no choice at all, so that a new
        suggestion (after another answer) applies."""
        splits = {pk: _ids(self.cleaned_data.get(name)) for pk, name in self._named("split_")}
        removed = {
            pk: self.text(f"reason_{pk}")
            for pk, name in self._named("remove_")
            if self.cleaned_data.get(name)
        }
        added = _ids(self.cleaned_data.get("added")) | _ids([self.text("add")])
        head, deputy = _int(self.text("head")), _int(self.text("deputy"))
        if head == _int(self.text("suggested_head")):
            head = None
        if deputy == _int(self.text("suggested_deputy")):
            deputy = None
        return RolloverChoices(
            splits=splits, head_id=head, deputy_id=deputy, removed=removed, added=added
        )


class RolloverForm(forms.Form):
    """The choices of the preview page, built from the plan: one checkbox group per split
    unit, a "take out" box per member of next year (and per member taken out, with its reason),
    the unit to add among the council's units that may join, head and deputy among next year's
    members."""

    digest = forms.CharField(widget=forms.HiddenInput)
    suggested_head = forms.CharField(widget=forms.HiddenInput, required=False)
    suggested_deputy = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, plan: Plan, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.plan = plan
        for question in plan.splits:
            self.fields[question.field_name] = forms.MultipleChoiceField(
                label=_("Đơn vị tham gia khối thay %(unit)s") % {"unit": question.name},
                choices=[(str(pk), name) for pk, name in question.options]
                + [(str(NO_SUCCESSOR), _("Không đơn vị nào tham gia khối này"))],
                widget=forms.CheckboxSelectMultiple,
                required=False,
            )
        self._member_fields(plan)
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

    def _member_fields(self, plan: Plan) -> None:
        for member in plan.members:
            self.fields[f"remove_{member.unit.pk}"] = forms.BooleanField(
                label=_("Bỏ %(unit)s khỏi khối năm %(year)s")
                % {"unit": member.name, "year": plan.year},
                required=False,
            )
        for dropped in plan.removed:
            self.fields[f"remove_{dropped.unit.pk}"] = forms.BooleanField(
                label=_("Bỏ %(unit)s khỏi khối (bỏ chọn để giữ lại)") % {"unit": dropped.name},
                required=False,
            )
            self.fields[f"reason_{dropped.unit.pk}"] = forms.CharField(
                label=_("Lý do bỏ %(unit)s (không bắt buộc)") % {"unit": dropped.name},
                required=False,
            )
        added = [m for m in plan.members if m.origin == Origin.ADDED]
        self.fields["added"] = forms.MultipleChoiceField(
            choices=[(str(m.unit.pk), m.name) for m in added],
            widget=forms.MultipleHiddenInput,
            required=False,
        )
        self.fields["add"] = forms.ChoiceField(
            label=_("Thêm đơn vị vào khối năm %(year)s") % {"year": plan.year},
            choices=[("", _("— Chọn đơn vị —"))]
            + [(str(pk), name) for pk, name in plan.candidates],
            required=False,
            help_text=_("Các đơn vị đang hoạt động của hội đồng chưa thuộc khối nào năm %(year)s.")
            % {"year": plan.year},
        )

    @property
    def split_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in self.fields if name.startswith("split_")]

    @property
    def member_rows(self) -> list[tuple[PlannedMember, forms.BoundField]]:
        return [(m, self[f"remove_{m.unit.pk}"]) for m in self.plan.members]

    @property
    def removed_rows(self) -> list[tuple[DroppedMember, forms.BoundField, forms.BoundField]]:
        return [
            (d, self[f"remove_{d.unit.pk}"], self[f"reason_{d.unit.pk}"]) for d in self.plan.removed
        ]


def _by_name(member: PlannedMember) -> tuple[tuple[int, ...], tuple[int, ...], str]:
    """In the Vietnamese alphabet (Đ after D), as the rotation of head and deputy reads it."""
    return vietnamese_sort_key(str(member.name))


def form_for(plan: Plan, posted: AnswersForm | None, *, applying: bool) -> RolloverForm:
    """A bound form showing the plan as it now stands, with the plan's objections at fields
    and what was typed kept."""
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
    for dropped in plan.removed:
        data[f"remove_{dropped.unit.pk}"] = "on"
        data[f"reason_{dropped.unit.pk}"] = dropped.reason
    data.setlist("added", [str(m.unit.pk) for m in plan.members if m.origin == Origin.ADDED])
    form = RolloverForm(data, plan=plan)
    form.is_valid()
    for name, message in plan.errors.items():
        form.add_error(name if name in form.fields else None, message)
    if applying:
        for question in plan.unanswered:
            form.add_error(
                question.field_name,
                _("Chọn đơn vị tham gia khối thay %(unit)s.") % {"unit": question.name},
            )
    return form
