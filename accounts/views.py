"""Signing in: the login page, the code page, the enrolment page, and the account's security
page (recovery codes renewed, two-factor turned off where the role allows)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render, resolve_url
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from accounts import access, services, sso, twofactor
from accounts.forms import CodeForm, EnrolForm
from blocs.http import AuthenticatedHttpRequest
from common.navigation import Crumb, home_crumb


def next_url(request: HttpRequest) -> str:
    """Where to go once signed in: ``?next=`` when it is a page of this site, else "my work"."""
    candidate = request.GET.get("next", "")
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return resolve_url(settings.LOGIN_REDIRECT_URL)


class LoginView(auth_views.LoginView):
    """Django's login page, with the province's login beside it when configured; after the
    password, straight to the code or enrolment page when the person has one to pass."""

    redirect_authenticated_user = True

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["province_login"] = sso.enabled()
        context["province_login_by_email"] = sso.ProvinceLoginBackend.match_claim() == "email"
        return context

    def get_success_url(self) -> str:
        url = super().get_success_url()
        step = twofactor.pending_step(self.request)
        return twofactor.step_url(step, url) if step else url


def _wrong_code(check: services.CodeCheck) -> str:
    if check.wait_seconds:
        return _(
            "Đã nhập sai nhiều lần liên tiếp. Hãy đợi %(seconds)s giây rồi nhập mã đang hiện."
        ) % {"seconds": check.wait_seconds}
    return _("Mã không đúng hoặc đã hết hạn. Nhập mã đang hiện trong ứng dụng.")


def _recovery_code_used(request: HttpRequest, left: int) -> None:
    if left:
        messages.warning(
            request,
            _(
                "Bạn vừa dùng một mã dự phòng; còn %(left)s mã. Nếu mất điện thoại, hãy báo "
                "cán bộ quản trị để đặt lại xác thực hai bước."
            )
            % {"left": left},
        )
    else:
        messages.warning(
            request,
            _(
                "Bạn vừa dùng mã dự phòng cuối cùng. Hãy tạo mã dự phòng mới trong "
                "“Bảo mật tài khoản”."
            ),
        )


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def verify(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The code page: the second step of signing in, for a person with an authenticator."""
    destination = next_url(request)
    person = request.user
    step = twofactor.pending_step(request)
    if step == twofactor.CODE and not twofactor.has_authenticator(person):
        # Reset by an admin meanwhile: enrolment (or nothing) instead.
        request.session[twofactor.SESSION_KEY] = twofactor.state_at_sign_in(person)
        step = twofactor.pending_step(request)
    if step != twofactor.CODE:
        return redirect(twofactor.step_url(step, destination) if step else destination)
    form = CodeForm(request.POST if request.method == "POST" else None)
    # The one thing to do on this page: the cursor waits in the field.
    form.fields["code"].widget.attrs["autofocus"] = True
    if form.is_valid():
        check = services.code_check(person=person, code=form.cleaned_data["code"])
        if check.accepted:
            twofactor.mark_verified(request, check.device)
            if check.recovery_codes_left is not None:
                _recovery_code_used(request, check.recovery_codes_left)
            return redirect(destination)
        form.add_error("code", _wrong_code(check))
    return render(request, "accounts/verify.html", {"form": form, "next": destination})


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def enrol(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Turning two-factor on: the key (QR code and text), the first code, then the recovery
    codes, shown once in the answer to that post."""
    destination = next_url(request)
    person = request.user
    step = twofactor.pending_step(request)
    if step == twofactor.CODE:
        return redirect(twofactor.step_url(step, destination))
    if twofactor.has_authenticator(person):
        messages.info(request, _("Xác thực hai bước đã bật cho tài khoản này."))
        return redirect("accounts:security")
    key: str | None = None
    form = EnrolForm(request.POST if request.method == "POST" else None, person=person)
    if request.method == "POST":
        if form.is_valid() and form.cleaned_data.get("step") is not None:
            device, codes = services.two_factor_enrol(
                person=person, key=form.cleaned_data["key"], step=form.cleaned_data["step"]
            )
            twofactor.mark_verified(request, device)
            messages.success(request, _("Đã bật xác thực hai bước."))
            return _recovery_codes_page(request, codes, destination, enrolled=True)
        # The key scanned already stays, unless it is the key that failed (too old).
        key = form.cleaned_data.get("key")
    key = key or twofactor.new_key()
    return render(
        request,
        "accounts/enrol.html",
        {
            "form": form,
            "signed_key": twofactor.sign_key(key, person),
            "key_text": twofactor.key_for_typing(key),
            "qr_code": twofactor.qr_code_data_uri(twofactor.otpauth_url(key, person)),
            "required": access.requires_two_factor(person),
            "pending": step == twofactor.ENROL,
            "next": destination,
        },
    )


def _recovery_codes_page(
    request: HttpRequest, codes: list[str], destination: str, *, enrolled: bool
) -> HttpResponse:
    return render(
        request,
        "accounts/recovery_codes.html",
        {
            "codes": [twofactor.display_code(code) for code in codes],
            "enrolled": enrolled,
            "next": destination,
        },
    )


def _security_page(
    request: AuthenticatedHttpRequest,
    renew_form: CodeForm | None = None,
    off_form: CodeForm | None = None,
    status: int = 200,
) -> HttpResponse:
    person = request.user
    device = twofactor.authenticator(person)
    return render(
        request,
        "accounts/security.html",
        {
            "device": device,
            "codes_left": twofactor.recovery_codes_left(person) if device else 0,
            "required": access.requires_two_factor(person),
            "can_turn_off": access.can_turn_off_two_factor(person),
            "renew_form": renew_form or CodeForm(prefix="renew"),
            "off_form": off_form or CodeForm(prefix="off"),
            "breadcrumbs": [home_crumb(), Crumb(_("Bảo mật tài khoản"))],
        },
        status=status,
    )


@login_required
@require_safe
def security(request: AuthenticatedHttpRequest) -> HttpResponse:
    return _security_page(request)


@never_cache
@login_required
@require_POST
def recovery_codes(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Ten new recovery codes, after a code from the app (or a recovery code); the old ones
    stop working."""
    person = request.user
    if not twofactor.has_authenticator(person):
        return redirect("accounts:security")
    form = CodeForm(request.POST, prefix="renew")
    if form.is_valid():
        check = services.code_check(person=person, code=form.cleaned_data["code"])
        if check.accepted:
            codes = services.recovery_codes_renew(person=person)
            return _recovery_codes_page(
                request, codes, reverse("accounts:security"), enrolled=False
            )
        form.add_error("code", _wrong_code(check))
    return _security_page(request, renew_form=form, status=400)


@login_required
@require_POST
def turn_off(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Two-factor off, for a person whose role does not need it, after a code."""
    person = request.user
    if not access.can_turn_off_two_factor(person):
        raise PermissionDenied
    if not twofactor.has_authenticator(person):
        return redirect("accounts:security")
    form = CodeForm(request.POST, prefix="off")
    if form.is_valid():
        check = services.code_check(person=person, code=form.cleaned_data["code"])
        if check.accepted:
            services.two_factor_remove(person=person, by=person)
            request.session[twofactor.SESSION_KEY] = twofactor.OPEN
            messages.success(request, _("Đã tắt xác thực hai bước."))
            return redirect("accounts:security")
        form.add_error("code", _wrong_code(check))
    return _security_page(request, off_form=form, status=400)
