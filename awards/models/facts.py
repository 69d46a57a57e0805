"""A unit's staff figures and discipline flag for a year, which the award gates read."""

from __future__ import annotations

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from blocs.models import Unit, User


class UnitYearFacts(models.Model):
    """Staff figures and the discipline flag the award gates need, for a unit in a year."""

    unit = models.ForeignKey(
        Unit, verbose_name=_("đơn vị"), on_delete=models.CASCADE, related_name="year_facts"
    )
    year = models.PositiveSmallIntegerField(_("năm"))
    headcount = models.PositiveIntegerField(
        _("tổng số cán bộ, công chức, viên chức, người lao động")
    )
    completing_tasks = models.PositiveIntegerField(_("số người hoàn thành nhiệm vụ"))
    advanced_workers = models.PositiveIntegerField(_("số người đạt “Lao động tiên tiến”"))
    emulation_fighters = models.PositiveIntegerField(_("số người đạt “Chiến sĩ thi đua cơ sở”"))
    women = models.PositiveIntegerField(_("số nữ"), null=True, blank=True)
    disciplined = models.PositiveIntegerField(
        _("số người bị kỷ luật từ khiển trách trở lên"), default=0
    )
    under_investigation = models.BooleanField(
        _("đơn vị đang bị xem xét kỷ luật, thanh tra, kiểm tra hoặc điều tra"), default=False
    )
    investigation_note = models.TextField(_("ghi chú"), blank=True)
    entered_by = models.ForeignKey(
        User,
        verbose_name=_("người nhập"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    entered_at = models.DateTimeField(_("nhập lúc"), auto_now=True)
    checked_by = models.ForeignKey(
        User,
        verbose_name=_("người kiểm tra"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    checked_at = models.DateTimeField(_("kiểm tra lúc"), null=True, blank=True)

    class Meta:
        verbose_name = _("số liệu của đơn vị trong năm")
        verbose_name_plural = _("số liệu của đơn vị trong năm")
        ordering = ["-year", "unit__name"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "year"], name="one_facts_per_unit_and_year"),
            models.CheckConstraint(
                condition=Q(completing_tasks__lte=F("headcount"))
                & Q(advanced_workers__lte=F("headcount"))
                & Q(emulation_fighters__lte=F("headcount"))
                & Q(disciplined__lte=F("headcount")),
                name="facts_counts_within_headcount",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.unit} – {self.year}"
