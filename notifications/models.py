"""Notifications: one row per event per recipient, each person's choice of channels, and the
queue of their e-mails."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from blocs.models import User


class Topic(models.TextChoices):
    """Groups of kinds a person can silence by e-mail in one tick."""

    SHEETS = "sheets", _("Bảng điểm")
    PROPOSALS = "proposals", _("Đề nghị khen thưởng")
    DEADLINES = "deadlines", _("Nhắc hạn")


class NotificationQuerySet(models.QuerySet["Notification"]):
    def for_user(self, user: User) -> NotificationQuerySet:
        """What the person sees in the app (rows kept only for e-mail stay hidden)."""
        return self.filter(recipient=user, in_app=True)

    def unread(self) -> NotificationQuerySet:
        return self.filter(read_at__isnull=True)


class Notification(models.Model):
    """One event told to one person: shown in the app and/or sent by e-mail, never twice.

    ``event_key`` names the event (``sheet:42:submitted:7``); it is unique per recipient, so a
    retried job or a double call finds the row and sends nothing. When the person has turned
    the in-app list off the row is still written (``in_app`` false, hidden) so that the e-mail
    keeps the same once-only guarantee.
    """

    class Kind(models.TextChoices):
        SHEET_SUBMITTED = "sheet_submitted", _("Bảng tự chấm được gửi")
        SHEET_RETURNED = "sheet_returned", _("Bảng điểm cần giải trình")
        SHEET_VERIFIED = "sheet_verified", _("Bảng điểm đã thẩm định")
        SHEET_RECALLED = "sheet_recalled", _("Bảng tự chấm được rút lại")
        SCORES_WAITING = "scores_waiting", _("Tiêu chí chờ chấm điểm")
        SHEET_ON_BEHALF = "sheet_on_behalf", _("Bảng điểm được nhập thay")
        RESULTS_PROVISIONAL = "results_provisional", _("Kết quả công bố tạm thời")
        COMPLAINT_LODGED = "complaint_lodged", _("Có khiếu nại kết quả")
        COMPLAINT_ANSWERED = "complaint_answered", _("Khiếu nại đã được trả lời")
        RULES_CHANGED = "rules_changed", _("Quy tắc xếp hạng thay đổi")
        RESULTS_PUBLISHED = "results_published", _("Kết quả công bố chính thức")
        PROPOSALS_SUBMITTED = "proposals_submitted", _("Đề nghị được trình")
        DEADLINE = "deadline", _("Sắp đến hạn")
        PROPOSAL_RETURNED = "proposal_returned", _("Đề nghị bị trả lại")
        PROPOSAL_APPROVED = "proposal_approved", _("Đề nghị được duyệt")
        PROPOSAL_REJECTED = "proposal_rejected", _("Đề nghị không được duyệt")
        PROPOSAL_DECIDED = "proposal_decided", _("Đề nghị đã có quyết định")

    class EmailStatus(models.TextChoices):
        NOT_SENT = "not_sent", _("Không gửi thư")  # turned off, or no address
        PENDING = "pending", _("Đang gửi")
        SENT = "sent", _("Đã gửi thư")
        FAILED = "failed", _("Gửi thư lỗi")

    recipient = models.ForeignKey(
        User,
        verbose_name=_("người nhận"),
        on_delete=models.CASCADE,
        related_name="notifications",
    )
    kind = models.CharField(_("loại"), max_length=30, choices=Kind)
    event_key = models.CharField(_("mã sự kiện"), max_length=200)
    title = models.CharField(_("tiêu đề"), max_length=300)
    body = models.TextField(_("nội dung"), blank=True)
    url = models.CharField(_("đường dẫn"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("thời điểm"), auto_now_add=True)
    read_at = models.DateTimeField(_("đã đọc lúc"), null=True, blank=True)
    in_app = models.BooleanField(_("hiện trong ứng dụng"), default=True)
    email_status = models.CharField(
        _("thư điện tử"), max_length=10, choices=EmailStatus, default=EmailStatus.NOT_SENT
    )
    emailed_at = models.DateTimeField(_("gửi thư lúc"), null=True, blank=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        verbose_name = _("thông báo")
        verbose_name_plural = pgettext_lazy("số nhiều", "thông báo")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "event_key"], name="one_notification_per_event_and_recipient"
            ),
        ]
        indexes = [
            # The header count: WHERE recipient = ? AND in_app AND read_at IS NULL.
            models.Index(
                fields=["recipient"],
                condition=Q(in_app=True, read_at__isnull=True),
                name="notification_unread",
            ),
            # The list: WHERE recipient = ? AND in_app ORDER BY created_at DESC.
            models.Index(fields=["recipient", "-created_at"], name="notification_list"),
        ]

    def __str__(self) -> str:
        return f"{self.recipient}: {self.title}"

    @property
    def topic(self) -> Topic:
        return TOPIC_OF_KIND[Notification.Kind(self.kind)]

    @property
    def is_unread(self) -> bool:
        return self.read_at is None


TOPIC_OF_KIND: dict[Notification.Kind, Topic] = {
    Notification.Kind.SHEET_SUBMITTED: Topic.SHEETS,
    Notification.Kind.SHEET_RETURNED: Topic.SHEETS,
    Notification.Kind.SHEET_VERIFIED: Topic.SHEETS,
    Notification.Kind.SHEET_RECALLED: Topic.SHEETS,
    Notification.Kind.SCORES_WAITING: Topic.SHEETS,
    Notification.Kind.SHEET_ON_BEHALF: Topic.SHEETS,
    Notification.Kind.RESULTS_PROVISIONAL: Topic.SHEETS,
    Notification.Kind.COMPLAINT_LODGED: Topic.SHEETS,
    Notification.Kind.COMPLAINT_ANSWERED: Topic.SHEETS,
    Notification.Kind.RULES_CHANGED: Topic.SHEETS,
    Notification.Kind.RESULTS_PUBLISHED: Topic.SHEETS,
    Notification.Kind.PROPOSALS_SUBMITTED: Topic.PROPOSALS,
    Notification.Kind.DEADLINE: Topic.DEADLINES,
    Notification.Kind.PROPOSAL_RETURNED: Topic.PROPOSALS,
    Notification.Kind.PROPOSAL_APPROVED: Topic.PROPOSALS,
    Notification.Kind.PROPOSAL_REJECTED: Topic.PROPOSALS,
    Notification.Kind.PROPOSAL_DECIDED: Topic.PROPOSALS,
}


class NotificationPreference(models.Model):
    """A person's channels. No row means everything on (the defaults below)."""

    user = models.OneToOneField(
        User,
        verbose_name=_("người dùng"),
        on_delete=models.CASCADE,
        related_name="notification_preference",
    )
    in_app_enabled = models.BooleanField(_("hiện thông báo trong ứng dụng"), default=True)
    email_enabled = models.BooleanField(_("gửi thư điện tử"), default=True)
    email_sheets = models.BooleanField(
        _("thư về bảng điểm"),
        default=True,
        help_text=_("Bảng tự chấm được gửi, cần giải trình, đã thẩm định."),
    )
    email_proposals = models.BooleanField(
        _("thư về đề nghị khen thưởng"),
        default=True,
        help_text=_("Đề nghị bị trả lại, được duyệt, không được duyệt, đã có quyết định."),
    )
    email_deadlines = models.BooleanField(
        _("thư nhắc hạn"),
        default=True,
        help_text=_("Ba ngày trước hạn tự chấm, hạn thẩm định và hạn trình đề nghị."),
    )
    updated_at = models.DateTimeField(_("cập nhật lúc"), auto_now=True)

    class Meta:
        verbose_name = _("lựa chọn nhận thông báo")
        verbose_name_plural = pgettext_lazy("số nhiều", "lựa chọn nhận thông báo")

    def __str__(self) -> str:
        return str(self.user)

    def wants_in_app(self, kind: str) -> bool:
        return self.in_app_enabled

    def wants_email(self, kind: str) -> bool:
        if not self.email_enabled:
            return False
        topic = TOPIC_OF_KIND[Notification.Kind(kind)]
        return {
            Topic.SHEETS: self.email_sheets,
            Topic.PROPOSALS: self.email_proposals,
            Topic.DEADLINES: self.email_deadlines,
        }[topic]


class OutgoingMail(models.Model):
    """The e-mail of one notification, queued in the database until the mail server takes it.

    The request that causes an event only writes this row (with its notification, in one
    transaction); ``manage.py deliver_mail`` sends it, and on failure tries again later
    (``notifications.outbox``). One notification gives at most one mail (the one-to-one key).
    The message is rendered when it is sent, from the notification's stored texts.
    """

    class Status(models.TextChoices):
        QUEUED = "queued", _("Chờ gửi")
        # A context: elsewhere "Đã gửi" and "gửi lúc" are a sheet submitted, not a mail sent.
        SENT = "sent", pgettext_lazy("thư", "Đã gửi")
        FAILED = "failed", _("Không gửi được")

    notification = models.OneToOneField(
        Notification,
        verbose_name=_("thông báo"),
        on_delete=models.CASCADE,
        related_name="outgoing_mail",
    )
    recipient = models.ForeignKey(
        User,
        verbose_name=_("người nhận"),
        on_delete=models.CASCADE,
        related_name="outgoing_mails",
    )
    to = models.EmailField(_("địa chỉ nhận"))
    status = models.CharField(_("trạng thái"), max_length=10, choices=Status, default=Status.QUEUED)
    attempts = models.PositiveSmallIntegerField(_("số lần thử"), default=0)
    next_attempt_at = models.DateTimeField(_("thử lần tới lúc"), default=timezone.now)
    last_attempt_at = models.DateTimeField(_("thử gần nhất lúc"), null=True, blank=True)
    last_error = models.TextField(_("lỗi gần nhất"), blank=True)
    # Which worker pass holds the message while it sends it (host:pid:random); empty otherwise.
    claimed_by = models.CharField(_("đang gửi bởi"), max_length=80, blank=True)
    sent_at = models.DateTimeField(pgettext_lazy("thư", "gửi lúc"), null=True, blank=True)
    created_at = models.DateTimeField(_("thời điểm"), auto_now_add=True)

    class Meta:
        verbose_name = _("thư gửi đi")
        verbose_name_plural = pgettext_lazy("số nhiều", "thư gửi đi")
        ordering = ["-created_at", "-pk"]
        indexes = [
            # The worker: WHERE status = 'queued' AND next_attempt_at <= now ORDER BY it.
            models.Index(
                fields=["next_attempt_at"],
                condition=Q(status="queued"),
                name="outgoing_mail_due",
            ),
            # The rows a worker pass holds: WHERE claimed_by = ?
            models.Index(
                fields=["claimed_by"], condition=~Q(claimed_by=""), name="outgoing_mail_claimed"
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="sent", sent_at__isnull=False) | ~Q(status="sent"),
                name="outgoing_mail_sent_has_time",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.to}: {self.notification_id}"
