"""Criteria sets (trees of criteria) and score sheets with their three layers of points."""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from blocs.models import BlocYear, Council, Unit, User
from scoring import rules
from scoring.rows import RankingRow, rows_from_json

if TYPE_CHECKING:
    from django.db.models.fields.related_descriptors import RelatedManager


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
    def depth(self) -> int:
        return self.code.count(".")

    @property
    def section_code(self) -> str:
        return self.code.split(".", 1)[0]


class ScoringSeason(models.Model):
    """The scoring of one bloc-year: which criteria set, which mode, when it opened."""

    class Mode(models.TextChoices):
        VERIFIED = "verified", _("Đơn vị tự chấm, khối thẩm định")
        PEER = "peer", _("Chấm chéo giữa các thành viên")

    bloc_year = models.OneToOneField(
        BlocYear,
        verbose_name=_("năm thi đua của khối"),
        on_delete=models.CASCADE,
        related_name="scoring",
    )
    criteria_set = models.ForeignKey(
        CriteriaSet,
        verbose_name=_("bảng tiêu chí"),
        on_delete=models.PROTECT,
        related_name="seasons",
    )
    mode = models.CharField(_("hình thức chấm"), max_length=10, choices=Mode, default=Mode.VERIFIED)
    peer_drop_extremes = models.BooleanField(
        _("bỏ điểm cao nhất và thấp nhất khi chấm chéo"), default=False
    )
    opened_at = models.DateTimeField(_("mở chấm điểm lúc"), null=True, blank=True)
    opened_by = models.ForeignKey(
        User,
        verbose_name=_("người mở"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("đợt chấm điểm")
        verbose_name_plural = _("đợt chấm điểm")

    def __str__(self) -> str:
        return str(self.bloc_year)


class ScoreSheet(models.Model):
    """One member's score sheet for one bloc-year."""

    class State(models.TextChoices):
        DRAFT = "draft", _("Nháp")
        SUBMITTED = "submitted", _("Đã gửi")
        RETURNED = "returned", _("Cần giải trình")
        VERIFIED = "verified", _("Đã thẩm định")
        FINALIZED = "finalized", _("Đã chốt")

    bloc_year = models.ForeignKey(
        BlocYear,
        verbose_name=_("năm thi đua của khối"),
        on_delete=models.CASCADE,
        related_name="score_sheets",
    )
    unit = models.ForeignKey(
        Unit, verbose_name=_("đơn vị"), on_delete=models.PROTECT, related_name="score_sheets"
    )
    state = models.CharField(_("trạng thái"), max_length=12, choices=State, default=State.DRAFT)
    # Raised by every save; a save that carries an older number is refused (no lost update).
    version = models.PositiveIntegerField(_("phiên bản"), default=1)
    entered_on_behalf = models.BooleanField(_("thư ký khối nhập thay từ bản giấy"), default=False)
    submitted_at = models.DateTimeField(_("gửi lúc"), null=True, blank=True)
    submitted_late = models.BooleanField(
        _("nộp muộn"), default=False, help_text=_("Gửi sau hạn tự chấm điểm của khối.")
    )
    submitted_by = models.ForeignKey(
        User,
        verbose_name=_("người gửi"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    verified_at = models.DateTimeField(_("thẩm định xong lúc"), null=True, blank=True)
    verified_by = models.ForeignKey(
        User,
        verbose_name=_("người thẩm định"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    updated_at = models.DateTimeField(_("cập nhật lúc"), auto_now=True)
    updated_by = models.ForeignKey(
        User,
        verbose_name=_("người cập nhật"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    # Written only by scoring.totals.refresh, which every writer of the sheet's lines calls
    # (scoring/totals.py), for the dashboards.
    verified_total = models.DecimalField(
        _("tổng điểm thẩm định"),
        max_digits=10,
        decimal_places=2,
        null=True,
        blank=True,
        editable=False,
        help_text=_("Khi mọi tiêu chí áp dụng đã có điểm thẩm định."),
    )
    verified_missing = models.PositiveIntegerField(
        _("số tiêu chí chưa có điểm thẩm định"), default=0, editable=False
    )

    if TYPE_CHECKING:
        lines: RelatedManager[ScoreLine]

    class Meta:
        verbose_name = _("bảng chấm điểm")
        verbose_name_plural = _("bảng chấm điểm")
        ordering = ["bloc_year", "unit__name"]
        constraints = [
            models.UniqueConstraint(fields=["bloc_year", "unit"], name="one_sheet_per_member"),
        ]

    def __str__(self) -> str:
        return f"{self.unit} – {self.bloc_year}"

    def get_absolute_url(self) -> str:
        return reverse("scoring:sheet", args=[self.pk])

    @property
    def audit_context(self) -> str:
        return f"sheet:{self.pk}"


class ScoreLine(models.Model):
    """One leaf criterion on one sheet: self, verified and council layers.

    ``*_value`` is what the person entered (points, a result, a count, or 1/0 for pass/fail);
    ``*_points`` is what the method made of it, stored so totals are one SQL aggregate.

    ``save``, ``delete`` and the queryset are Django's own: a service that writes lines also
    refreshes the totals kept on their sheets (``scoring.totals.refresh``), holding the sheets'
    rows (scoring/locks.py).
    """

    sheet = models.ForeignKey(
        ScoreSheet, verbose_name=_("bảng chấm điểm"), on_delete=models.CASCADE, related_name="lines"
    )
    criterion = models.ForeignKey(
        Criterion, verbose_name=_("tiêu chí"), on_delete=models.PROTECT, related_name="lines"
    )
    self_value = models.DecimalField(
        _("tự chấm: số nhập"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    self_target = models.DecimalField(
        _("tự chấm: chỉ tiêu"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    self_points = models.DecimalField(
        _("điểm tự chấm"), max_digits=8, decimal_places=2, null=True, blank=True
    )
    note = models.TextField(_("ghi chú của đơn vị"), blank=True)
    verified_value = models.DecimalField(
        _("thẩm định: số nhập"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    verified_target = models.DecimalField(
        _("thẩm định: chỉ tiêu"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    verified_points = models.DecimalField(
        _("điểm thẩm định"), max_digits=8, decimal_places=2, null=True, blank=True
    )
    verified_reason = models.TextField(_("lý do điểm thẩm định khác điểm tự chấm"), blank=True)
    council_adjustment = models.DecimalField(
        _("điều chỉnh của Hội đồng"), max_digits=8, decimal_places=2, null=True, blank=True
    )
    council_reason = models.TextField(_("lý do điều chỉnh"), blank=True)
    not_applicable = models.BooleanField(_("không áp dụng"), default=False)
    not_applicable_reason = models.TextField(_("lý do không áp dụng"), blank=True)

    class Meta:
        verbose_name = _("dòng chấm điểm")
        verbose_name_plural = _("dòng chấm điểm")
        ordering = ["sheet", "criterion__order"]
        constraints = [
            models.UniqueConstraint(fields=["sheet", "criterion"], name="one_line_per_criterion"),
        ]

    def __str__(self) -> str:
        return f"{self.sheet} – {self.criterion.code}"

    @property
    def final_points(self) -> Decimal | None:
        """The points that count: verified, plus the council's adjustment."""
        if self.verified_points is None:
            return None
        return self.verified_points + (self.council_adjustment or Decimal(0))

    @property
    def differs(self) -> bool:
        return (
            self.self_points is not None
            and self.verified_points is not None
            and self.self_points != self.verified_points
        )


class ExplanationRequest(models.Model):
    """The secretariat asks about a line; the unit answers (giải trình); the secretariat decides."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Chưa gửi")  # typed by the secretariat, not yet sent to the unit
        OPEN = "open", _("Chờ giải trình")
        ANSWERED = "answered", _("Đã giải trình")
        ACCEPTED = "accepted", _("Đã chấp nhận")
        REJECTED = "rejected", _("Không chấp nhận")

    line = models.ForeignKey(
        ScoreLine,
        verbose_name=_("dòng chấm điểm"),
        on_delete=models.CASCADE,
        related_name="explanations",
    )
    question = models.TextField(_("nội dung yêu cầu"))
    asked_by = models.ForeignKey(
        User,
        verbose_name=_("người yêu cầu"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    asked_at = models.DateTimeField(_("yêu cầu lúc"), auto_now_add=True)
    answer = models.TextField(_("nội dung giải trình"), blank=True)
    answered_by = models.ForeignKey(
        User,
        verbose_name=_("người giải trình"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    answered_at = models.DateTimeField(_("giải trình lúc"), null=True, blank=True)
    status = models.CharField(_("trạng thái"), max_length=10, choices=Status, default=Status.OPEN)
    decision_note = models.TextField(_("ý kiến của thư ký khối"), blank=True)
    decided_by = models.ForeignKey(
        User,
        verbose_name=_("người quyết định"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("quyết định lúc"), null=True, blank=True)

    class Meta:
        verbose_name = _("yêu cầu giải trình")
        verbose_name_plural = _("yêu cầu giải trình")
        ordering = ["asked_at", "pk"]

    def __str__(self) -> str:
        return f"{self.line}: {self.question[:60]}"


def evidence_path(instance: Evidence, filename: str) -> str:
    # The stored name never reuses what the person typed: no path tricks, no overwrites.
    import uuid

    suffix = {"application/pdf": ".pdf", "image/png": ".png", "image/jpeg": ".jpg"}.get(
        instance.content_type, ".bin"
    )
    sheet = instance.line.sheet
    return f"evidence/{sheet.bloc_year_id}/{sheet.pk}/{uuid.uuid4().hex}{suffix}"


class Evidence(models.Model):
    """A file that supports a line (minh chứng) or an explanation."""

    line = models.ForeignKey(
        ScoreLine,
        verbose_name=_("dòng chấm điểm"),
        on_delete=models.CASCADE,
        related_name="evidence",
    )
    explanation = models.ForeignKey(
        ExplanationRequest,
        verbose_name=_("kèm giải trình"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="files",
    )
    file = models.FileField(_("tệp"), upload_to=evidence_path, max_length=300)
    original_name = models.CharField(_("tên tệp"), max_length=255)
    content_type = models.CharField(_("loại tệp"), max_length=100)
    size = models.PositiveIntegerField(_("dung lượng (byte)"))
    uploaded_by = models.ForeignKey(
        User,
        verbose_name=_("người tải lên"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    uploaded_at = models.DateTimeField(_("tải lên lúc"), auto_now_add=True)

    class Meta:
        verbose_name = _("minh chứng")
        verbose_name_plural = _("minh chứng")
        ordering = ["uploaded_at", "pk"]

    def __str__(self) -> str:
        return self.original_name

    def get_absolute_url(self) -> str:
        return reverse("scoring:evidence", args=[self.pk])


class PeerAssessment(models.Model):
    """Under peer scoring: one member's scores for another member (never itself)."""

    class State(models.TextChoices):
        DRAFT = "draft", _("Nháp")
        SUBMITTED = "submitted", _("Đã gửi")

    bloc_year = models.ForeignKey(
        BlocYear,
        verbose_name=_("năm thi đua của khối"),
        on_delete=models.CASCADE,
        related_name="peer_assessments",
    )
    scorer = models.ForeignKey(
        Unit,
        verbose_name=_("đơn vị chấm"),
        on_delete=models.PROTECT,
        related_name="peer_scores_given",
    )
    scored = models.ForeignKey(
        Unit,
        verbose_name=_("đơn vị được chấm"),
        on_delete=models.PROTECT,
        related_name="peer_scores_received",
    )
    state = models.CharField(_("trạng thái"), max_length=10, choices=State, default=State.DRAFT)
    version = models.PositiveIntegerField(_("phiên bản"), default=1)
    points: models.JSONField[dict[str, Any], dict[str, Any]] = models.JSONField(
        _("điểm theo tiêu chí"), default=dict, blank=True
    )
    submitted_at = models.DateTimeField(_("gửi lúc"), null=True, blank=True)
    updated_at = models.DateTimeField(_("cập nhật lúc"), auto_now=True)

    class Meta:
        verbose_name = _("phiếu chấm chéo")
        verbose_name_plural = _("phiếu chấm chéo")
        constraints = [
            models.UniqueConstraint(
                fields=["bloc_year", "scorer", "scored"], name="one_peer_assessment_per_pair"
            ),
            models.CheckConstraint(
                condition=~Q(scorer=models.F("scored")), name="no_unit_scores_itself"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.scorer} → {self.scored}"


class RankingRules(models.Model):
    """The ordered tie-break chain and the band table: a council's defaults, or a bloc-year's own.

    ``tie_breaks`` lists keys of ``scoring.ranking.TIE_BREAKS``; ``bands`` lists
    ``{"name", "min_total_percent", "floor_percent"}`` from the highest band down.
    """

    council = models.ForeignKey(
        Council,
        verbose_name=_("hội đồng (mặc định)"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="ranking_rules",
    )
    bloc_year = models.OneToOneField(
        BlocYear,
        verbose_name=_("năm thi đua của khối"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="ranking_rules",
    )
    tie_breaks: models.JSONField[list[str], list[str]] = models.JSONField(
        _("thứ tự tiêu chí phụ khi bằng điểm"), default=list, blank=True
    )
    bands: models.JSONField[list[dict[str, str]], list[dict[str, str]]] = models.JSONField(
        _("bảng xếp loại"), default=list, blank=True
    )
    explanation_required = models.BooleanField(
        _("chỉ trừ điểm sau khi đơn vị được giải trình"),
        default=False,
        help_text=_(
            "Khi bật, không hoàn thành thẩm định được nếu có tiêu chí bị hạ điểm mà đơn vị "
            "chưa được yêu cầu giải trình."
        ),
    )
    updated_at = models.DateTimeField(_("cập nhật lúc"), auto_now=True)

    class Meta:
        verbose_name = _("quy tắc xếp hạng")
        verbose_name_plural = _("quy tắc xếp hạng")
        constraints = [
            models.CheckConstraint(
                condition=Q(council__isnull=False, bloc_year__isnull=True)
                | Q(council__isnull=True, bloc_year__isnull=False),
                name="ranking_rules_for_council_or_bloc_year",
            ),
            models.UniqueConstraint(
                fields=["council"],
                condition=Q(bloc_year__isnull=True),
                name="one_default_rules_per_council",
            ),
        ]

    def __str__(self) -> str:
        return str(self.bloc_year or self.council)


class RankingSnapshot(models.Model):
    """A frozen ranking: totals, ranks, bands, explanations, every line's points, and a hash of
    the inputs. Never changed once written; a correction writes the next number."""

    class Kind(models.TextChoices):
        FINALIZATION = "finalization", _("Chốt kết quả")
        CORRECTION = "correction", _("Điều chỉnh sau khi chốt")
        COMPLAINT = "complaint", _("Điều chỉnh theo khiếu nại")
        IMPORT = "import", _("Nhập từ tệp Excel")

    bloc_year = models.ForeignKey(
        BlocYear,
        verbose_name=_("năm thi đua của khối"),
        on_delete=models.CASCADE,
        related_name="snapshots",
    )
    number = models.PositiveSmallIntegerField(_("lần"))
    kind = models.CharField(_("loại"), max_length=15, choices=Kind)
    reason = models.TextField(_("lý do"), blank=True)
    created_at = models.DateTimeField(_("lúc"), auto_now_add=True)
    created_by = models.ForeignKey(
        User,
        verbose_name=_("người thực hiện"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    inputs_hash = models.CharField(_("mã băm dữ liệu đầu vào"), max_length=64)
    data: models.JSONField[dict[str, Any], dict[str, Any]] = models.JSONField(
        _("kết quả"), default=dict
    )

    class Meta:
        verbose_name = _("kết quả xếp hạng đã chốt")
        verbose_name_plural = _("kết quả xếp hạng đã chốt")
        ordering = ["bloc_year", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["bloc_year", "number"], name="snapshot_number_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.bloc_year} #{self.number}"

    @property
    def rows(self) -> list[RankingRow]:
        """The ranking, best first, typed (``scoring.rows``)."""
        return rows_from_json(self.data.get("rows"))


class Publication(models.Model):
    """Publication of a bloc-year's results: provisional to members (with a complaint window),
    then final to members and the public."""

    bloc_year = models.OneToOneField(
        BlocYear,
        verbose_name=_("năm thi đua của khối"),
        on_delete=models.CASCADE,
        related_name="publication",
    )
    provisional_at = models.DateTimeField(_("công bố tạm thời lúc"), null=True, blank=True)
    provisional_by = models.ForeignKey(
        User,
        verbose_name=_("người công bố tạm thời"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    complaint_deadline = models.DateField(_("hạn khiếu nại"), null=True, blank=True)
    final_at = models.DateTimeField(_("công bố chính thức lúc"), null=True, blank=True)
    final_by = models.ForeignKey(
        User,
        verbose_name=_("người công bố chính thức"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("công bố kết quả")
        verbose_name_plural = _("công bố kết quả")

    def __str__(self) -> str:
        return str(self.bloc_year)


class Complaint(models.Model):
    """A member's complaint about specific lines during the complaint window."""

    class Status(models.TextChoices):
        OPEN = "open", _("Chờ trả lời")
        ACCEPTED = "accepted", _("Chấp nhận")
        REJECTED = "rejected", _("Không chấp nhận")

    bloc_year = models.ForeignKey(
        BlocYear,
        verbose_name=_("năm thi đua của khối"),
        on_delete=models.CASCADE,
        related_name="complaints",
    )
    unit = models.ForeignKey(
        Unit,
        verbose_name=_("đơn vị khiếu nại"),
        on_delete=models.PROTECT,
        related_name="complaints_lodged",
    )
    about_unit = models.ForeignKey(
        Unit,
        verbose_name=_("về điểm của đơn vị"),
        on_delete=models.PROTECT,
        related_name="complaints_received",
    )
    criteria = models.ManyToManyField(
        Criterion, verbose_name=_("các tiêu chí"), related_name="complaints"
    )
    text = models.TextField(_("nội dung khiếu nại"))
    created_at = models.DateTimeField(_("gửi lúc"), auto_now_add=True)
    created_by = models.ForeignKey(
        User, verbose_name=_("người gửi"), on_delete=models.SET_NULL, null=True, related_name="+"
    )
    status = models.CharField(_("trạng thái"), max_length=10, choices=Status, default=Status.OPEN)
    answer = models.TextField(_("trả lời"), blank=True)
    answered_at = models.DateTimeField(_("trả lời lúc"), null=True, blank=True)
    answered_by = models.ForeignKey(
        User,
        verbose_name=_("người trả lời"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    snapshot = models.ForeignKey(
        RankingSnapshot,
        verbose_name=_("kết quả điều chỉnh"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="complaints",
    )

    class Meta:
        verbose_name = _("khiếu nại kết quả")
        verbose_name_plural = _("khiếu nại kết quả")
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.unit}: {self.text[:60]}"
