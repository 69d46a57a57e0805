"""Blocs, each bloc's years (state in the cycle, dates, deadlines) and the members of a year."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from blocs.models.organisation import Council, Unit
from common.collation import VIETNAMESE

if TYPE_CHECKING:
    from django.db.models.fields.related_descriptors import RelatedManager

    from blocs.models.people import User


class Bloc(models.Model):
    """A khối thi đua (units of similar function) or cụm thi đua (units of one territory)."""

    class Kind(models.TextChoices):
        BLOC = "bloc", _("Khối thi đua")
        CLUSTER = "cluster", _("Cụm thi đua")

    council = models.ForeignKey(
        Council, verbose_name=_("hội đồng"), on_delete=models.PROTECT, related_name="blocs"
    )
    code = models.CharField(_("mã khối"), max_length=20)
    name = models.CharField(_("tên khối"), max_length=200, db_collation=VIETNAMESE)
    kind = models.CharField(_("loại"), max_length=10, choices=Kind, default=Kind.BLOC)
    description = models.TextField(_("mô tả"), blank=True)

    if TYPE_CHECKING:
        years: RelatedManager[BlocYear]

    class Meta:
        verbose_name = _("khối thi đua")
        verbose_name_plural = _("khối thi đua")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["council", "code"], name="bloc_code_unique_in_council"),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("blocs:bloc", args=[self.pk])


class BlocYear(models.Model):
    """One bloc in one year: its members, head and deputy, and where it is in the cycle."""

    class State(models.TextChoices):
        SETUP = "setup", _("Chuẩn bị")
        UNDERWAY = "underway", _("Đang thi đua")
        SCORING = "scoring", _("Đang chấm điểm")
        FINALIZED = "finalized", _("Đã chốt kết quả")
        PROVISIONAL = "provisional", _("Công bố tạm thời")
        PUBLISHED = "published", _("Đã công bố")
        PROPOSED = "proposed", _("Đã đề nghị khen thưởng")
        DECIDED = "decided", _("Đã có quyết định")

    bloc = models.ForeignKey(
        Bloc, verbose_name=_("khối"), on_delete=models.PROTECT, related_name="years"
    )
    year = models.PositiveSmallIntegerField(
        _("năm"), validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    state = models.CharField(_("trạng thái"), max_length=20, choices=State, default=State.SETUP)
    covenant_date = models.DateField(_("ngày ký giao ước"), null=True, blank=True)
    covenant_place = models.CharField(_("nơi ký giao ước"), max_length=200, blank=True)
    conference_date = models.DateField(
        _("ngày hội nghị tổng kết"),
        null=True,
        blank=True,
        help_text=_("Thường vào đầu năm sau."),
    )
    conference_place = models.CharField(_("nơi họp tổng kết"), max_length=200, blank=True)
    # Deadlines of the year's stages, each the last day allowed (inclusive, local time).
    # After it only the secretariat may still enter or submit, and what it does is marked late.
    registration_due = models.DateField(_("hạn đăng ký thi đua"), null=True, blank=True)
    self_assessment_due = models.DateField(_("hạn đơn vị tự chấm điểm"), null=True, blank=True)
    verification_due = models.DateField(_("hạn thẩm định điểm"), null=True, blank=True)
    proposals_due = models.DateField(_("hạn trình đề nghị khen thưởng"), null=True, blank=True)
    secretaries: models.ManyToManyField[User, Any] = models.ManyToManyField(
        "User",
        verbose_name=_("thư ký khối được phân công thêm"),
        blank=True,
        related_name="assigned_bloc_years",
        help_text=_(
            "Cán bộ của Trưởng khối và Khối phó đã là thư ký khối; chỉ thêm người khác ở đây."
        ),
    )

    if TYPE_CHECKING:
        memberships: RelatedManager[Membership]

    class Meta:
        verbose_name = _("năm thi đua của khối")
        verbose_name_plural = _("năm thi đua của khối")
        ordering = ["bloc__name", "-year"]
        constraints = [
            models.UniqueConstraint(
                fields=["bloc", "year"], name="one_bloc_year_per_bloc_and_year"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.bloc.name} – {self.year}"

    def get_absolute_url(self) -> str:
        return reverse("bloc-year", args=[self.bloc_id, self.year])

    @property
    def last_day(self) -> datetime.date:
        return datetime.date(self.year, 12, 31)

    def membership_with_role(self, role: str) -> Membership | None:
        """Head or deputy, read from the prefetched memberships."""
        for membership in self.memberships.all():
            if membership.role == role:
                return membership
        return None

    @property
    def head(self) -> Membership | None:
        return self.membership_with_role(Membership.Role.HEAD)

    @property
    def deputy(self) -> Membership | None:
        return self.membership_with_role(Membership.Role.DEPUTY)


class Membership(models.Model):
    """A unit's membership of one bloc-year, with its role that year.

    Head and deputy are roles of memberships, so the database itself guarantees that they are
    members and that they differ. ``year`` repeats the bloc-year's year so that a unique
    constraint can keep a unit in at most one bloc of its council per year.
    """

    class Role(models.TextChoices):
        HEAD = "head", _("Trưởng khối")
        DEPUTY = "deputy", _("Khối phó")
        MEMBER = "member", _("Thành viên")

    bloc_year = models.ForeignKey(
        BlocYear,
        verbose_name=_("năm thi đua của khối"),
        on_delete=models.CASCADE,
        related_name="memberships",
    )
    unit = models.ForeignKey(
        Unit, verbose_name=_("đơn vị"), on_delete=models.PROTECT, related_name="memberships"
    )
    role = models.CharField(_("vai trò"), max_length=10, choices=Role, default=Role.MEMBER)
    year = models.PositiveSmallIntegerField(_("năm"), editable=False)
    women_share = models.DecimalField(
        _("tỷ lệ nữ (%)"),
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal(0)), MaxValueValidator(Decimal(100))],
        help_text=_("Dùng khi xét ưu tiên đơn vị có từ 70% nữ trở lên lúc bằng điểm."),
    )

    class Meta:
        verbose_name = _("thành viên khối")
        verbose_name_plural = _("thành viên khối")
        ordering = ["bloc_year", "unit__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["bloc_year", "unit"], name="one_membership_per_unit_and_bloc_year"
            ),
            models.UniqueConstraint(fields=["unit", "year"], name="unit_in_one_bloc_per_year"),
            models.UniqueConstraint(
                fields=["bloc_year"], condition=Q(role="head"), name="one_head_per_bloc_year"
            ),
            models.UniqueConstraint(
                fields=["bloc_year"], condition=Q(role="deputy"), name="one_deputy_per_bloc_year"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.unit} – {self.bloc_year}"

    def save(self, *args: object, **kwargs: object) -> None:
        # The copy of the year must never drift from the bloc-year it belongs to.
        self.year = self.bloc_year.year
        super().save(*args, **kwargs)  # type: ignore[arg-type]

    def clean(self) -> None:
        """Friendly messages for what the constraints would refuse (admin and forms)."""
        bloc_year = getattr(self, "bloc_year", None)
        unit = getattr(self, "unit", None)
        if bloc_year is None or unit is None or bloc_year.bloc_id is None:
            return
        if unit.council_id != bloc_year.bloc.council_id:
            raise ValidationError(
                {"unit": _("Đơn vị này thuộc hội đồng khác, không thể là thành viên của khối.")}
            )
        other = (
            Membership.objects.filter(unit=unit, year=bloc_year.year)
            .exclude(pk=self.pk)
            .exclude(bloc_year_id=bloc_year.pk)
            .select_related("bloc_year__bloc")
            .first()
        )
        if other is not None:
            raise ValidationError(
                {
                    "unit": _("%(unit)s đã là thành viên của %(bloc)s năm %(year)s.")
                    % {"unit": unit, "bloc": other.bloc_year.bloc, "year": other.year}
                }
            )
