"""The conference's secret ballot: its tally and each candidate's votes."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from awards.models.catalogue import AwardType
from blocs.models import BlocYear, Unit, User

if TYPE_CHECKING:
    from django.db.models.fields.related_descriptors import RelatedManager


class Ballot(models.Model):
    """The tally of the paper secret ballot at the year-end conference. No ballot is linked to
    a voter: only counts are recorded."""

    bloc_year = models.OneToOneField(
        BlocYear,
        verbose_name=_("năm thi đua của khối"),
        on_delete=models.CASCADE,
        related_name="ballot",
    )
    held_on = models.DateField(_("ngày bỏ phiếu"))
    place = models.CharField(_("địa điểm"), max_length=200, blank=True)
    members_total = models.PositiveSmallIntegerField(_("tổng số thành viên"))
    members_present = models.PositiveSmallIntegerField(_("số thành viên có mặt"))
    ballots_issued = models.PositiveSmallIntegerField(_("số phiếu phát ra"))
    ballots_returned = models.PositiveSmallIntegerField(_("số phiếu thu về"))
    ballots_valid = models.PositiveSmallIntegerField(_("số phiếu hợp lệ"))
    note = models.TextField(_("ghi chú"), blank=True)
    recorded_by = models.ForeignKey(
        User,
        verbose_name=_("người ghi"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    recorded_at = models.DateTimeField(_("ghi lúc"), auto_now=True)

    if TYPE_CHECKING:
        results: RelatedManager[BallotResult]

    class Meta:
        verbose_name = _("kết quả bỏ phiếu kín")
        verbose_name_plural = _("kết quả bỏ phiếu kín")
        constraints = [
            models.CheckConstraint(
                condition=Q(members_present__lte=F("members_total"))
                & Q(ballots_returned__lte=F("ballots_issued"))
                & Q(ballots_valid__lte=F("ballots_returned")),
                name="ballot_counts_consistent",
            ),
        ]

    def __str__(self) -> str:
        return str(self.bloc_year)


class BallotResult(models.Model):
    """Votes for one candidate unit for one award."""

    ballot = models.ForeignKey(
        Ballot, verbose_name=_("bỏ phiếu"), on_delete=models.CASCADE, related_name="results"
    )
    award_type = models.ForeignKey(
        AwardType,
        verbose_name=_("hình thức khen thưởng"),
        on_delete=models.PROTECT,
        related_name="ballot_results",
    )
    unit = models.ForeignKey(
        Unit, verbose_name=_("đơn vị"), on_delete=models.PROTECT, related_name="ballot_results"
    )
    votes_for = models.PositiveSmallIntegerField(_("số phiếu đồng ý"))

    class Meta:
        verbose_name = _("số phiếu của ứng viên")
        verbose_name_plural = _("số phiếu của ứng viên")
        ordering = ["award_type__order", "-votes_for"]
        constraints = [
            models.UniqueConstraint(
                fields=["ballot", "award_type", "unit"], name="one_result_per_candidate"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.unit}: {self.votes_for}"
