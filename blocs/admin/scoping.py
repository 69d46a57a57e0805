"""What every admin of the project is made of: rows and choices scoped to the councils a council
admin manages (``COUNCIL_PATHS``, ``CouncilScopedMixin``), workflow fields read-only, rows
only the services write shown and never changed (``ViewOnlyMixin``), and the two bases
``ScopedAdmin`` and ``ScopedInline``; the search box ignores case and Vietnamese marks
(``common.admin_search``)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, TypeVar

from django.contrib import admin
from django.db import models
from django.db.models import Model, QuerySet
from django.db.models.fields.related import ForeignKey, ManyToManyField
from django.db.models.functions import Collate
from django.forms import ModelChoiceField, ModelMultipleChoiceField
from django.http import HttpRequest

from blocs import access
from blocs.admin.auditing import AuditedAdminMixin
from blocs.models import (
    AuditEntry,
    Bloc,
    BlocYear,
    Council,
    Membership,
    Unit,
    UnitLineage,
    UnitName,
    User,
)
from common.admin_search import FoldedSearchMixin
from common.collation import VIETNAMESE

_M = TypeVar("_M", bound=Model)

if TYPE_CHECKING:
    # The mixins below are mixed into Django's admin classes: typed as one, their ``super()``
    # calls are checked (at run time they are plain classes, and the admin class comes last).
    _AdminBase = admin.options.BaseModelAdmin[Any]
else:
    _AdminBase = object


def acting_user(request: HttpRequest) -> User:
    """The person using the admin site: Django lets only signed-in staff in."""
    user = request.user
    assert isinstance(user, User), "the admin site is for signed-in staff"
    return user


# Person names have no collation of their own in the database: the admin sorts them with one.
PERSON_NAME_ORDER = Collate("full_name", VIETNAMESE)

# The path from each model to its council, used to scope rows and choices.
COUNCIL_PATHS: dict[type, str] = {
    Council: "id",
    Unit: "council",
    Bloc: "council",
    BlocYear: "bloc__council",
    Membership: "bloc_year__bloc__council",
    UnitName: "unit__council",
    UnitLineage: "predecessor__council",
    User: "unit__council",
    AuditEntry: "bloc_year__bloc__council",
}


def scope_to_councils(queryset: QuerySet[_M], request: HttpRequest) -> QuerySet[_M]:
    """Rows of the councils this person manages (all rows for a superuser)."""
    if request.user.is_superuser:
        return queryset
    path = COUNCIL_PATHS.get(queryset.model)
    if path is None:
        return queryset.none()
    return queryset.filter(**{f"{path}__in": access.managed_council_ids(request.user)})


def _by_name(queryset: QuerySet[_M]) -> QuerySet[_M]:
    """People in a picker by name, in the Vietnamese alphabet (other rows keep their order:
    the names of units, blocs and councils sort in Vietnamese in the database already)."""
    if queryset.model is User:
        return queryset.order_by(PERSON_NAME_ORDER.asc(), "username")
    return queryset


class CouncilScopedMixin(_AdminBase):
    """A council admin sees and picks only rows of their own councils."""

    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        return scope_to_councils(super().get_queryset(request), request)

    def formfield_for_foreignkey(
        self, db_field: ForeignKey[Any, Any], request: HttpRequest, **kwargs: Any
    ) -> ModelChoiceField[Any] | None:
        related = db_field.related_model
        if isinstance(related, type) and related in COUNCIL_PATHS:
            kwargs["queryset"] = _by_name(
                scope_to_councils(related._default_manager.all(), request)
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(
        self, db_field: ManyToManyField[Any, Any], request: HttpRequest, **kwargs: Any
    ) -> ModelMultipleChoiceField[Any] | None:
        related = db_field.related_model
        if isinstance(related, type) and related in COUNCIL_PATHS:
            kwargs["queryset"] = _by_name(
                scope_to_councils(related._default_manager.all(), request)
            )
        return super().formfield_for_manytomany(db_field, request, **kwargs)


class WorkflowFieldsMixin(_AdminBase):
    """``workflow_fields`` are read-only in every form of this admin: the services change them."""

    workflow_fields: Sequence[str] = ()

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        readonly = list(super().get_readonly_fields(request, obj))
        return readonly + [name for name in self.workflow_fields if name not in readonly]


class ViewOnlyMixin(_AdminBase):
    """Rows only the app's services write (workflow, derived data, history): shown, never
    added, changed or deleted here, by anyone."""

    def has_add_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False

    def get_readonly_fields(self, request: HttpRequest, obj: Model | None = None) -> list[str]:
        readonly = list(super().get_readonly_fields(request, obj))
        names = all_field_names(self.model)
        return readonly + [name for name in names if name not in readonly]


def all_field_names(model: type[models.Model]) -> list[str]:
    """Every field a form of the model could show (non-editable ones included; not the key)."""
    fields = [*model._meta.fields, *model._meta.many_to_many]
    return [field.name for field in fields if not field.auto_created]


class ScopedAdmin(
    AuditedAdminMixin,
    WorkflowFieldsMixin,
    CouncilScopedMixin,
    FoldedSearchMixin,
    admin.ModelAdmin,
):
    """Scoped, audited, workflow fields read-only, searched with marks ignored."""


class ScopedInline(WorkflowFieldsMixin, CouncilScopedMixin, admin.TabularInline):
    pass
