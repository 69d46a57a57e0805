"""A unit's emulation registration (đăng ký thi đua) for a bloc-year: the awards it aims for."""

from __future__ import annotations

from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _

from awards.models.catalogue import AwardType
from blocs.models import BlocYear, Unit, User


class Registration(models.Model):
    """What one member unit registered at the start of the year: the titles and flags of the
    year's rule set it aims for, and its pledge. One per unit and bloc-year; written only by
    ``awards.services.registration.registration_save`` (deadline, on-behalf and late rules)."""

    bloc_year = models.ForeignKey(
        BlocYear,
        verbose_name=_("năm thi đua của khối"),
        on_delete=models.CASCADE,
        related_name="registrations",
    )
    unit = models.ForeignKey(
        Unit, verbose_name=_("đơn vị"), on_delete=models.PROTECT, related_name="registrations"
    )
    awards: models.ManyToManyField[AwardType, Any] = models.ManyToManyField(
        AwardType, verbose_name=_("danh hiệu, hình thức khen thưởng đăng ký"), related_name="+"
    )
    pledge = models.TextField(_("nội dung đăng ký, cam kết"), blank=True)
    registered_by = models.ForeignKey(
        User,
        verbose_name=_("người đăng ký"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    registered_at = models.DateTimeField(_("đăng ký lúc"))
    on_behalf = models.BooleanField(
        _("thư ký khối ghi thay"),
        default=False,
        help_text=_("Người ghi không thuộc đơn vị (thư ký khối hoặc cán bộ quản trị)."),
    )
    late = models.BooleanField(_("đăng ký muộn"), default=False)

    class Meta:
        verbose_name = _("bản đăng ký thi đua")
        verbose_name_plural = _("bản đăng ký thi đua")
        ordering = ["bloc_year", "unit__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["bloc_year", "unit"], name="one_registration_per_unit_and_bloc_year"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.unit} – {self.bloc_year}"
