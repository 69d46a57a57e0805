"""The admin's search box, matching as the app's own search does: case and Vietnamese marks
ignored on both databases ("so y te" finds "Sở Y tế", "nguyen" finds "Nguyễn").

Django's admin compares with ``icontains``, which keeps the marks. ``FoldedSearchMixin``
replaces ``get_search_results`` with ``common.search.Terms.exact``: every word typed is in one
of ``search_fields`` (folded by ``lower(unaccent(…))`` on PostgreSQL, ``thidua_fold`` on SQLite).
The trigram "near" matches of the app's search are left out: the admin lists rows in its own
order, where a near match could not be told from an exact one. The project's admin site puts
the mixin under every admin registered with ``search_fields`` (``thidua.admin.AdminSite``), the
tables of Django and django-axes included: one rule for every search box of the admin.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.contrib.admin.utils import get_fields_from_path, lookup_spawns_duplicates
from django.db.models import CharField, F, QuerySet, TextField
from django.db.models.expressions import Combinable
from django.db.models.functions import Cast
from django.http import HttpRequest

from common.search import Terms

# Django's prefixes of a search field (starts with, exact, full text): the folded search
# treats every field as "contains".
_PREFIXES = "^=@"

if TYPE_CHECKING:
    from django.contrib import admin

    _ModelAdminBase = admin.ModelAdmin[Any]
else:
    _ModelAdminBase = object


def _column(model: type[Any], path: str) -> str | Combinable:
    """A search field as text: a text column itself, any other (an IP address, a number) cast."""
    fields = get_fields_from_path(model, path)
    if isinstance(fields[-1], CharField | TextField):
        return path
    return Cast(F(path), output_field=TextField())


class FoldedSearchMixin(_ModelAdminBase):
    """``search_fields`` matched with case and Vietnamese marks ignored (``common.search``)."""

    def get_search_results(
        self, request: HttpRequest, queryset: QuerySet[Any], search_term: str
    ) -> tuple[QuerySet[Any], bool]:
        search_fields = self.get_search_fields(request)
        terms = Terms.parse(search_term.replace('"', " "))
        if not search_fields or not terms:
            return queryset, False
        paths = [str(field).lstrip(_PREFIXES) for field in search_fields]
        columns = [_column(queryset.model, path) for path in paths]
        duplicates = any(lookup_spawns_duplicates(self.opts, path) for path in paths)
        return queryset.filter(terms.exact(*columns)), duplicates
