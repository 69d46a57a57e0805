"""Django's password views with the project's forms and pages (routed in thidua/urls.py).

* "Quên mật khẩu?" (``password-reset``): the same answer whether or not an account has the
  address; the e-mail's link is built on ``SITE_URL``. Only an active account with a password
  gets one (Django's rule): a new account that never set one asks its admin for a new link.
* The link's page (``password-reset-confirm``) sets the password and does **not** sign the
  person in: they sign in on the login page, through its throttling (and any second step).
* "Đổi mật khẩu" (``password-change``) for a signed-in person, with the current password;
  their other sessions end, this one stays.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.http import HttpResponse, HttpResponseRedirect
from django.urls import reverse, reverse_lazy
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _

from blocs.forms_password import ChangePasswordForm, NewPasswordForm, PasswordResetRequestForm
from blocs.people import mail, throttle
from common.client_ip import client_ip
from common.navigation import Crumb, home_crumb

FORGOTTEN = _("Quên mật khẩu")
TOO_MANY = _(
    "Máy này đã yêu cầu đặt lại mật khẩu quá nhiều lần trong một giờ. Hãy thử lại sau "
    "%(time)s, hoặc nhờ quản trị viên của hội đồng gửi liên kết đặt mật khẩu."
)


class CrumbsMixin:
    """The trail every page shows: home, then this page (after "Quên mật khẩu" for the pages
    that follow it: ``after_reset``)."""

    crumb: Any = FORGOTTEN
    after_reset = False

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context: dict[str, Any] = super().get_context_data(**kwargs)  # type: ignore[misc]
        trail = [home_crumb()]
        if self.after_reset:
            trail.append(Crumb(FORGOTTEN, reverse("password-reset")))
        context["breadcrumbs"] = [*trail, Crumb(self.crumb)]
        return context


class PasswordResetView(CrumbsMixin, auth_views.PasswordResetView):
    form_class = PasswordResetRequestForm
    template_name = "registration/password_reset_form.html"
    email_template_name = "registration/password_reset_email.txt"
    subject_template_name = "registration/password_reset_subject.txt"
    success_url = reverse_lazy("password-reset-sent")

    def form_valid(self, form: Any) -> HttpResponse:
        verdict = throttle.reset_requested(form.cleaned_data["email"], client_ip(self.request))
        if verdict.refused_until is not None:
            until = formats.time_format(timezone.localtime(verdict.refused_until), "H:i")
            form.add_error(None, TOO_MANY % {"time": until})
            return self.render_to_response(self.get_context_data(form=form), status=429)
        if not verdict.send:  # the same answer as when the e-mail goes out
            return HttpResponseRedirect(self.get_success_url())
        # Read when the form is sent (not at import), so that SITE_URL is the one in force.
        self.extra_email_context = {"site_url": settings.SITE_URL, "days": mail.link_days()}
        return super().form_valid(form)


class PasswordResetDoneView(CrumbsMixin, auth_views.PasswordResetDoneView):
    template_name = "registration/password_reset_done.html"
    crumb = _("Kiểm tra hộp thư")
    after_reset = True

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return {**super().get_context_data(**kwargs), "days": mail.link_days()}


class PasswordResetConfirmView(CrumbsMixin, auth_views.PasswordResetConfirmView):
    crumb = _("Đặt mật khẩu mới")
    after_reset = True
    form_class = NewPasswordForm
    template_name = "registration/password_reset_confirm.html"
    success_url = reverse_lazy("password-reset-complete")
    post_reset_login = False


class PasswordResetCompleteView(CrumbsMixin, auth_views.PasswordResetCompleteView):
    template_name = "registration/password_reset_complete.html"
    crumb = _("Đã đặt mật khẩu")
    after_reset = True


class PasswordChangeView(CrumbsMixin, auth_views.PasswordChangeView):
    crumb = _("Đổi mật khẩu")
    form_class = ChangePasswordForm
    template_name = "registration/password_change_form.html"
    success_url = reverse_lazy("password-change-done")


class PasswordChangeDoneView(CrumbsMixin, auth_views.PasswordChangeDoneView):
    template_name = "registration/password_change_done.html"
    crumb = _("Đã đổi mật khẩu")
