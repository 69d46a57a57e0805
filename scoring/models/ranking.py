"""Around the ranking: its rules, the frozen snapshots, publication and complaints."""

from __future__ import annotations

from typing import Any

from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from blocs.models import BlocYear, Council, Unit, User
from scoring.models.criteria import Criterion
from scoring.models.sheets import stored_suffix
from scoring.rows import RankingRow, rows_from_json


class RankingRules(models.Model):
    """The ordered tie-break chain and the band table: a council's defaults, or a bloc-year's own.

    ``tie_breaks`` lists keys of ``scoring.ranking.TIE_BREAKS``; ``bands`` lists
    ``{"name", "min_total_percent", "floor_percent"}`` from the highest band down, each with an
    optional ``"criterion_floor_percent"`` (a floor on every criterion, issue 18) and
    ``"cap_percent"`` (at most that share of the ranked units, issue 18; docs/ranking.md).
    """

    class EmptySections(models.TextChoices):
        PRO_RATA = "pro_rata", _("Quy đổi theo tỷ lệ các mục còn lại")
        FULL_POINTS = "full_points", _("Tính đủ điểm tối đa của mục")

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
    empty_sections = models.CharField(
        _("mục không có nhiệm vụ"),
        max_length=12,
        choices=EmptySections,
        default=EmptySections.PRO_RATA,
        help_text=_(
            "Khi đơn vị không có nhiệm vụ nào trong một mục (mọi tiêu chí của mục không áp "
            "dụng): quy đổi điểm các mục còn lại theo tỷ lệ, hoặc tính đủ điểm tối đa của mục."
        ),
    )
    mode = models.CharField(
        _("cách xếp hạng"),
        max_length=8,
        choices=[("points", _("Chấm điểm")), ("votes", _("Bình xét bằng phiếu"))],
        default="points",
        help_text=_(
            "Chấm điểm: các thành viên tự chấm theo bảng tiêu chí, khối thẩm định. Bình xét "
            "bằng phiếu: không chấm điểm, thư ký khối ghi số phiếu đồng ý của từng thành viên."
        ),
    )
    # The vote band table (scoring.vote_ranking): ``{"name", "above_percent"}`` from the
    # highest band down, the last without a share; empty: the built-in table.
    vote_bands: models.JSONField[list[dict[str, str]], list[dict[str, str]]] = models.JSONField(
        _("bảng xếp loại theo phiếu"), default=list, blank=True
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


class VoteResult(models.Model):
    """A member's result at the bình xét meeting of a bloc-year ranked by vote alone: votes
    "đồng ý" out of the voters present, and the band the meeting published (optional)."""

    bloc_year = models.ForeignKey(
        BlocYear,
        verbose_name=_("năm thi đua của khối"),
        on_delete=models.CASCADE,
        related_name="vote_results",
    )
    unit = models.ForeignKey(
        Unit, verbose_name=_("đơn vị"), on_delete=models.PROTECT, related_name="+"
    )
    votes_for = models.PositiveSmallIntegerField(_("số phiếu đồng ý"))
    voters = models.PositiveSmallIntegerField(_("số thành viên có mặt bỏ phiếu"))
    band = models.CharField(_("xếp loại hội nghị công bố"), max_length=200, blank=True)
    updated_at = models.DateTimeField(_("cập nhật lúc"), auto_now=True)

    class Meta:
        verbose_name = _("kết quả bình xét bằng phiếu")
        verbose_name_plural = _("kết quả bình xét bằng phiếu")
        constraints = [
            models.UniqueConstraint(fields=["bloc_year", "unit"], name="one_vote_result_per_unit"),
            models.CheckConstraint(
                condition=Q(votes_for__lte=models.F("voters")), name="votes_within_voters"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.unit}: {self.votes_for}/{self.voters}"


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


def complaint_file_path(instance: ComplaintFile, filename: str) -> str:
    # As evidence: the stored name never reuses what the person typed.
    import uuid

    complaint = instance.complaint
    return (
        f"complaints/{complaint.bloc_year_id}/{complaint.pk}/"
        f"{uuid.uuid4().hex}{stored_suffix(instance.content_type)}"
    )


class ComplaintFile(models.Model):
    """A file sent with a complaint (the minutes "kèm theo") or with its answer: checked,
    stored and served as evidence is (docs/ranking.md, "Complaints")."""

    class Part(models.TextChoices):
        COMPLAINT = "complaint", _("Kèm khiếu nại")
        ANSWER = "answer", _("Kèm trả lời")

    complaint = models.ForeignKey(
        Complaint, verbose_name=_("khiếu nại"), on_delete=models.CASCADE, related_name="files"
    )
    part = models.CharField(_("kèm theo"), max_length=10, choices=Part, default=Part.COMPLAINT)
    file = models.FileField(_("tệp"), upload_to=complaint_file_path, max_length=300)
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
        verbose_name = _("tệp kèm khiếu nại")
        verbose_name_plural = _("tệp kèm khiếu nại")
        ordering = ["uploaded_at", "pk"]

    def __str__(self) -> str:
        return self.original_name

    def get_absolute_url(self) -> str:
        return reverse("scoring:complaint-file", args=[self.pk])
