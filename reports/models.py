"""Documents a bloc-year produces: report, minutes, submission, covenant, score table annex,
registration table."""

from __future__ import annotations

from typing import Any

from django.db import models
from django.db.models import F, Q
from django.db.models.functions import ExtractYear
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from blocs.models import Bloc, BlocYear, Unit, User


class Document(models.Model):
    """One official document of a bloc-year: its header, narrative parts and, once issued,
    the files that were issued (an issued document never changes).

    The bloc issues its papers in its own name ("KHỐI THI ĐUA …" under the province's people's
    committee, "Số: 05/BC-KTĐ", signed "TM. KHỐI THI ĐUA … / TRƯỞNG KHỐI" by the head of the
    head unit: docs/documents.md, "Who issues"). ``issuer`` is that head unit, whose head signs
    and whose seal is used; the number belongs to the bloc's yearly series of ``issuer_code``.
    A draft has no number: the next free number of the series is taken when it is issued.
    """

    class Kind(models.TextChoices):
        REPORT = "report", _("Báo cáo tổng kết công tác thi đua")
        MINUTES = "minutes", _("Biên bản họp bình xét")
        SUBMISSION = "submission", _("Tờ trình đề nghị khen thưởng")
        COVENANT = "covenant", _("Bản giao ước thi đua")
        SCORE_TABLE = "score_table", _("Phụ lục: Bảng tổng hợp điểm")
        REGISTRATION = "registration", _("Bảng tổng hợp đăng ký thi đua")

    class State(models.TextChoices):
        DRAFT = "draft", _("Dự thảo")
        ISSUED = "issued", _("Đã ban hành")

    # Type codes of Nghị định 30/2020/NĐ-CP, Phụ lục III (the covenant and the annex have none
    # of their own there; the annex travels with the report; the registration table travels
    # with the letter that sends it to the council).
    TYPE_CODES = {
        Kind.REPORT: "BC",
        Kind.MINUTES: "BB",
        Kind.SUBMISSION: "TTr",
        Kind.COVENANT: "GƯ",
        Kind.SCORE_TABLE: "",
        Kind.REGISTRATION: "",
    }

    bloc_year = models.ForeignKey(
        BlocYear,
        verbose_name=_("năm thi đua của khối"),
        on_delete=models.CASCADE,
        related_name="documents",
    )
    kind = models.CharField(_("loại văn bản"), max_length=15, choices=Kind)
    state = models.CharField(_("trạng thái"), max_length=10, choices=State, default=State.DRAFT)
    # The series a number belongs to is the bloc's (a copy of the bloc-year's bloc, so that a
    # constraint can keep a number once in a series: the report on year N and the covenant of
    # N + 1 are both signed at the conference, by two different head units, in one series).
    bloc = models.ForeignKey(
        Bloc,
        verbose_name=_("khối"),
        on_delete=models.CASCADE,
        related_name="documents",
        editable=False,
    )
    issuer = models.ForeignKey(
        Unit,
        verbose_name=_("đơn vị Trưởng khối ký văn bản"),
        on_delete=models.PROTECT,
        related_name="documents",
    )
    issuer_parent = models.CharField(_("cơ quan chủ quản"), max_length=200, blank=True)
    issuer_name = models.CharField(_("tên cơ quan ban hành"), max_length=200)
    issuer_code = models.CharField(_("chữ viết tắt cơ quan"), max_length=20)
    number = models.PositiveIntegerField(_("số"), null=True, blank=True)
    # The date of the event the document records (the conference, the covenant's signing),
    # never the day it was typed; blank until the event's date is known, required to issue.
    date = models.DateField(_("ngày ban hành"), null=True, blank=True)
    place = models.CharField(_("địa danh"), max_length=100)
    subject = models.CharField(_("trích yếu"), max_length=500)
    signer_title = models.CharField(_("chức vụ người ký"), max_length=300, blank=True)
    signer_name = models.CharField(_("người ký"), max_length=150, blank=True)
    recipients = models.TextField(_("nơi nhận"), blank=True, help_text=_("Mỗi dòng một nơi nhận."))
    narrative: models.JSONField[dict[str, Any], dict[str, Any]] = models.JSONField(
        _("phần nội dung do người viết"), default=dict, blank=True
    )
    docx = models.FileField(_("tệp DOCX đã ban hành"), upload_to="documents/", blank=True)
    pdf = models.FileField(_("tệp PDF đã ban hành"), upload_to="documents/", blank=True)
    issued_at = models.DateTimeField(_("ban hành lúc"), null=True, blank=True)
    issued_by = models.ForeignKey(
        User,
        verbose_name=_("người ban hành"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    updated_at = models.DateTimeField(_("cập nhật lúc"), auto_now=True)
    version = models.PositiveIntegerField(_("phiên bản"), default=1)

    class Meta:
        verbose_name = _("văn bản")
        verbose_name_plural = _("văn bản")
        ordering = ["bloc_year", "kind"]
        constraints = [
            models.UniqueConstraint(
                fields=["bloc_year", "kind"], name="one_document_per_kind_and_bloc_year"
            ),
            # A number is used once in a series (the bloc's, per issuer code) of a year.
            models.UniqueConstraint(
                F("bloc"),
                F("issuer_code"),
                ExtractYear("date"),
                F("number"),
                condition=Q(number__isnull=False),
                name="document_number_unique_in_series_year",
            ),
            # A draft has no number: the number is taken when the document is issued.
            models.CheckConstraint(
                condition=Q(state="issued") | Q(number__isnull=True),
                name="document_draft_has_no_number",
            ),
            models.CheckConstraint(
                condition=Q(state="draft") | Q(date__isnull=False),
                name="document_issued_is_dated",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} – {self.bloc_year}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        # The copy of the bloc must never drift from the bloc-year it belongs to.
        self.bloc_id = self.bloc_year.bloc_id
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("reports:document", args=[self.pk])

    @property
    def type_code(self) -> str:
        return self.TYPE_CODES[self.Kind(self.kind)]

    @property
    def is_draft(self) -> bool:
        return self.state != self.State.ISSUED

    @property
    def number_line(self) -> str:
        """``Số: 05/BC-KTĐ``; a draft's is blank before the slash (its number is taken when it
        is issued). An annex has none: it travels with the document it is attached to."""
        if not self.type_code:
            return ""
        number = f"{self.number:02d}" if self.number is not None else "      "
        return f"Số: {number}/{self.type_code}-{self.issuer_code}"

    @property
    def recipient_lines(self) -> list[str]:
        return [line.strip() for line in self.recipients.splitlines() if line.strip()]
