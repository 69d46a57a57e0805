"""Criteria sets: trees of sections, criteria and sub-criteria, the leaves carrying the points."""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from blocs.models import BlocYear, Council, Unit
from scoring import rules
from scoring import tiers as tier_rules

if TYPE_CHECKING:
    from django.db.models.fields.related_descriptors import RelatedManager


def section_code_of(code: str) -> str:
    """The code of the section a criterion belongs to: its code's first part ("II.3.1" → "II")."""
    return code.split(".", 1)[0]


class CriteriaSet(models.Model):
    """A tree of criteria used by one bloc-year, or shared by a council's blocs for a year."""

    council = models.ForeignKey(
        Council, verbose_name=_("hội đồng"), on_delete=models.PROTECT, related_name="criteria_sets"
    )
    year = models.PositiveSmallIntegerField(
        _("năm"), validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    bloc_year = models.ForeignKey(
        BlocYear,
        verbose_name=_("dùng riêng cho"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="own_criteria_sets",
        help_text=_("Để trống nếu bảng tiêu chí dùng chung cho các khối của hội đồng trong năm."),
    )
    name = models.CharField(_("tên bảng tiêu chí"), max_length=300)
    bonus_cap = models.DecimalField(
        _("điểm thưởng tối đa được tính"),
        max_digits=8,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal(0))],
    )
    step = models.DecimalField(
        _("bước điểm"),
        max_digits=4,
        decimal_places=2,
        default=Decimal("0.25"),
        validators=[MinValueValidator(Decimal("0.01"))],
        help_text=_("Điểm nhập trực tiếp phải là bội số của bước này, ví dụ 0,25."),
    )
    frozen_at = models.DateTimeField(_("khóa lúc"), null=True, blank=True)
    cloned_from = models.ForeignKey(
        "self",
        verbose_name=_("sao chép từ"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="clones",
    )
    created_at = models.DateTimeField(_("tạo lúc"), auto_now_add=True)

    if TYPE_CHECKING:
        criteria: RelatedManager[Criterion]

    class Meta:
        verbose_name = _("bảng tiêu chí")
        verbose_name_plural = _("bảng tiêu chí")
        ordering = ["-year", "name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("scoring:criteria-set", args=[self.pk])

    @property
    def is_frozen(self) -> bool:
        return self.frozen_at is not None


class Criterion(models.Model):
    """A section (I), criterion (I.1) or sub-criterion (I.1.a). Leaves carry the points."""

    class Kind(models.TextChoices):
        STANDARD = rules.STANDARD, _("Tiêu chí chuẩn")
        BONUS = rules.BONUS, _("Điểm thưởng")
        PENALTY = rules.PENALTY, _("Điểm trừ")

    class Method(models.TextChoices):
        DIRECT = rules.DIRECT, _("Nhập điểm trực tiếp")
        TARGET = rules.TARGET, _("Theo tỷ lệ hoàn thành chỉ tiêu")
        RELATIVE_BEST = rules.RELATIVE_BEST, _("So với đơn vị cao nhất khối")
        PASS_FAIL = rules.PASS_FAIL, _("Đạt / không đạt")
        PER_OCCURRENCE = rules.PER_OCCURRENCE, _("Theo số lần (có mức trần)")
        TIER = rules.TIER, _("Theo bảng mức")

    class ScoredBy(models.TextChoices):
        UNIT = "unit", _("Đơn vị tự chấm")
        BLOC = "bloc", _("Khối chấm")
        COUNCIL = "council", _("Cơ quan thường trực Hội đồng chấm")
        DEPARTMENT = "department", _("Sở, ngành được giao chấm")

    criteria_set = models.ForeignKey(
        CriteriaSet,
        verbose_name=_("bảng tiêu chí"),
        on_delete=models.CASCADE,
        related_name="criteria",
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("thuộc mục"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="children",
    )
    code = models.CharField(_("mã"), max_length=20)
    title = models.CharField(_("nội dung"), max_length=500)
    guidance = models.TextField(_("hướng dẫn chấm"), blank=True)
    max_points = models.DecimalField(
        _("điểm tối đa"),
        max_digits=8,
        decimal_places=2,
        validators=[MinValueValidator(Decimal(0))],
    )
    kind = models.CharField(_("loại"), max_length=10, choices=Kind, default=Kind.STANDARD)
    method = models.CharField(
        _("cách tính điểm"), max_length=20, choices=Method, default=Method.DIRECT
    )
    points_per_occurrence = models.DecimalField(
        _("điểm mỗi lần"), max_digits=8, decimal_places=2, null=True, blank=True
    )
    tiers = models.JSONField(
        _("bảng mức"),
        default=list,
        blank=True,
        help_text=_("Các mức của giá trị đo, mỗi mức một khoảng và số điểm tương ứng."),
    )
    tier_unit = models.CharField(
        _("đơn vị đo"),
        max_length=20,
        blank=True,
        help_text=_("Đơn vị của giá trị đo khi tính theo bảng mức, ví dụ “ngày” hoặc “%”."),
    )
    floor_percent = models.DecimalField(
        _("mức sàn (% điểm tối đa)"),
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal(0)), MaxValueValidator(Decimal(100))],
        help_text=_("Dùng khi xếp loại: mỗi tiêu chí phải đạt tối thiểu tỷ lệ này."),
    )
    scored_by = models.CharField(
        _("ai chấm"), max_length=10, choices=ScoredBy, default=ScoredBy.UNIT
    )
    scorer_unit = models.ForeignKey(
        Unit,
        verbose_name=_("cơ quan chấm"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="scored_criteria",
        help_text=_("Khi tiêu chí do một sở, ngành ngoài thư ký khối chấm."),
    )
    order = models.PositiveIntegerField(_("thứ tự"), default=0)

    if TYPE_CHECKING:
        children: RelatedManager[Criterion]

    class Meta:
        verbose_name = _("tiêu chí")
        verbose_name_plural = _("tiêu chí")
        ordering = ["criteria_set", "order", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["criteria_set", "code"], name="criterion_code_unique"),
            models.CheckConstraint(
                condition=~Q(method=rules.PER_OCCURRENCE) | Q(points_per_occurrence__isnull=False),
                name="per_occurrence_has_points",
            ),
            models.CheckConstraint(
                condition=Q(scored_by="department", scorer_unit__isnull=False)
                | (~Q(scored_by="department") & Q(scorer_unit__isnull=True)),
                name="department_scored_names_its_scorer",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code}. {self.title}"

    @property
    def tier_table(self) -> tier_rules.TierTable | None:
        """The tier table of a line scored by one (None for the other methods)."""
        if self.method != rules.TIER:
            return None
        return tier_rules.TierTable(tier_rules.from_json(self.tiers), self.tier_unit)

    @property
    def tier_text(self) -> str:
        """The tier table in one line, with its unit: "0: 5; 1–3: 3 (ngày)"; blank for the
        other methods."""
        table = self.tier_table
        if table is None:
            return ""
        text = tier_rules.table_text(table.tiers)
        return f"{text} ({table.unit})" if table.unit else text

    @property
    def depth(self) -> int:
        return self.code.count(".")

    @property
    def section_code(self) -> str:
        return section_code_of(self.code)
