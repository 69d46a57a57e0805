"""The vote entry form of a bloc-year ranked by vote alone: per member, the votes "đồng ý", the
members present who voted, and the band the meeting published (optional)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from common.forms import show_service_error
from scoring.forms_ranking import SummaryItem, field_summary
from scoring.services.ranking.votes import VoteInput, check_vote
from scoring.vote_ranking import VoteBand, VoteEntry

FIELDS = ("votes_for", "voters", "band")


class VotesForm(forms.Form):
    """One row of fields per member, named ``<unit id>-votes_for`` etc."""

    reason = forms.CharField(
        label=gettext_lazy("Lý do điều chỉnh"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(
        self,
        data: Mapping[str, Any] | None = None,
        *,
        entries: Sequence[VoteEntry],
        bands: Sequence[VoteBand],
        needs_reason: bool = False,
    ) -> None:
        super().__init__(data)
        self.entries = list(entries)
        self.fields["reason"].required = needs_reason
        if not needs_reason:
            del self.fields["reason"]
        band_choices = [("", _("Theo tỷ lệ phiếu"))] + [(b.name, b.name) for b in bands]
        for entry in self.entries:
            prefix = str(entry.unit_id)
            self.fields[f"{prefix}-votes_for"] = forms.IntegerField(
                label=_("%(unit)s: số phiếu đồng ý") % {"unit": entry.name},
                required=False,
                min_value=0,
                max_value=10000,
                initial=entry.votes_for,
                widget=forms.NumberInput(attrs={"class": "cell", "inputmode": "numeric"}),
            )
            self.fields[f"{prefix}-voters"] = forms.IntegerField(
                label=_("%(unit)s: số thành viên bỏ phiếu") % {"unit": entry.name},
                required=False,
                min_value=1,
                max_value=10000,
                initial=entry.voters,
                widget=forms.NumberInput(attrs={"class": "cell", "inputmode": "numeric"}),
            )
            self.fields[f"{prefix}-band"] = forms.ChoiceField(
                label=_("%(unit)s: xếp loại hội nghị công bố") % {"unit": entry.name},
                required=False,
                choices=band_choices,
                initial=entry.band,
            )

    @property
    def rows(self) -> list[tuple[VoteEntry, list[forms.BoundField]]]:
        return [
            (entry, [self[f"{entry.unit_id}-{name}"] for name in FIELDS]) for entry in self.entries
        ]

    def clean(self) -> dict[str, Any]:
        """Each row's own checks (the service's, ``check_vote``), shown at the cell with the
        other errors of the page."""
        data = super().clean() or {}
        for entry in self.entries:
            names = {f"{entry.unit_id}-{name}" for name in FIELDS}
            if names & set(self.errors):
                continue
            row = VoteInput(
                votes_for=data.get(f"{entry.unit_id}-votes_for"),
                voters=data.get(f"{entry.unit_id}-voters"),
            )
            for name, message in check_vote(row, set()).items():
                self.add_error(f"{entry.unit_id}-{name}", message)
        return data

    def votes(self) -> dict[int, VoteInput]:
        data = self.cleaned_data
        return {
            entry.unit_id: VoteInput(
                votes_for=data.get(f"{entry.unit_id}-votes_for"),
                voters=data.get(f"{entry.unit_id}-voters"),
                band=data.get(f"{entry.unit_id}-band") or "",
            )
            for entry in self.entries
        }

    def add_service_error(self, error: ValidationError) -> None:
        show_service_error(self, error)

    @property
    def summary(self) -> list[SummaryItem]:
        return field_summary(self)
