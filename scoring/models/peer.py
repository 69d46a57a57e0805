"""Peer scoring: one member's scores for another member."""

from __future__ import annotations

from typing import Any

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from blocs.models import BlocYear, Unit


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
