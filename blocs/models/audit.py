"""The audit trail: one entry per recorded change."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from blocs.models.bloc_years import BlocYear
from blocs.models.people import User


class AuditEntry(models.Model):
    """One recorded change: who, when, what (old → new) and why. Written by services only.

    ``context`` groups the entries a page shows together, e.g. ``sheet:42`` for the history
    panel of a score sheet, ``criteria-set:7`` for a criteria set.
    """

    created_at = models.DateTimeField(_("thời điểm"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        User,
        verbose_name=_("người thực hiện"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    actor_name = models.CharField(_("tên người thực hiện"), max_length=150, blank=True)
    bloc_year = models.ForeignKey(
        BlocYear,
        verbose_name=_("năm thi đua của khối"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="audit_entries",
    )
    context = models.CharField(_("phạm vi"), max_length=60)
    action = models.CharField(_("thao tác"), max_length=60)
    subject = models.CharField(
        _("đối tượng"), max_length=60, blank=True, help_text=_("Ví dụ: mã tiêu chí của dòng điểm.")
    )
    summary = models.CharField(_("nội dung"), max_length=500)
    changes = models.JSONField(_("thay đổi"), default=dict, blank=True)
    reason = models.TextField(_("lý do"), blank=True)

    class Meta:
        verbose_name = _("nhật ký thay đổi")
        verbose_name_plural = _("nhật ký thay đổi")
        ordering = ["-created_at", "-pk"]
        indexes = [
            # The history panel of a sheet or criteria set: WHERE context = ? ORDER BY created_at.
            models.Index(fields=["context", "created_at"], name="audit_context_time"),
            # A bloc-year's last entry of some actions (the ranking rules' last change,
            # scoring.selectors.ranking_rules.rule_changes) among its thousands of line changes.
            models.Index(
                fields=["bloc_year", "action", "created_at"], name="audit_year_action_time"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.created_at:%d/%m/%Y %H:%M} {self.actor_name}: {self.summary}"
