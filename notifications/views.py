"""The person's notifications: the list (unread first), marking read, and the preferences."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from blocs.http import AuthenticatedHttpRequest
from common.navigation import Crumb, home_crumb
from notifications import selectors, services
from notifications.access import get_notification_for_user
from notifications.forms import PageForm, PreferencesForm, page_number


def _list_url(page: int = 1) -> str:
    url = reverse("notifications:list")
    return f"{url}?page={page}" if page > 1 else url


@login_required
@require_safe
def notification_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    page = selectors.notification_page(request.user, page_number(request.GET.get("page")))
    return render(
        request,
        "notifications/list.html",
        {
            "page": page,
            # The header shows the same number: no second query for it.
            "unread_notifications": page.unread,
            "breadcrumbs": [home_crumb(), Crumb(_("Thông báo"))],
        },
    )


@login_required
@require_POST
def open_notification(request: AuthenticatedHttpRequest, notification_id: int) -> HttpResponse:
    """Mark read and go to what the notification is about."""
    notification = get_notification_for_user(request, notification_id)
    services.notification_mark_read(notification=notification, user=request.user)
    target = notification.url
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(target)
    return redirect("notifications:list")


@login_required
@require_POST
def mark_read(request: AuthenticatedHttpRequest, notification_id: int) -> HttpResponse:
    notification = get_notification_for_user(request, notification_id)
    services.notification_mark_read(notification=notification, user=request.user)
    return redirect(_list_url(PageForm(request.POST).number))


@login_required
@require_POST
def read_all(request: AuthenticatedHttpRequest) -> HttpResponse:
    count = services.notifications_mark_all_read(user=request.user)
    if count:
        messages.success(
            request,
            ngettext(
                "Đã đánh dấu %(count)s thông báo là đã đọc.",
                "Đã đánh dấu %(count)s thông báo là đã đọc.",
                count,
            )
            % {"count": count},
        )
    return redirect("notifications:list")


@login_required
@require_http_methods(["GET", "POST"])
def preferences(request: AuthenticatedHttpRequest) -> HttpResponse:
    preference = services.preference_of(request.user)
    form = PreferencesForm(request.POST if request.method == "POST" else None, instance=preference)
    if request.method == "POST" and form.is_valid():
        services.preferences_set(user=request.user, **form.cleaned_data)
        messages.success(request, _("Đã lưu lựa chọn nhận thông báo."))
        return redirect("notifications:preferences")
    return render(
        request,
        "notifications/preferences.html",
        {
            "form": form,
            "breadcrumbs": [
                home_crumb(),
                Crumb(_("Thông báo"), reverse("notifications:list")),
                Crumb(_("Lựa chọn nhận thông báo")),
            ],
        },
    )
