"""The organisation: councils, units and their lineage, blocs, bloc-years, members, people."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.contrib.auth.models import AbstractUser, UserManager
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from common.collation import VIETNAMESE

if TYPE_CHECKING:
    from django.db.models.fields.related_descriptors import RelatedManager


class CouncilQuerySet(models.QuerySet["Council"]):
    def active_on(self, day: datetime.date) -> CouncilQuerySet:
        return self.filter(
            Q(valid_from__isnull=True) | Q(valid_from__lte=day),
            Q(valid_until__isnull=True) | Q(valid_until__gte=day),
        )


class Council(models.Model):
    """A provincial Emulation-Commendation Council (Hội đồng Thi đua - Khen thưởng)."""

    code = models.CharField(_("mã"), max_length=20, unique=True)
    name = models.CharField(_("tên"), max_length=200, db_collation=VIETNAMESE)
    province = models.CharField(
        _("tỉnh, thành phố"),
        max_length=100,
        help_text=_("Địa danh in ở dòng ngày tháng của văn bản, ví dụ: Quảng Nam."),
    )
    valid_from = models.DateField(_("hoạt động từ ngày"), null=True, blank=True)
    valid_until = models.DateField(_("hoạt động đến ngày"), null=True, blank=True)
    successor = models.ForeignKey(
        "self",
        verbose_name=_("hội đồng kế thừa"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="predecessors",
    )
    is_demo = models.BooleanField(
        _("dữ liệu minh họa"),
        default=False,
        help_text=_("Các trang của hội đồng này ghi rõ số liệu là dữ liệu minh họa."),
    )

    objects = CouncilQuerySet.as_manager()

    if TYPE_CHECKING:
        predecessors: RelatedManager[Council]
        units: RelatedManager[Unit]
        blocs: RelatedManager[Bloc]

    class Meta:
        verbose_name = _("hội đồng thi đua - khen thưởng")
        verbose_name_plural = _("hội đồng thi đua - khen thưởng")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_until__isnull=True)
                | Q(valid_from__isnull=True)
                | Q(valid_until__gte=F("valid_from")),
                name="council_valid_period_ordered",
            ),
            models.CheckConstraint(
                condition=~Q(successor=F("pk")), name="council_not_own_successor"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("blocs:council", args=[self.code])

    def is_active_on(self, day: datetime.date) -> bool:
        return (self.valid_from is None or self.valid_from <= day) and (
            self.valid_until is None or day <= self.valid_until
        )


class Unit(models.Model):
    """An agency that can be a member of a bloc (Sở, Ban, Báo, Đài, UBND huyện, ...).

    ``name`` is the current name; earlier names live in ``UnitName`` with their periods, so a
    page about a past year prints the name of that year.
    """

    class Kind(models.TextChoices):
        DEPARTMENT = "department", _("Sở, ngành")
        OFFICE = "office", _("Ban, văn phòng, thanh tra")
        PRESS = "press", _("Báo, đài")
        MASS_ORGANISATION = "mass_org", _("Tổ chức chính trị - xã hội, hội")
        LOCAL_GOVERNMENT = "local_gov", _("Chính quyền địa phương")
        ENTERPRISE = "enterprise", _("Doanh nghiệp, đơn vị sự nghiệp")
        OTHER = "other", _("Khác")

    council = models.ForeignKey(
        Council, verbose_name=_("hội đồng"), on_delete=models.PROTECT, related_name="units"
    )
    code = models.CharField(
        _("mã đơn vị"),
        max_length=20,
        help_text=_("Viết tắt dùng trong số ký hiệu văn bản, ví dụ: SYT trong 05/BC-SYT."),
    )
    name = models.CharField(_("tên hiện nay"), max_length=200, db_collation=VIETNAMESE)
    short_name = models.CharField(_("tên viết tắt"), max_length=100, blank=True)
    kind = models.CharField(_("loại đơn vị"), max_length=20, choices=Kind, default=Kind.DEPARTMENT)
    leader_title = models.CharField(
        _("chức danh thủ trưởng"), max_length=100, blank=True, help_text=_("Ví dụ: Giám đốc")
    )
    leader_name = models.CharField(_("họ tên thủ trưởng"), max_length=100, blank=True)
    active_from = models.DateField(_("hoạt động từ ngày"), null=True, blank=True)
    active_until = models.DateField(_("hoạt động đến ngày"), null=True, blank=True)

    if TYPE_CHECKING:
        former_names: RelatedManager[UnitName]
        memberships: RelatedManager[Membership]
        successor_links: RelatedManager[UnitLineage]
        predecessor_links: RelatedManager[UnitLineage]

    class Meta:
        verbose_name = _("đơn vị")
        verbose_name_plural = _("đơn vị")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["council", "code"], name="unit_code_unique_in_council"),
            models.CheckConstraint(
                condition=Q(active_until__isnull=True)
                | Q(active_from__isnull=True)
                | Q(active_until__gte=F("active_from")),
                name="unit_active_period_ordered",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("unit", args=[self.pk])

    def name_record_on(self, day: datetime.date) -> UnitName | None:
        """The former name in force on ``day``, or None when the current name applies.

        Reads ``former_names`` through the prefetch cache when the caller prefetched it.
        """
        for former in self.former_names.all():
            if (
                former.valid_from is None or former.valid_from <= day
            ) and day <= former.valid_until:
                return former
        return None

    def name_on(self, day: datetime.date) -> str:
        former = self.name_record_on(day)
        return former.name if former else self.name

    def short_name_on(self, day: datetime.date) -> str:
        former = self.name_record_on(day)
        if former:
            return former.short_name or former.name
        return self.short_name or self.name

    def name_in_year(self, year: int) -> str:
        """The name a page about ``year`` prints: the one in force at the end of that year."""
        return self.name_on(datetime.date(year, 12, 31))


class UnitName(models.Model):
    """A name a unit carried before its current one."""

    unit = models.ForeignKey(
        Unit, verbose_name=_("đơn vị"), on_delete=models.CASCADE, related_name="former_names"
    )
    name = models.CharField(_("tên"), max_length=200, db_collation=VIETNAMESE)
    short_name = models.CharField(_("tên viết tắt"), max_length=100, blank=True)
    valid_from = models.DateField(_("từ ngày"), null=True, blank=True)
    valid_until = models.DateField(_("đến ngày"))

    class Meta:
        verbose_name = _("tên cũ của đơn vị")
        verbose_name_plural = _("tên cũ của đơn vị")
        ordering = ["valid_until"]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_from__isnull=True) | Q(valid_until__gte=F("valid_from")),
                name="unit_name_period_ordered",
            ),
            models.UniqueConstraint(
                fields=["unit", "valid_until"], name="unit_name_one_per_end_date"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class UnitLineage(models.Model):
    """A link between two units created by a reorganisation, with its date."""

    class Kind(models.TextChoices):
        RENAMED = "renamed", _("đổi tên thành")
        MERGED_INTO = "merged_into", _("sáp nhập vào")
        SPLIT_INTO = "split_into", _("chia tách, thành lập")
        FUNCTIONS_TRANSFERRED = "functions_transferred", _("chuyển chức năng, nhiệm vụ sang")

    predecessor = models.ForeignKey(
        Unit,
        verbose_name=_("đơn vị trước"),
        on_delete=models.PROTECT,
        related_name="successor_links",
    )
    successor = models.ForeignKey(
        Unit,
        verbose_name=_("đơn vị sau"),
        on_delete=models.PROTECT,
        related_name="predecessor_links",
    )
    kind = models.CharField(_("hình thức"), max_length=30, choices=Kind)
    effective_date = models.DateField(_("có hiệu lực từ ngày"))
    note = models.TextField(_("ghi chú"), blank=True)

    class Meta:
        verbose_name = _("sắp xếp tổ chức")
        verbose_name_plural = _("sắp xếp tổ chức")
        ordering = ["effective_date", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(predecessor=F("successor")), name="lineage_links_two_units"
            ),
            models.UniqueConstraint(
                fields=["predecessor", "successor", "kind"], name="lineage_link_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.predecessor} → {self.successor}"


class Bloc(models.Model):
    """A khối thi đua (units of similar function) or cụm thi đua (units of one territory)."""

    class Kind(models.TextChoices):
        BLOC = "bloc", _("Khối thi đua")
        CLUSTER = "cluster", _("Cụm thi đua")

    council = models.ForeignKey(
        Council, verbose_name=_("hội đồng"), on_delete=models.PROTECT, related_name="blocs"
    )
    code = models.CharField(_("mã khối"), max_length=20)
    name = models.CharField(_("tên khối"), max_length=200, db_collation=VIETNAMESE)
    kind = models.CharField(_("loại"), max_length=10, choices=Kind, default=Kind.BLOC)
    description = models.TextField(_("mô tả"), blank=True)

    if TYPE_CHECKING:
        years: RelatedManager[BlocYear]

    class Meta:
        verbose_name = _("khối thi đua")
        verbose_name_plural = _("khối thi đua")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["council", "code"], name="bloc_code_unique_in_council"),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("blocs:bloc", args=[self.pk])


class BlocYear(models.Model):
    """One bloc in one year: its members, head and deputy, and where it is in the cycle."""

    class State(models.TextChoices):
        SETUP = "setup", _("Chuẩn bị")
        UNDERWAY = "underway", _("Đang thi đua")
        SCORING = "scoring", _("Đang chấm điểm")
        FINALIZED = "finalized", _("Đã chốt kết quả")
        PROVISIONAL = "provisional", _("Công bố tạm thời")
        PUBLISHED = "published", _("Đã công bố")
        PROPOSED = "proposed", _("Đã đề nghị khen thưởng")
        DECIDED = "decided", _("Đã có quyết định")

    bloc = models.ForeignKey(
        Bloc, verbose_name=_("khối"), on_delete=models.PROTECT, related_name="years"
    )
    year = models.PositiveSmallIntegerField(
        _("năm"), validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    state = models.CharField(_("trạng thái"), max_length=20, choices=State, default=State.SETUP)
    covenant_date = models.DateField(_("ngày ký giao ước"), null=True, blank=True)
    covenant_place = models.CharField(_("nơi ký giao ước"), max_length=200, blank=True)
    conference_date = models.DateField(
        _("ngày hội nghị tổng kết"),
        null=True,
        blank=True,
        help_text=_("Thường vào đầu năm sau."),
    )
    conference_place = models.CharField(_("nơi họp tổng kết"), max_length=200, blank=True)
    # Deadlines of the year's stages, each the last day allowed (inclusive, local time).
    # After it only the secretariat may still enter or submit, and what it does is marked late.
    self_assessment_due = models.DateField(_("hạn đơn vị tự chấm điểm"), null=True, blank=True)
    verification_due = models.DateField(_("hạn thẩm định điểm"), null=True, blank=True)
    proposals_due = models.DateField(_("hạn trình đề nghị khen thưởng"), null=True, blank=True)
    secretaries: models.ManyToManyField[User, Any] = models.ManyToManyField(
        "User",
        verbose_name=_("thư ký khối được phân công thêm"),
        blank=True,
        related_name="assigned_bloc_years",
        help_text=_(
            "Cán bộ của Trưởng khối và Khối phó đã là thư ký khối; chỉ thêm người khác ở đây."
        ),
    )

    if TYPE_CHECKING:
        memberships: RelatedManager[Membership]

    class Meta:
        verbose_name = _("năm thi đua của khối")
        verbose_name_plural = _("năm thi đua của khối")
        ordering = ["bloc__name", "-year"]
        constraints = [
            models.UniqueConstraint(
                fields=["bloc", "year"], name="one_bloc_year_per_bloc_and_year"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.bloc.name} – {self.year}"

    def get_absolute_url(self) -> str:
        return reverse("bloc-year", args=[self.bloc_id, self.year])

    @property
    def last_day(self) -> datetime.date:
        return datetime.date(self.year, 12, 31)

    def membership_with_role(self, role: str) -> Membership | None:
        """Head or deputy, read from the prefetched memberships."""
        for membership in self.memberships.all():
            if membership.role == role:
                return membership
        return None

    @property
    def head(self) -> Membership | None:
        return self.membership_with_role(Membership.Role.HEAD)

    @property
    def deputy(self) -> Membership | None:
        return self.membership_with_role(Membership.Role.DEPUTY)


class Membership(models.Model):
    """A unit's membership of one bloc-year, with its role that year.

    Head and deputy are roles of memberships, so the database itself guarantees that they are
    members and that they differ. ``year`` repeats the bloc-year's year so that a unique
    constraint can keep a unit in at most one bloc of its council per year.
    """

    class Role(models.TextChoices):
        HEAD = "head", _("Trưởng khối")
        DEPUTY = "deputy", _("Khối phó")
        MEMBER = "member", _("Thành viên")

    bloc_year = models.ForeignKey(
        BlocYear,
        verbose_name=_("năm thi đua của khối"),
        on_delete=models.CASCADE,
        related_name="memberships",
    )
    unit = models.ForeignKey(
        Unit, verbose_name=_("đơn vị"), on_delete=models.PROTECT, related_name="memberships"
    )
    role = models.CharField(_("vai trò"), max_length=10, choices=Role, default=Role.MEMBER)
    year = models.PositiveSmallIntegerField(_("năm"), editable=False)
    women_share = models.DecimalField(
        _("tỷ lệ nữ (%)"),
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal(0)), MaxValueValidator(Decimal(100))],
        help_text=_("Dùng khi xét ưu tiên đơn vị có từ 70% nữ trở lên lúc bằng điểm."),
    )

    class Meta:
        verbose_name = _("thành viên khối")
        verbose_name_plural = _("thành viên khối")
        ordering = ["bloc_year", "unit__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["bloc_year", "unit"], name="one_membership_per_unit_and_bloc_year"
            ),
            models.UniqueConstraint(fields=["unit", "year"], name="unit_in_one_bloc_per_year"),
            models.UniqueConstraint(
                fields=["bloc_year"], condition=Q(role="head"), name="one_head_per_bloc_year"
            ),
            models.UniqueConstraint(
                fields=["bloc_year"], condition=Q(role="deputy"), name="one_deputy_per_bloc_year"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.unit} – {self.bloc_year}"

    def save(self, *args: object, **kwargs: object) -> None:
        # The copy of the year must never drift from the bloc-year it belongs to.
        self.year = self.bloc_year.year
        super().save(*args, **kwargs)  # type: ignore[arg-type]

    def clean(self) -> None:
        """Friendly messages for what the constraints would refuse (admin and forms)."""
        bloc_year = getattr(self, "bloc_year", None)
        unit = getattr(self, "unit", None)
        if bloc_year is None or unit is None or bloc_year.bloc_id is None:
            return
        if unit.council_id != bloc_year.bloc.council_id:
            raise ValidationError(
                {"unit": _("Đơn vị này thuộc hội đồng khác, không thể là thành viên của khối.")}
            )
        other = (
            Membership.objects.filter(unit=unit, year=bloc_year.year)
            .exclude(pk=self.pk)
            .exclude(bloc_year_id=bloc_year.pk)
            .select_related("bloc_year__bloc")
            .first()
        )
        if other is not None:
            raise ValidationError(
                {
                    "unit": _("%(unit)s đã là thành viên của %(bloc)s năm %(year)s.")
                    % {"unit": unit, "bloc": other.bloc_year.bloc, "year": other.year}
                }
            )


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
        ]

    def __str__(self) -> str:
        return f"{self.created_at:%d/%m/%Y %H:%M} {self.actor_name}: {self.summary}"
