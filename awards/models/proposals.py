"""Proposals and their review, the decisions on awards, and the awards units received."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from awards.models.catalogue import Authority, AwardType
from blocs.models import BlocYear, Council, Unit, User

if TYPE_CHECKING:
    from django.db.models.fields.related_descriptors import RelatedManager


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
