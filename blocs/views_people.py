"""The people pages of a council's admins: the list, a new account, a person's page (details,
unit, role, lock, a new set-password link) and the upload of a list of accounts (preview, then
confirm: all or nothing). docs/accounts.md."""

from __future__ import annotations

import secrets
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from blocs import access
from blocs.forms_people import PeopleFilterForm, PersonForm, UploadConfirmForm, UploadForm
from blocs.http import AuthenticatedHttpRequest
from blocs.models import Council, Unit, User
from blocs.people import mail, selectors, services, upload
from blocs.people.reading import Reading
from blocs.people.template import people_template
from common.exporters import export_response
from common.forms import pressed
from common.navigation import Crumb, home_crumb
from common.paging import page_of

# The list waiting for its confirmation, in the session: one at a time (a new upload replaces
# it), so that a refused confirmation shows it again without uploading anything.
SESSION_KEY = "people-upload"
PEOPLE_PAGE = 50  # people on one page of the list


def _people_url(council: Council) -> str:
    return reverse("blocs:people", args=[council.code])


def _person_url(council: Council, person: User) -> str:
    return reverse("blocs:person", args=[council.code, person.pk])


def _crumbs(council: Council, *tail: Crumb) -> list[Crumb]:
    crumbs = [home_crumb(), Crumb(council.name, council.get_absolute_url())]
    if not tail:
        return [*crumbs, Crumb(_("Người dùng"))]
    return [*crumbs, Crumb(_("Người dùng"), _people_url(council)), *tail]


def _send_links(
    request: AuthenticatedHttpRequest, people: list[User], *, new_accounts: bool
) -> mail.Sent:
    """Send the set-password links, record who got one, and say so."""
    sent = mail.send_set_password_links(people, new_accounts=new_accounts)
    services.password_link_record(people=sent.sent, by=request.user)
    services.password_link_record(people=sent.failed, by=request.user, sent=False)
    if sent.failed:
        messages.warning(
            request,
            ngettext(
                "Chưa gửi được thư đặt mật khẩu cho %(count)s người (%(names)s): máy chủ thư "
                "không nhận. Khi máy chủ thư hoạt động lại, bấm “Gửi liên kết đặt mật khẩu” ở "
                "trang của từng người.",
                "Chưa gửi được thư đặt mật khẩu cho %(count)s người (%(names)s): máy chủ thư "
                "không nhận. Khi máy chủ thư hoạt động lại, bấm “Gửi liên kết đặt mật khẩu” ở "
                "trang của từng người.",
                len(sent.failed),
            )
            % {
                "count": len(sent.failed),
                "names": ", ".join(person.username for person in sent.failed[:10])
                + (", …" if len(sent.failed) > 10 else ""),
            },
        )
    return sent


# ---------------------------------------------------------------------------- the list


@login_required
@require_safe
def people(request: AuthenticatedHttpRequest, code: str) -> HttpResponse:
    council = access.get_council_for_admin(request, code)
    scope = access.people_council_ids(council)
    units = (
        Unit.objects.filter(council__in=list(scope))
        .select_related("council")
        .order_by("name", "pk")
    )
    form = PeopleFilterForm(request.GET or None, units=units)
    listing = selectors.people_list(actor=request.user, council_ids=scope, **form.filters())
    page = page_of(len(listing.rows), request.GET.get("page"), size=PEOPLE_PAGE, keep=form.kept())
    return render(
        request,
        "blocs/people.html",
        {
            "council": council,
            "form": form,
            "listing": listing,
            "page": page,
            "rows": listing.rows[page.start : page.end],
            "filtered": bool(form.filters()),
            "pending_upload": _pending(request, council) is not None,
            "nav_active": "people",
            "breadcrumbs": _crumbs(council),
        },
    )


# ---------------------------------------------------------------------------- one person


@login_required
@require_http_methods(["GET", "POST"])
def person_new(request: AuthenticatedHttpRequest, code: str) -> HttpResponse:
    """A new account (a unit's focal point by default); its set-password link is e-mailed."""
    council = access.get_council_for_admin(request, code)
    scope, day = access.people_council_ids(council), timezone.localdate()
    form = PersonForm(
        request.POST if request.method == "POST" else None, council_ids=scope, day=day
    )
    person = form.save(by=request.user) if request.method == "POST" and form.is_valid() else None
    if person is not None:
        sent = _send_links(request, [person], new_accounts=True)
        if sent.sent:
            messages.success(
                request,
                _("Đã tạo tài khoản “%(username)s” và gửi liên kết đặt mật khẩu đến %(email)s.")
                % {"username": person.username, "email": person.email},
            )
        return redirect(_person_url(council, person))
    return render(
        request,
        "blocs/person_form.html",
        {
            "council": council,
            "form": form,
            "nav_active": "people",
            "breadcrumbs": _crumbs(council, Crumb(_("Thêm người dùng"))),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def person(request: AuthenticatedHttpRequest, code: str, user_id: int) -> HttpResponse:
    """A person's details, unit and role; their lock and set-password link are buttons here
    (separate addresses), and their history."""
    council = access.get_council_for_admin(request, code)
    person = access.get_person_for_admin(request, council, user_id)
    form = PersonForm(
        request.POST if request.method == "POST" else None,
        council_ids=access.people_council_ids(council),
        day=timezone.localdate(),
        person=person,
    )
    if request.method == "POST" and form.is_valid() and form.save(by=request.user):
        messages.success(
            request, _("Đã lưu tài khoản “%(username)s”.") % {"username": person.username}
        )
        return redirect(_person_url(council, person))
    return render(
        request,
        "blocs/person.html",
        {
            "council": council,
            "person": person,
            "form": form,
            "has_password": person.has_usable_password(),
            "is_self": person.pk == request.user.pk,
            "link_days": mail.link_days(),
            "history": selectors.person_history(person),
            "nav_active": "people",
            "breadcrumbs": _crumbs(council, Crumb(person.get_full_name())),
        },
    )


def _active_change(
    request: AuthenticatedHttpRequest, code: str, user_id: int, *, active: bool
) -> HttpResponse:
    council = access.get_council_for_admin(request, code)
    person = access.get_person_for_admin(request, council, user_id)
    try:
        if active:
            services.person_reactivate(person=person, by=request.user)
        else:
            services.person_deactivate(person=person, by=request.user)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(
            request,
            (
                _("Đã mở lại tài khoản “%(username)s”.")
                if active
                else _(
                    "Đã khóa tài khoản “%(username)s”: người này không đăng nhập được nữa; "
                    "những gì họ đã làm vẫn được giữ."
                )
            )
            % {"username": person.username},
        )
    return redirect(_person_url(council, person))


@login_required
@require_POST
def person_deactivate(request: AuthenticatedHttpRequest, code: str, user_id: int) -> HttpResponse:
    return _active_change(request, code, user_id, active=False)


@login_required
@require_POST
def person_reactivate(request: AuthenticatedHttpRequest, code: str, user_id: int) -> HttpResponse:
    return _active_change(request, code, user_id, active=True)


@login_required
@require_POST
def person_password_link(
    request: AuthenticatedHttpRequest, code: str, user_id: int
) -> HttpResponse:
    """E-mail the person a new set-password link (their password stays until they use it)."""
    council = access.get_council_for_admin(request, code)
    person = access.get_person_for_admin(request, council, user_id)
    if not person.is_active:
        messages.error(request, _("Tài khoản đang bị khóa: hãy mở lại trước khi gửi liên kết."))
    elif not person.email:
        messages.error(
            request, _("Tài khoản chưa có địa chỉ thư điện tử: hãy nhập địa chỉ rồi gửi lại.")
        )
    else:
        sent = _send_links(request, [person], new_accounts=not person.has_usable_password())
        if sent.sent:
            messages.success(
                request,
                _("Đã gửi liên kết đặt mật khẩu đến %(email)s.") % {"email": person.email},
            )
    return redirect(_person_url(council, person))


# ---------------------------------------------------------------------------- the upload


def _pending(request: AuthenticatedHttpRequest, council: Council) -> dict[str, Any] | None:
    """The list of this council waiting in the session for its confirmation."""
    data = request.session.get(SESSION_KEY)
    if isinstance(data, dict) and data.get("council") == council.pk:
        return data
    return None


def _keep(request: AuthenticatedHttpRequest, council: Council, reading: Reading) -> None:
    request.session[SESSION_KEY] = {
        "council": council.pk,
        "token": secrets.token_urlsafe(16),
        "reading": reading.as_data(),
    }


@login_required
@require_http_methods(["GET", "POST"])
def people_upload(request: AuthenticatedHttpRequest, code: str) -> HttpResponse:
    """Choose the file; it is read (never stored) and its rows wait in the session for the
    preview's confirmation."""
    council = access.get_council_for_admin(request, code)
    form = UploadForm(
        request.POST if request.method == "POST" else None,
        request.FILES if request.method == "POST" else None,
    )
    if request.method == "POST" and form.is_valid():
        scope = access.people_council_ids(council)
        reading = form.read(council_ids=scope, day=timezone.localdate())
        if reading is not None:
            _keep(request, council, reading)
            return redirect(reverse("blocs:people-upload-preview", args=[council.code]))
    return render(
        request,
        "blocs/people_upload.html",
        {
            "council": council,
            "form": form,
            "problems": form.problems,
            "pending_upload": _pending(request, council) is not None,
            "max_rows": upload.MAX_ROWS,
            "link_days": mail.link_days(),
            "nav_active": "people",
            "breadcrumbs": _crumbs(council, Crumb(_("Tải danh sách lên"))),
        },
    )


def _upload_again(request: AuthenticatedHttpRequest, council: Council) -> HttpResponse:
    """No list waits for this council: back to the upload (saying why after a confirmation)."""
    if request.method == "POST":
        messages.error(
            request,
            _(
                "Danh sách chờ xác nhận không còn (đã tạo, đã hủy hoặc phiên đã hết); hãy "
                "tải tệp lên lại."
            ),
        )
    return redirect(reverse("blocs:people-upload", args=[council.code]))


def _create_all(
    request: AuthenticatedHttpRequest, council: Council, reading: Reading
) -> HttpResponse | str:
    """Every account of the list or none: the people page, or why none was created."""
    try:
        made = services.people_create_many(
            people=[row.new_person() for row in reading.rows],
            council_ids=access.people_council_ids(council),
            by=request.user,
            source=reading.filename,
        )
    except services.RowsRefused as refused:
        reading.refuse(refused.problems)
        _keep(request, council, reading)
        return _(
            "Từ lúc xem trước, có dòng không còn tạo được (xem bảng dưới); chưa có tài "
            "khoản nào được tạo."
        )
    del request.session[SESSION_KEY]
    sent = _send_links(request, made, new_accounts=True)
    messages.success(
        request,
        ngettext(
            "Đã tạo %(count)s tài khoản từ tệp “%(file)s”; đã gửi thư đặt mật khẩu "
            "cho %(sent)s người.",
            "Đã tạo %(count)s tài khoản từ tệp “%(file)s”; đã gửi thư đặt mật khẩu "
            "cho %(sent)s người.",
            len(made),
        )
        % {"count": len(made), "file": reading.filename, "sent": len(sent.sent)},
    )
    return redirect(_people_url(council))


def _confirm(
    request: AuthenticatedHttpRequest,
    council: Council,
    reading: Reading,
    token: str,
) -> HttpResponse | str:
    """The preview's buttons: the page to go to, or why nothing was created."""
    form = UploadConfirmForm(request.POST)
    if not form.is_valid():
        return _("Danh sách đã thay đổi; chưa có tài khoản nào được tạo.")
    if form.cleaned_data["token"] != token:
        return _(
            "Danh sách này đã được thay bằng một tệp tải lên sau (có thể ở thẻ khác); chưa "
            "có tài khoản nào được tạo. Dưới đây là danh sách mới nhất: kiểm tra lại rồi "
            "xác nhận."
        )
    if pressed(request.POST) == "cancel":
        del request.session[SESSION_KEY]
        messages.info(request, _("Đã hủy danh sách; không có tài khoản nào được tạo."))
        return redirect(reverse("blocs:people-upload", args=[council.code]))
    if not reading.can_confirm:
        return _("Danh sách còn dòng bị từ chối: sửa tệp rồi tải lên lại.")
    return _create_all(request, council, reading)


@login_required
@require_http_methods(["GET", "POST"])
def people_upload_preview(request: AuthenticatedHttpRequest, code: str) -> HttpResponse:
    """What the list will create and what it refuses, cell by cell; "Tạo tài khoản" writes
    every account or none, and a refusal shows the list again with the new problems."""
    council = access.get_council_for_admin(request, code)
    pending = _pending(request, council)
    if pending is None:
        return _upload_again(request, council)
    reading = Reading.from_data(pending["reading"])
    refusal = ""
    if request.method == "POST":
        confirmed = _confirm(request, council, reading, pending["token"])
        if isinstance(confirmed, HttpResponse):
            return confirmed
        refusal = confirmed
    pending = _pending(request, council) or pending
    return render(
        request,
        "blocs/people_upload_preview.html",
        {
            "council": council,
            "reading": reading,
            "token": pending["token"],
            "refusal": refusal,
            "link_days": mail.link_days(),
            "nav_active": "people",
            "breadcrumbs": _crumbs(
                council,
                Crumb(_("Tải danh sách lên"), reverse("blocs:people-upload", args=[council.code])),
                Crumb(_("Xem trước")),
            ),
        },
    )


@login_required
@require_safe
def people_upload_template(request: AuthenticatedHttpRequest, code: str) -> HttpResponse:
    """The template of a list, with the council's open units."""
    council = access.get_council_for_admin(request, code)
    return export_response(
        people_template(
            council=council,
            council_ids=access.people_council_ids(council),
            day=timezone.localdate(),
        )
    )
