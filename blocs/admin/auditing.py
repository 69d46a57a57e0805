"""Every add, change and delete made in the admin writes an entry of the audit trail, with the
old and new values (secrets only as changed)."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.contrib import admin
from django.db import models
from django.db.models import QuerySet
from django.forms import BaseModelForm
from django.http import HttpRequest
from django.utils.translation import gettext

from blocs.audit import audit_record
from blocs.models import BlocYear

# Values never written to the audit trail, only that they changed.
SECRET_FIELDS = frozenset({"password", "password1", "password2"})


def _plain(value: Any) -> Any:
    """A value as the audit trail keeps it (JSON): names of rows, text of dates and numbers."""
    if value is None or isinstance(value, bool | int | str):
        return value
    if isinstance(value, Decimal | datetime.date | datetime.time):
        return str(value)
    if isinstance(value, models.Model):
        return str(value)
    if isinstance(value, QuerySet | list | tuple | set):
        return [_plain(item) for item in value]
    if hasattr(value, "name") and hasattr(value, "url"):  # a file
        return value.name or ""
    return str(value)


def bloc_year_of(obj: models.Model) -> BlocYear | None:
    """The bloc-year a row belongs to, for the audit trail (none for the organisation's rows)."""
    if isinstance(obj, BlocYear):
        return obj
    for path in ("bloc_year", "sheet", "line", "proposal", "ballot"):
        related = getattr(obj, path, None) if hasattr(obj, f"{path}_id") else None
        if related is not None:
            return bloc_year_of(related)
    return None


def admin_audit(
    request: HttpRequest,
    obj: models.Model,
    action: str,
    changes: dict[str, Any] | None = None,
    *,
    keep_bloc_year: bool = True,
) -> None:
    """One entry of the audit trail for a change made in the admin."""
    meta = obj._meta
    summaries = {
        "add": gettext("Trang quản trị: thêm %(model)s “%(object)s”"),
        "change": gettext("Trang quản trị: sửa %(model)s “%(object)s”"),
        "delete": gettext("Trang quản trị: xóa %(model)s “%(object)s”"),
        "password": gettext("Trang quản trị: đặt mật khẩu cho “%(object)s”"),
    }
    audit_record(
        actor=request.user if request.user.is_authenticated else None,
        bloc_year=bloc_year_of(obj) if keep_bloc_year else None,
        context=f"admin:{meta.label_lower}:{obj.pk}",
        action=f"admin.{action}",
        subject=str(obj)[:60],
        summary=summaries[action] % {"model": meta.verbose_name, "object": obj},
        changes=changes or {},
    )


def form_changes(form: BaseModelForm[Any]) -> dict[str, Any]:
    """``{field: [old, new]}`` for the fields the form changed."""
    changes: dict[str, Any] = {}
    for name in form.changed_data:
        if name in SECRET_FIELDS:
            changes[name] = ["***", "***"]
            continue
        field = form.fields.get(name)
        old = form.initial.get(name)
        queryset = getattr(field, "queryset", None)
        manager = queryset.model._default_manager if queryset is not None else None
        if manager is not None and old is not None:
            # A related row is in the initial data by its key: named here by the row itself.
            if isinstance(old, list | tuple):
                old = [
                    item if isinstance(item, models.Model) else manager.filter(pk=item).first()
                    for item in old
                ]
            elif not isinstance(old, models.Model):
                old = manager.filter(pk=old).first()
        changes[name] = [_plain(old), _plain(form.cleaned_data.get(name))]
    return changes


if TYPE_CHECKING:
    # Mixed into ``ModelAdmin``: typed as one, so its ``super()`` calls are checked.
    _ModelAdminBase = admin.ModelAdmin[Any]
else:
    _ModelAdminBase = object


class AuditedAdminMixin(_ModelAdminBase):
    """Every add, change and delete made in the admin writes an entry of the audit trail."""

    def save_model(
        self, request: HttpRequest, obj: Any, form: BaseModelForm[Any], change: bool
    ) -> None:
        super().save_model(request, obj, form, change)
        admin_audit(request, obj, "change" if change else "add", form_changes(form))

    def save_formset(
        self, request: HttpRequest, form: BaseModelForm[Any], formset: Any, change: bool
    ) -> None:
        super().save_formset(request, form, formset, change)
        for obj in formset.new_objects:
            admin_audit(request, obj, "add", {"__parent__": [None, str(form.instance)]})
        for obj, changed in formset.changed_objects:
            by_instance = {sub.instance.pk: sub for sub in formset.forms if sub.instance.pk}
            sub_form = by_instance.get(obj.pk)
            changes = form_changes(sub_form) if sub_form is not None else {}
            admin_audit(request, obj, "change", changes or dict.fromkeys(changed))
        for obj in formset.deleted_objects:
            admin_audit(request, obj, "delete", keep_bloc_year=not isinstance(obj, BlocYear))

    def delete_model(self, request: HttpRequest, obj: models.Model) -> None:
        # Written first: the entry of a deleted bloc-year would go with it, so it keeps none.
        admin_audit(request, obj, "delete", keep_bloc_year=not isinstance(obj, BlocYear))
        super().delete_model(request, obj)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[models.Model]) -> None:
        for obj in queryset:
            admin_audit(request, obj, "delete", keep_bloc_year=not isinstance(obj, BlocYear))
        super().delete_queryset(request, queryset)
