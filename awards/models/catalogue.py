"""The award catalogue: the periods of law (rule sets), their awards with the gates a proposal
must pass, who decides each award, and a bloc-year's own quotas."""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from blocs.models import BlocYear

if TYPE_CHECKING:
    from django.db.models.fields.related_descriptors import RelatedManager


PERCENT = [MinValueValidator(Decimal(0)), MaxValueValidator(Decimal(100))]


class Authority(models.TextChoices):
    """Who decides an award (Luật Thi đua, khen thưởng 2022, Điều 77–80; Luật 2003, Điều 77–81).

    The bloc never decides: it proposes. An award the Prime Minister or the President decides
    is only forwarded by the province, and a provincial decision (…/QĐ-UBND) cannot grant it.
    """

    PRESIDENT = "president", _("Chủ tịch nước")
    PRIME_MINISTER = "prime_minister", _("Thủ tướng Chính phủ")
    PROVINCIAL_CHAIRMAN = "provincial_chairman", _("Chủ tịch Ủy ban nhân dân tỉnh")
    AGENCY_HEAD = "agency_head", _("Thủ trưởng cơ quan, đơn vị")


class RuleSet(models.Model):
    """The law in force for a period: legal basis printed in documents, vote thresholds, quorum,
    deadlines, and the award catalogue (docs/awards.md, the periods of law)."""

    code = models.CharField(_("mã"), max_length=40, unique=True)
    name = models.CharField(_("tên"), max_length=300)
    valid_from = models.DateField(_("áp dụng từ ngày"), null=True, blank=True)
    valid_until = models.DateField(_("áp dụng đến ngày"), null=True, blank=True)
    legal_basis = models.TextField(
        _("căn cứ pháp lý"), blank=True, help_text=_("Mỗi dòng một căn cứ, in trong tờ trình.")
    )
    bloc_vote_threshold_percent = models.DecimalField(
        _("ngưỡng phiếu bầu tại khối (% số thành viên)"),
        max_digits=5,
        decimal_places=2,
        default=Decimal(50),
        validators=PERCENT,
    )
    bloc_vote_strictly_above = models.BooleanField(
        _("phải vượt ngưỡng (trên 50%), không chỉ bằng"), default=True
    )
    quorum_numerator = models.PositiveSmallIntegerField(_("túc số: tử số"), default=2)
    quorum_denominator = models.PositiveSmallIntegerField(_("túc số: mẫu số"), default=3)
    council_vote_threshold_percent = models.DecimalField(
        _("ngưỡng phiếu của Hội đồng cho cờ thi đua (% tổng số thành viên)"),
        max_digits=5,
        decimal_places=2,
        default=Decimal(80),
        validators=PERCENT,
    )
    government_flag_warning_percent = models.DecimalField(
        _("cảnh báo khi tỷ lệ Cờ thi đua của Chính phủ vượt (% số khối)"),
        max_digits=5,
        decimal_places=2,
        default=Decimal(20),
        validators=PERCENT,
    )
    government_flag_also_provincial = models.BooleanField(
        _("đơn vị đề nghị Cờ của Chính phủ cũng được đề nghị Cờ của UBND tỉnh"),
        default=False,
    )
    proposal_deadline_day = models.PositiveSmallIntegerField(
        _("hạn nộp hồ sơ: ngày"), null=True, blank=True, validators=[MaxValueValidator(31)]
    )
    proposal_deadline_month = models.PositiveSmallIntegerField(
        _("hạn nộp hồ sơ: tháng"), null=True, blank=True, validators=[MaxValueValidator(12)]
    )

    if TYPE_CHECKING:
        award_types: RelatedManager[AwardType]

    class Meta:
        verbose_name = _("bộ quy định khen thưởng")
        verbose_name_plural = _("bộ quy định khen thưởng")
        ordering = ["valid_from"]
        constraints = [
            models.CheckConstraint(
                condition=Q(quorum_denominator__gt=0)
                & Q(quorum_numerator__lte=F("quorum_denominator")),
                name="rule_set_quorum_is_a_fraction",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class AwardType(models.Model):
    """An award of a rule set and the gates a proposal for it must pass.

    ``code`` is stable across rule sets (the same award under another law has the same code), so
    history and prerequisites look awards up by code.
    """

    class Kind(models.TextChoices):
        FLAG = "flag", _("Cờ thi đua")
        CERTIFICATE = "certificate", _("Bằng khen")
        UNIT_TITLE = "unit_title", _("Danh hiệu tập thể")

    class Level(models.TextChoices):
        NATIONAL = "national", _("Trung ương")
        PROVINCIAL = "provincial", _("Tỉnh, thành phố")
        AGENCY = "agency", _("Cơ quan, đơn vị")

    rule_set = models.ForeignKey(
        RuleSet, verbose_name=_("bộ quy định"), on_delete=models.CASCADE, related_name="award_types"
    )
    code = models.CharField(_("mã"), max_length=40)
    name = models.CharField(_("tên"), max_length=300)
    kind = models.CharField(_("hình thức"), max_length=15, choices=Kind)
    level = models.CharField(_("cấp"), max_length=15, choices=Level)
    authority = models.CharField(
        _("cấp quyết định"),
        max_length=20,
        choices=Authority,
        help_text=_(
            "Người có thẩm quyền quyết định tặng theo luật của giai đoạn: tờ trình, báo cáo và "
            "quyết định ghi nhận theo cấp này."
        ),
    )
    authority_basis = models.CharField(
        _("căn cứ thẩm quyền"),
        max_length=200,
        blank=True,
        help_text=_(
            "Điều luật quy định thẩm quyền, ví dụ: Luật Thi đua, khen thưởng 2022, Điều 78."
        ),
    )
    order = models.PositiveSmallIntegerField(
        _("thứ tự"), default=0, help_text=_("Khen thưởng cao hơn đứng trước.")
    )
    # Gates
    quota_count = models.PositiveSmallIntegerField(
        _("số lượng tối đa mỗi khối"), null=True, blank=True
    )
    quota_share_percent = models.DecimalField(
        _("tỷ lệ tối đa (% số thành viên)"),
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=PERCENT,
        help_text=_("Làm tròn xuống; dùng khi không ghi số lượng."),
    )
    max_rank = models.PositiveSmallIntegerField(_("thứ hạng tối thiểu"), null=True, blank=True)
    rank_within_quota = models.BooleanField(
        _("xét theo thứ hạng trong phạm vi số lượng"),
        default=False,
        help_text=_(
            "Đơn vị phải đứng trong số lượng, tính theo thứ hạng, sau các đơn vị xếp trên đã được "
            "đề nghị khen thưởng cao hơn."
        ),
    )
    required_bands = models.JSONField(_("xếp loại được xét"), default=list, blank=True)
    requires_award_code = models.CharField(
        _("phải cùng được đề nghị"),
        max_length=40,
        blank=True,
        help_text=_("Mã khen thưởng khác trong cùng năm."),
    )
    history_award_code = models.CharField(
        _("danh hiệu phải đạt các năm trước"), max_length=40, blank=True
    )
    history_years = models.PositiveSmallIntegerField(_("số năm liên tục trước đó"), default=0)
    history_alternative = models.BooleanField(
        _("thành tích các năm trước là căn cứ thay thế"),
        default=False,
        help_text=_(
            "Đạt danh hiệu đủ số năm liên tục thì không cần xét thứ hạng và phiếu bầu "
            "(ví dụ Bằng khen: 2 năm liền Tập thể lao động xuất sắc)."
        ),
    )
    needs_ballot = models.BooleanField(_("phải qua bỏ phiếu kín tại khối"), default=True)
    min_ballot_share_percent = models.DecimalField(
        _("tỷ lệ phiếu tối thiểu (% số thành viên)"),
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=PERCENT,
        help_text=_("Để trống: theo ngưỡng của bộ quy định."),
    )
    requires_registration = models.BooleanField(
        _("phải đăng ký thi đua đầu năm"),
        default=False,
        help_text=_(
            "Đơn vị không đăng ký danh hiệu này trong bản đăng ký thi đua của năm thì không "
            "được xét (điều kiện “Đã đăng ký thi đua”)."
        ),
    )
    needs_council_vote = models.BooleanField(_("phải qua Hội đồng bỏ phiếu"), default=False)
    min_completing_percent = models.DecimalField(
        _("tỷ lệ hoàn thành nhiệm vụ tối thiểu (%)"),
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=PERCENT,
    )
    min_advanced_percent = models.DecimalField(
        _("tỷ lệ “Lao động tiên tiến” tối thiểu (%)"),
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=PERCENT,
    )
    advanced_strictly_above = models.BooleanField(
        _("phải vượt tỷ lệ “Lao động tiên tiến”"), default=False
    )
    min_emulation_fighters = models.PositiveSmallIntegerField(
        _("số “Chiến sĩ thi đua cơ sở” tối thiểu"), null=True, blank=True
    )
    no_discipline = models.BooleanField(
        _("không ai bị kỷ luật từ khiển trách trở lên"), default=False
    )

    class Meta:
        verbose_name = _("hình thức khen thưởng")
        verbose_name_plural = _("hình thức khen thưởng")
        ordering = ["rule_set", "order", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["rule_set", "code"], name="award_code_unique_in_rule_set"
            ),
            models.CheckConstraint(
                condition=Q(authority__in=Authority.values), name="award_type_authority_known"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class QuotaOverride(models.Model):
    """A bloc-year's own quota for an award (instead of the rule set's)."""

    bloc_year = models.ForeignKey(
        BlocYear,
        verbose_name=_("năm thi đua của khối"),
        on_delete=models.CASCADE,
        related_name="award_quotas",
    )
    award_type = models.ForeignKey(
        AwardType,
        verbose_name=_("hình thức khen thưởng"),
        on_delete=models.CASCADE,
        related_name="quota_overrides",
    )
    quota = models.PositiveSmallIntegerField(_("số lượng"))

    class Meta:
        verbose_name = _("số lượng khen thưởng riêng của khối")
        verbose_name_plural = _("số lượng khen thưởng riêng của khối")
        constraints = [
            models.UniqueConstraint(
                fields=["bloc_year", "award_type"], name="one_quota_per_award_and_bloc_year"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.bloc_year}: {self.award_type} × {self.quota}"
