"""A bloc-year's scoring: its season, each member's sheet with its three layers of points per
line, the explanations asked and the evidence files."""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from blocs.models import BlocYear, Unit, User
from scoring.models.criteria import CriteriaSet, Criterion

if TYPE_CHECKING:
    from django.db.models.fields.related_descriptors import RelatedManager


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
    # The lines summed by kind, section, applicability (scoring/parts.py), for both columns the
    # ranking shows: {"lines": n, "verified": [...], "self": [...]}; written with the totals.
    ranking_parts = models.JSONField(_("phần tổng hợp cho xếp hạng"), default=dict, editable=False)

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

    @property
    def verification_started(self) -> bool:
        """Whether verification has started: the unit has sent the sheet (submitted, returned,
        verified, finalized). A draft's verified column reads "chưa thẩm định", never 0,00
        nor "thiếu N tiêu chí" (docs/scoring.md, "The sheet's totals")."""
        return self.state != self.State.DRAFT


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
    # What the unit typed and kept, not sent, when it left the sheet page for a line's page:
    # shown again in its answer box, never to the secretariat; emptied once it answers.
    answer_draft = models.TextField(_("giải trình đang viết (chưa gửi)"), blank=True)
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


def stored_suffix(content_type: str) -> str:
    """The stored file's extension, from its checked type (never from the name typed)."""
    return {"application/pdf": ".pdf", "image/png": ".png", "image/jpeg": ".jpg"}.get(
        content_type, ".bin"
    )


def evidence_path(instance: Evidence, filename: str) -> str:
    # The stored name never reuses what the person typed: no path tricks, no overwrites.
    import uuid

    suffix = stored_suffix(instance.content_type)
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
