"""A quota on a band counted across several bloc-years together (docs/ranking.md, "Quotas
counted across blocs")."""

from __future__ import annotations

from typing import Any

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from blocs.models import BlocYear, Council
from common.numbers import format_plain


class BandQuota(models.Model):
    """At most ``share_percent`` % of the units of ``bloc_years`` together may hold ``band``
    (rounded down). Written by ``scoring.services.quotas`` only, audited; frozen once any of
    its bloc-years is finalized."""

    council = models.ForeignKey(
        Council, verbose_name=_("hội đồng"), on_delete=models.CASCADE, related_name="band_quotas"
    )
    year = models.PositiveSmallIntegerField(
        _("năm"), validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    name = models.CharField(
        _("tên hạn mức"),
        max_length=120,
        help_text=_(
            "Ví dụ: Cụm thi đua số 1. Được ghi trong lý do khi đơn vị bị xếp mức thấp hơn."
        ),
    )
    band = models.CharField(_("mức xếp loại"), max_length=120)
    share_percent = models.DecimalField(
        _("tối đa % số đơn vị"),
        max_digits=5,
        decimal_places=2,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    bloc_years: models.ManyToManyField[BlocYear, Any] = models.ManyToManyField(
        BlocYear, verbose_name=_("các khối tính chung"), related_name="band_quotas"
    )
    updated_at = models.DateTimeField(_("cập nhật lúc"), auto_now=True)

    class Meta:
        verbose_name = _("hạn mức xếp loại chung nhiều khối")
        verbose_name_plural = _("hạn mức xếp loại chung nhiều khối")
        ordering = ["council", "-year", "name", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(share_percent__gte=0) & Q(share_percent__lte=100),
                name="band_quota_share_0_100",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.year})"

    @property
    def share_text(self) -> str:
        """The share as people write it: "20", "12,5"."""
        return format_plain(self.share_percent)
