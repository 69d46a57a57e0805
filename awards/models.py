"""Award catalogue with its gates, unit-year facts, ballots, proposals, reviews and decisions."""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from blocs.models import BlocYear, Council, Unit, User

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


class Decision(models.Model):
    """A decision on awards (Quyết định khen thưởng), e.g. ``123/QĐ-UBND``."""

    council = models.ForeignKey(
        Council, verbose_name=_("hội đồng"), on_delete=models.PROTECT, related_name="decisions"
    )
    number = models.CharField(_("số quyết định"), max_length=60)
    date = models.DateField(_("ngày quyết định"))
    # The council records its own province's decisions most of the time; a Prime Minister's
    # decision (…/QĐ-TTg) says so here, and only awards of its authority go under it.
    authority = models.CharField(
        _("cấp quyết định"),
        max_length=20,
        choices=Authority,
        default=Authority.PROVINCIAL_CHAIRMAN,
    )
    signer_title = models.CharField(_("chức vụ người ký"), max_length=200, blank=True)
    signer_name = models.CharField(_("người ký"), max_length=150, blank=True)
    file = models.FileField(_("tệp quyết định (PDF)"), upload_to="decisions/", blank=True)
    recorded_by = models.ForeignKey(
        User,
        verbose_name=_("người ghi"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    recorded_at = models.DateTimeField(_("ghi lúc"), auto_now_add=True)

    class Meta:
        verbose_name = _("quyết định khen thưởng")
        verbose_name_plural = _("quyết định khen thưởng")
        ordering = ["-date", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["council", "number", "date"], name="decision_number_unique"
            ),
            models.CheckConstraint(
                condition=Q(authority__in=Authority.values), name="decision_authority_known"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number} ({self.date:%d/%m/%Y})"


class Proposal(models.Model):
    """A bloc's proposal of one unit for one award in one year, and its review."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Nháp")
        SUBMITTED = "submitted", _("Đã trình")
        RETURNED = "returned", _("Trả lại để hoàn thiện")
        APPROVED = "approved", _("Đã duyệt")
        REJECTED = "rejected", _("Không duyệt")

    bloc_year = models.ForeignKey(
        BlocYear,
        verbose_name=_("năm thi đua của khối"),
        on_delete=models.CASCADE,
        related_name="proposals",
    )
    unit = models.ForeignKey(
        Unit, verbose_name=_("đơn vị"), on_delete=models.PROTECT, related_name="proposals"
    )
    award_type = models.ForeignKey(
        AwardType,
        verbose_name=_("hình thức khen thưởng"),
        on_delete=models.PROTECT,
        related_name="proposals",
    )
    status = models.CharField(_("trạng thái"), max_length=10, choices=Status, default=Status.DRAFT)
    summary = models.TextField(_("tóm tắt thành tích"), blank=True)
    # Copied from the published ranking and the ballot when the proposal is made, for the record.
    rank = models.PositiveSmallIntegerField(_("thứ hạng"), null=True, blank=True)
    total = models.DecimalField(
        _("tổng điểm"), max_digits=8, decimal_places=2, null=True, blank=True
    )
    band = models.CharField(_("xếp loại"), max_length=100, blank=True)
    votes_for = models.PositiveSmallIntegerField(_("số phiếu đồng ý"), null=True, blank=True)
    council_members_total = models.PositiveSmallIntegerField(
        _("tổng số thành viên Hội đồng"), null=True, blank=True
    )
    council_votes_for = models.PositiveSmallIntegerField(
        _("số thành viên Hội đồng đồng ý"), null=True, blank=True
    )
    decision = models.ForeignKey(
        Decision,
        verbose_name=_("quyết định"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="proposals",
    )
    version = models.PositiveIntegerField(_("phiên bản"), default=1)
    created_by = models.ForeignKey(
        User,
        verbose_name=_("người lập"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("lập lúc"), auto_now_add=True)
    submitted_at = models.DateTimeField(_("trình lúc"), null=True, blank=True)
    submitted_late = models.BooleanField(
        _("nộp muộn"),
        default=False,
        help_text=_("Trình lần đầu sau hạn trình đề nghị khen thưởng của khối."),
    )

    if TYPE_CHECKING:
        events: RelatedManager[ProposalEvent]

    class Meta:
        verbose_name = _("đề nghị khen thưởng")
        verbose_name_plural = _("đề nghị khen thưởng")
        ordering = ["bloc_year", "award_type__order", "rank", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["bloc_year", "unit", "award_type"], name="one_proposal_per_unit_award_year"
            ),
        ]
        indexes = [
            # The leaders' review queue: WHERE status = 'submitted' ORDER BY submitted_at.
            models.Index(fields=["status", "submitted_at"], name="proposal_queue"),
        ]

    def __str__(self) -> str:
        return f"{self.unit} – {self.award_type} ({self.bloc_year})"

    def get_absolute_url(self) -> str:
        return reverse("awards:proposal", args=[self.pk])


class ProposalEvent(models.Model):
    """Who did what to a proposal, when, with which note (submit, return, approve, …)."""

    class Action(models.TextChoices):
        CREATE = "create", _("Lập đề nghị")
        EDIT = "edit", _("Sửa tóm tắt thành tích")
        SUBMIT = "submit", _("Trình")
        RETURN = "return", _("Trả lại")
        APPROVE = "approve", _("Duyệt")
        REJECT = "reject", _("Không duyệt")
        DECIDE = "decide", _("Ghi quyết định")
        WITHDRAW = "withdraw", _("Rút đề nghị")

    proposal = models.ForeignKey(
        Proposal, verbose_name=_("đề nghị"), on_delete=models.CASCADE, related_name="events"
    )
    action = models.CharField(_("thao tác"), max_length=10, choices=Action)
    note = models.TextField(_("ghi chú"), blank=True)
    by = models.ForeignKey(
        User,
        verbose_name=_("người thực hiện"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    at = models.DateTimeField(_("lúc"), auto_now_add=True)

    class Meta:
        verbose_name = _("lịch sử đề nghị")
        verbose_name_plural = _("lịch sử đề nghị")
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.proposal}: {self.get_action_display()}"


class AwardGrant(models.Model):
    """An award a unit received: from an approved proposal with its decision, or entered from
    the paper records of years before the app (needed by prerequisites such as "Tập thể lao
    động xuất sắc" in the two previous years)."""

    unit = models.ForeignKey(
        Unit, verbose_name=_("đơn vị"), on_delete=models.PROTECT, related_name="award_grants"
    )
    year = models.PositiveSmallIntegerField(_("năm"))
    award_code = models.CharField(_("mã khen thưởng"), max_length=40)
    award_name = models.CharField(_("tên khen thưởng"), max_length=300)
    proposal = models.OneToOneField(
        Proposal,
        verbose_name=_("đề nghị"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="grant",
    )
    decision = models.ForeignKey(
        Decision,
        verbose_name=_("quyết định"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="grants",
    )
    decision_text = models.CharField(
        _("quyết định (ghi tay)"),
        max_length=200,
        blank=True,
        help_text=_("Dùng cho khen thưởng trước khi có hệ thống."),
    )

    class Meta:
        verbose_name = _("khen thưởng đã nhận")
        verbose_name_plural = _("khen thưởng đã nhận")
        ordering = ["-year", "unit__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "year", "award_code"], name="one_grant_per_unit_year_award"
            ),
        ]
        indexes = [
            # Prerequisite and history lookups: WHERE unit_id IN (…) AND year BETWEEN … .
            models.Index(fields=["unit", "year"], name="grant_unit_year"),
        ]

    def __str__(self) -> str:
        return f"{self.unit} – {self.award_name} ({self.year})"
