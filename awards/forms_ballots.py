"""Forms of the unit-year facts page and of the ballot page.

Both validate with the services' own checks (``facts_problems``, ``count_problems``,
``vote_problem``), so a page and a service never disagree; the services check again.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from awards.models import AwardType, Ballot, UnitYearFacts
from awards.services import ballots as ballot_services
from awards.services import facts as facts_services
from awards.services.ballots import vote_field
from blocs.models import BlocYear, Unit, User
from common.forms import DayField, show_service_error


def count_field(label: Any, *, required: bool = True, maximum: int) -> forms.IntegerField:
    return forms.IntegerField(
        label=label,
        required=required,
        min_value=0,
        max_value=maximum,
        error_messages={
            "required": gettext_lazy("Nhập số liệu này (số nguyên từ 0)."),
            "invalid": gettext_lazy("Nhập một số nguyên, ví dụ 25."),
            "min_value": gettext_lazy("Số liệu không được âm."),
            "max_value": gettext_lazy("Số quá lớn."),
        },
        widget=forms.NumberInput(attrs={"inputmode": "numeric", "class": "count"}),
    )


def _verbose_name(model: type[models.Model], name: str) -> Any:
    field = model._meta.get_field(name)
    assert isinstance(field, models.Field)
    return capfirst(field.verbose_name)


def _label(name: str) -> Any:
    return _verbose_name(UnitYearFacts, name)


def _ballot_label(name: str) -> Any:
    return _verbose_name(Ballot, name)


class FactsForm(forms.Form):
    """The staff figures of a unit in a year."""

    headcount = count_field(_label("headcount"), maximum=facts_services.MAX_COUNT)
    completing_tasks = count_field(_label("completing_tasks"), maximum=facts_services.MAX_COUNT)
    advanced_workers = count_field(_label("advanced_workers"), maximum=facts_services.MAX_COUNT)
    emulation_fighters = count_field(_label("emulation_fighters"), maximum=facts_services.MAX_COUNT)
    women = count_field(_label("women"), required=False, maximum=facts_services.MAX_COUNT)
    disciplined = count_field(_label("disciplined"), maximum=facts_services.MAX_COUNT)
    under_investigation = forms.BooleanField(label=_label("under_investigation"), required=False)
    investigation_note = forms.CharField(
        label=gettext_lazy("Nội dung đang bị xem xét, thanh tra, kiểm tra, điều tra"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy("Bắt buộc khi đánh dấu ô trên."),
    )

    def __init__(self, data: Mapping[str, Any] | None = None, *, facts: UnitYearFacts | None):
        initial = (
            {"disciplined": 0}
            if facts is None
            else {name: getattr(facts, name) for name in facts_services.FIELDS}
        )
        super().__init__(data, initial=initial)
        self.fields["women"].help_text = gettext_lazy(
            "Dùng để tính tỷ lệ nữ khi xét ưu tiên lúc bằng điểm; để trống nếu chưa có."
        )

    def save(self, *, unit: Unit, year: int, by: User) -> facts_services.FactsSaved | None:
        """Save the figures; None (with the service's errors on the form) when refused."""
        try:
            return facts_services.facts_save(unit=unit, year=year, values=self.cleaned_data, by=by)
        except ValidationError as error:
            show_service_error(self, error)
            return None

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        for name, message in facts_services.facts_problems(cleaned).items():
            # A field Django already refused keeps its own message.
            if name not in self.errors:
                self.add_error(name, message)
        return cleaned


class FactsCheckForm(forms.Form):
    """Mark a unit's figures checked. ``seen`` is when the figures the checker read were entered
    (the service refuses the check if they changed since); a value that is not a time is none."""

    seen = forms.CharField(required=False)

    @property
    def seen_at(self) -> datetime.datetime | None:
        return _seen_at(self.cleaned_data["seen"] if self.is_valid() else "")


class FactsCheckBatchForm(forms.Form):
    """The units ticked on the facts page, to mark their figures checked at once. Each row also
    sends ``seen_<unit id>``: when the figures the checker read were entered (as
    ``FactsCheckForm``'s ``seen``). ``facts`` are the figures this person may check."""

    units = forms.MultipleChoiceField(
        error_messages={
            "required": gettext_lazy("Chọn ít nhất một đơn vị."),
            "invalid_choice": gettext_lazy(
                "Số liệu của một đơn vị đã chọn không còn chờ kiểm tra; hãy xem lại trang."
            ),
        },
    )

    def __init__(self, *args: Any, facts: Sequence[UnitYearFacts], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.facts = {str(item.unit_id): item for item in facts}
        ticks = self.fields["units"]
        assert isinstance(ticks, forms.MultipleChoiceField)
        ticks.choices = [(unit_id, unit_id) for unit_id in self.facts]
        for unit_id in self.facts:
            self.fields[f"seen_{unit_id}"] = forms.CharField(required=False)

    def chosen(self) -> list[tuple[UnitYearFacts, datetime.datetime | None]]:
        """The ticked figures, each with when the checker's copy was entered (None: unknown)."""
        return [
            (self.facts[unit_id], _seen_at(self.cleaned_data.get(f"seen_{unit_id}") or ""))
            for unit_id in self.cleaned_data["units"]
        ]

    def ticked(self) -> set[str]:
        return {str(value) for value in self["units"].value() or []} if self.is_bound else set()


def _seen_at(raw: str) -> datetime.datetime | None:
    try:
        return datetime.datetime.fromisoformat(raw) if raw else None
    except ValueError:
        return None


@dataclass
class GridCell:
    award: AwardType
    field: forms.BoundField
    suggested: bool
    outcome: Any = None  # the recorded votes, share and pass/fail, if any


@dataclass
class GridRow:
    unit_id: int
    name: str
    rank: int | None
    cells: list[GridCell]


@dataclass(frozen=True)
class GridUnit:
    unit_id: int
    name: str
    rank: int | None


class BallotForm(forms.Form):
    """The meeting's counts and a grid of votes: members (rank order) × awards needing a ballot.
    A blank cell means the unit was not a candidate for that award."""

    held_on = DayField(
        label=_ballot_label("held_on"),
        # A text field, day first: a browser's date picker follows the computer's language, and
        # offices often run English Windows (03/02/2021 would then read as 2 March).
        widget=forms.DateInput(
            format="%d/%m/%Y", attrs={"inputmode": "numeric", "autocomplete": "off"}
        ),
        help_text=gettext_lazy("Ngày/tháng/năm, ví dụ 02/03/2021; thường vào đầu năm sau."),
        error_messages={
            "required": gettext_lazy("Nhập ngày bỏ phiếu."),
            "invalid": gettext_lazy("Nhập ngày theo dạng ngày/tháng/năm, ví dụ 02/03/2021."),
        },
    )
    place = forms.CharField(label=_ballot_label("place"), required=False, max_length=200)
    members_present = count_field(
        _ballot_label("members_present"),
        maximum=ballot_services.MAX_COUNT,
    )
    ballots_issued = count_field(_ballot_label("ballots_issued"), maximum=ballot_services.MAX_COUNT)
    ballots_returned = count_field(
        _ballot_label("ballots_returned"),
        maximum=ballot_services.MAX_COUNT,
    )
    ballots_valid = count_field(_ballot_label("ballots_valid"), maximum=ballot_services.MAX_COUNT)
    note = forms.CharField(
        label=_ballot_label("note"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(
        self,
        data: Mapping[str, Any] | None = None,
        *,
        members_total: int,
        units: Sequence[GridUnit],
        awards: Sequence[AwardType],
        suggested: set[tuple[str, int]],
        ballot: Ballot | None = None,
        votes: Mapping[tuple[str, int], int] | None = None,
        defaults: Mapping[str, Any] | None = None,
    ) -> None:
        initial: dict[str, Any] = dict(defaults or {})
        if ballot is not None:
            initial.update(
                held_on=ballot.held_on,
                place=ballot.place,
                members_present=ballot.members_present,
                ballots_issued=ballot.ballots_issued,
                ballots_returned=ballot.ballots_returned,
                ballots_valid=ballot.ballots_valid,
                note=ballot.note,
            )
        for key, count in (votes or {}).items():
            initial[vote_field(*key)] = count
        super().__init__(data, initial=initial)
        self.members_total = members_total
        self.units = list(units)
        self.awards = list(awards)
        self.suggested = suggested
        for unit in self.units:
            for award in self.awards:
                field = count_field(
                    _("Số phiếu đồng ý cho %(unit)s – %(award)s")
                    % {"unit": unit.name, "award": award.name},
                    required=False,
                    maximum=ballot_services.MAX_COUNT,
                )
                field.widget.attrs["class"] = "cell"
                self.fields[vote_field(award.code, unit.unit_id)] = field

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        counts = [cleaned.get(name) for name in ballot_services.COUNT_FIELDS]
        if all(isinstance(count, int) for count in counts):
            present, issued, returned, valid = counts
            problems = ballot_services.count_problems(
                members_total=self.members_total,
                members_present=present,  # type: ignore[arg-type]
                issued=issued,  # type: ignore[arg-type]
                returned=returned,  # type: ignore[arg-type]
                valid=valid,  # type: ignore[arg-type]
            )
            for name, message in problems.items():
                self.add_error(name, message)
        valid_count = cleaned.get("ballots_valid")
        if isinstance(valid_count, int):
            for (code, unit_id), count in self.votes.items():
                problem = ballot_services.vote_problem(count, valid_count)
                name = vote_field(code, unit_id)
                if problem and name not in self.errors:
                    self.add_error(name, problem)
        return cleaned

    @property
    def votes(self) -> dict[tuple[str, int], int]:
        """The filled cells (after validation)."""
        cleaned = getattr(self, "cleaned_data", {})
        return {
            (award.code, unit.unit_id): cleaned[vote_field(award.code, unit.unit_id)]
            for unit in self.units
            for award in self.awards
            if isinstance(cleaned.get(vote_field(award.code, unit.unit_id)), int)
        }

    def save(self, *, bloc_year: BlocYear, by: User) -> bool:
        """Record the valid form through the service; False (with the service's errors on the
        form) when it refuses."""
        try:
            ballot_services.ballot_record(
                bloc_year=bloc_year,
                held_on=self.cleaned_data["held_on"],
                place=self.cleaned_data["place"],
                members_present=self.cleaned_data["members_present"],
                issued=self.cleaned_data["ballots_issued"],
                returned=self.cleaned_data["ballots_returned"],
                valid=self.cleaned_data["ballots_valid"],
                votes=self.votes,
                note=self.cleaned_data["note"],
                by=by,
            )
        except ValidationError as error:
            show_service_error(self, error)
            return False
        return True

    def grid(self, outcomes: Mapping[tuple[str, int], Any] | None = None) -> list[GridRow]:
        """Rows of bound cells; ``outcomes`` gives what the recorded ballot says of each cell."""
        outcomes = outcomes or {}
        return [
            GridRow(
                unit_id=unit.unit_id,
                name=unit.name,
                rank=unit.rank,
                cells=[
                    GridCell(
                        award=award,
                        field=self[vote_field(award.code, unit.unit_id)],
                        suggested=(award.code, unit.unit_id) in self.suggested,
                        outcome=outcomes.get((award.code, unit.unit_id)),
                    )
                    for award in self.awards
                ],
            )
            for unit in self.units
        ]
