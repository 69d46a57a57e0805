"""How an event is told: the service's transaction captures ids, the notices are written after
the commit, once, in the app's default language; an error there is logged, never raised into
the action."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import translation
from django.utils.formats import date_format

from blocs.models import BlocYear, User


def after_commit(build: Callable[..., None], *args: Any) -> None:
    def build_after_commit() -> None:  # a named function: Django logs robust errors by name
        # Notifications are written once for every reader, in the app's default language.
        with translation.override(settings.LANGUAGE_CODE):
            build(*args)

    # robust: an error here is logged and never reaches the action that caused the event.
    transaction.on_commit(build_after_commit, robust=True)


def pk_of(user: User | None) -> int | None:
    return user.pk if user is not None else None


def short_date(value: Any) -> str:
    return date_format(value, "SHORT_DATE_FORMAT")


def load_bloc_year(bloc_year_id: int) -> BlocYear:
    return BlocYear.objects.select_related("bloc").get(pk=bloc_year_id)
