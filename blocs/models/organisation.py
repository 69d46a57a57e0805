"""Councils and units, with the units' former names and the links reorganisations made."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING

from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from common.collation import VIETNAMESE

if TYPE_CHECKING:
    from django.db.models.fields.related_descriptors import RelatedManager


def name_in_force(
    valid_from: datetime.date | None, valid_until: datetime.date, day: datetime.date
) -> bool:
    """Whether a former name (``UnitName``) was the unit's name on ``day``; of several, the one
    that ended first is meant (``Unit.name_record_on``)."""
    return (valid_from is None or valid_from <= day) and day <= valid_until


class CouncilQuerySet(models.QuerySet["Council"]):
    def active_on(self, day: datetime.date) -> CouncilQuerySet:
        return self.filter(
            Q(valid_from__isnull=True) | Q(valid_from__lte=day),
            Q(valid_until__isnull=True) | Q(valid_until__gte=day),
        )


class Council(models.Model):
    """A provincial Emulation-Commendation Council (Hội đồng Thi đua - Khen thưởng)."""

    code = models.CharField(_("mã"), max_length=20, unique=True)
    name = models.CharField(_("tên"), max_length=200, db_collation=VIETNAMESE)
    province = models.CharField(
        _("tỉnh, thành phố"),
        max_length=100,
        help_text=_("Địa danh in ở dòng ngày tháng của văn bản, ví dụ: Quảng Nam."),
    )
    valid_from = models.DateField(_("hoạt động từ ngày"), null=True, blank=True)
    valid_until = models.DateField(_("hoạt động đến ngày"), null=True, blank=True)
    successor = models.ForeignKey(
        "self",
        verbose_name=_("hội đồng kế thừa"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="predecessors",
    )
    is_demo = models.BooleanField(
        _("dữ liệu minh họa"),
        default=False,
        help_text=_("Các trang của hội đồng này ghi rõ số liệu là dữ liệu minh họa."),
    )

    objects = CouncilQuerySet.as_manager()

    if TYPE_CHECKING:
        predecessors: RelatedManager[Council]
        units: RelatedManager[Unit]
        # ``blocs`` (of bloc_years.py) is typed by django-stubs' plugin: importing Bloc here
        # would make the two modules import each other.

    class Meta:
        verbose_name = _("hội đồng thi đua - khen thưởng")
        verbose_name_plural = _("hội đồng thi đua - khen thưởng")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_until__isnull=True)
                | Q(valid_from__isnull=True)
                | Q(valid_until__gte=F("valid_from")),
                name="council_valid_period_ordered",
            ),
            models.CheckConstraint(
                condition=~Q(successor=F("pk")), name="council_not_own_successor"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("blocs:council", args=[self.code])

    def is_active_on(self, day: datetime.date) -> bool:
        return (self.valid_from is None or self.valid_from <= day) and (
            self.valid_until is None or day <= self.valid_until
        )


class Unit(models.Model):
    """An agency that can be a member of a bloc (Sở, Ban, Báo, Đài, UBND huyện, ...).

    ``name`` is the current name; earlier names live in ``UnitName`` with their periods, so a
    page about a past year prints the name of that year.
    """

    class Kind(models.TextChoices):
        DEPARTMENT = "department", _("Sở, ngành")
        OFFICE = "office", _("Ban, văn phòng, thanh tra")
        PRESS = "press", _("Báo, đài")
        MASS_ORGANISATION = "mass_org", _("Tổ chức chính trị - xã hội, hội")
        LOCAL_GOVERNMENT = "local_gov", _("Chính quyền địa phương")
        ENTERPRISE = "enterprise", _("Doanh nghiệp, đơn vị sự nghiệp")
        OTHER = "other", _("Khác")

    council = models.ForeignKey(
        Council, verbose_name=_("hội đồng"), on_delete=models.PROTECT, related_name="units"
    )
    code = models.CharField(
        _("mã đơn vị"),
        max_length=20,
        help_text=_("Viết tắt dùng trong số ký hiệu văn bản, ví dụ: SYT trong 05/BC-SYT."),
    )
    name = models.CharField(_("tên hiện nay"), max_length=200, db_collation=VIETNAMESE)
    short_name = models.CharField(_("tên viết tắt"), max_length=100, blank=True)
    kind = models.CharField(_("loại đơn vị"), max_length=20, choices=Kind, default=Kind.DEPARTMENT)
    leader_title = models.CharField(
        _("chức danh thủ trưởng"), max_length=100, blank=True, help_text=_("Ví dụ: Giám đốc")
    )
    leader_name = models.CharField(_("họ tên thủ trưởng"), max_length=100, blank=True)
    active_from = models.DateField(_("hoạt động từ ngày"), null=True, blank=True)
    active_until = models.DateField(_("hoạt động đến ngày"), null=True, blank=True)

    if TYPE_CHECKING:
        former_names: RelatedManager[UnitName]
        # ``memberships`` (of bloc_years.py) is typed by django-stubs' plugin, as ``blocs`` above.
        successor_links: RelatedManager[UnitLineage]
        predecessor_links: RelatedManager[UnitLineage]

    class Meta:
        verbose_name = _("đơn vị")
        verbose_name_plural = _("đơn vị")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["council", "code"], name="unit_code_unique_in_council"),
            models.CheckConstraint(
                condition=Q(active_until__isnull=True)
                | Q(active_from__isnull=True)
                | Q(active_until__gte=F("active_from")),
                name="unit_active_period_ordered",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("unit", args=[self.pk])

    def name_record_on(self, day: datetime.date) -> UnitName | None:
        """The former name in force on ``day``, or None when the current name applies.

        Reads ``former_names`` through the prefetch cache when the caller prefetched it.
        """
        for former in self.former_names.all():
            if name_in_force(former.valid_from, former.valid_until, day):
                return former
        return None

    def name_on(self, day: datetime.date) -> str:
        former = self.name_record_on(day)
        return former.name if former else self.name

    def short_name_on(self, day: datetime.date) -> str:
        former = self.name_record_on(day)
        if former:
            return former.short_name or former.name
        return self.short_name or self.name

    def name_in_year(self, year: int) -> str:
        """The name a page about ``year`` prints: the one in force at the end of that year."""
        return self.name_on(datetime.date(year, 12, 31))


class UnitName(models.Model):
    """A name a unit carried before its current one."""

    unit = models.ForeignKey(
        Unit, verbose_name=_("đơn vị"), on_delete=models.CASCADE, related_name="former_names"
    )
    name = models.CharField(_("tên"), max_length=200, db_collation=VIETNAMESE)
    short_name = models.CharField(_("tên viết tắt"), max_length=100, blank=True)
    valid_from = models.DateField(_("từ ngày"), null=True, blank=True)
    valid_until = models.DateField(_("đến ngày"))

    class Meta:
        verbose_name = _("tên cũ của đơn vị")
        verbose_name_plural = _("tên cũ của đơn vị")
        ordering = ["valid_until"]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_from__isnull=True) | Q(valid_until__gte=F("valid_from")),
                name="unit_name_period_ordered",
            ),
            models.UniqueConstraint(
                fields=["unit", "valid_until"], name="unit_name_one_per_end_date"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class UnitLineage(models.Model):
    """A link between two units created by a reorganisation, with its date."""

    class Kind(models.TextChoices):
        RENAMED = "renamed", _("đổi tên thành")
        MERGED_INTO = "merged_into", _("sáp nhập vào")
        SPLIT_INTO = "split_into", _("chia tách, thành lập")
        FUNCTIONS_TRANSFERRED = "functions_transferred", _("chuyển chức năng, nhiệm vụ sang")

    predecessor = models.ForeignKey(
        Unit,
        verbose_name=_("đơn vị trước"),
        on_delete=models.PROTECT,
        related_name="successor_links",
    )
    successor = models.ForeignKey(
        Unit,
        verbose_name=_("đơn vị sau"),
        on_delete=models.PROTECT,
        related_name="predecessor_links",
    )
    kind = models.CharField(_("hình thức"), max_length=30, choices=Kind)
    effective_date = models.DateField(_("có hiệu lực từ ngày"))
    note = models.TextField(_("ghi chú"), blank=True)

    class Meta:
        verbose_name = _("sắp xếp tổ chức")
        verbose_name_plural = _("sắp xếp tổ chức")
        ordering = ["effective_date", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(predecessor=F("successor")), name="lineage_links_two_units"
            ),
            models.UniqueConstraint(
                fields=["predecessor", "successor", "kind"], name="lineage_link_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.predecessor} → {self.successor}"
