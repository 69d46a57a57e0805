"""The people who log in."""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from blocs.models.organisation import Unit


class User(AbstractUser):
    """A person who logs in. Every person belongs to a unit; rights come from role + unit."""

    class Role(models.TextChoices):
        FOCAL_POINT = "focal_point", _("Cán bộ đầu mối đơn vị")
        LEADER = "leader", _("Lãnh đạo")
        COUNCIL_ADMIN = "council_admin", _("Quản trị – Ban Thi đua - Khen thưởng")

    first_name = None  # type: ignore[assignment]
    last_name = None  # type: ignore[assignment]
    full_name = models.CharField(_("họ và tên"), max_length=150, blank=True)
    job_title = models.CharField(_("chức vụ"), max_length=150, blank=True)
    unit = models.ForeignKey(
        Unit,
        verbose_name=_("đơn vị"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="staff",
    )
    role = models.CharField(_("vai trò"), max_length=20, choices=Role, default=Role.FOCAL_POINT)

    objects = UserManager()  # type: ignore[misc]

    class Meta:
        verbose_name = _("người dùng")
        verbose_name_plural = _("người dùng")
        ordering = ["username"]
        constraints = [
            models.CheckConstraint(
                condition=Q(unit__isnull=False) | Q(is_superuser=True),
                name="user_belongs_to_a_unit",
            ),
        ]

    def __str__(self) -> str:
        return self.full_name or self.username

    def get_full_name(self) -> str:
        return self.full_name or self.username

    def get_short_name(self) -> str:
        return self.full_name.rsplit(" ", 1)[-1] if self.full_name else self.username


class ResetRequest(models.Model):
    """One "Quên mật khẩu?" request, kept a day to limit how many a person or a machine may
    make (``blocs.people.throttle``). The address typed is kept only as a keyed digest."""

    at = models.DateTimeField(_("lúc"), db_index=True)
    client = models.CharField(_("địa chỉ máy"), max_length=45, blank=True)
    address = models.CharField(_("thư điện tử (mã hóa)"), max_length=64)

    class Meta:
        verbose_name = _("yêu cầu đặt lại mật khẩu")
        verbose_name_plural = _("yêu cầu đặt lại mật khẩu")

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.client}"
