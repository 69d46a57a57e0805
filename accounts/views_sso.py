"""The two pages of the province's login (accounts/sso.py): the button's post, which sends the
browser to the province, and the page the province sends it back to. Both answer 404 while the
province's login is not configured."""

from __future__ import annotations

from django.contrib import auth, messages
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST
from mozilla_django_oidc.views import (
    OIDCAuthenticationCallbackView,
    OIDCAuthenticationRequestView,
)

from accounts import sso, twofactor


@require_POST
def start(request: HttpRequest) -> HttpResponse:
    """A post (with the CSRF token), not a link: it writes the state and nonce of the round
    trip into the session. ``?next=`` is kept for the way back."""
    if not sso.enabled():
        raise Http404
    view = OIDCAuthenticationRequestView()
    view.setup(request)
    response: HttpResponse = view.get(request)
    return response


REFUSALS = {
    sso.UNKNOWN: gettext_lazy(
        "Tài khoản tỉnh của bạn chưa gắn với tài khoản nào trong Thi đua (không có tài khoản "
        "nào cùng địa chỉ e-mail hoặc tên đăng nhập). Hãy nhờ cán bộ quản trị tạo hoặc sửa "
        "tài khoản của bạn, hoặc đăng nhập bằng mật khẩu."
    ),
    sso.AMBIGUOUS: gettext_lazy(
        "Tài khoản tỉnh của bạn khớp với nhiều tài khoản trong Thi đua. Hãy nhờ cán bộ quản trị "
        "sửa địa chỉ e-mail cho khỏi trùng, hoặc đăng nhập bằng mật khẩu."
    ),
    sso.UNVERIFIED_EMAIL: gettext_lazy(
        "Hệ thống đăng nhập của tỉnh chưa xác nhận địa chỉ e-mail của bạn, nên Thi đua chưa "
        "nhận được. Hãy đăng nhập bằng mật khẩu."
    ),
}


class Callback(OIDCAuthenticationCallbackView):
    """Where the province sends the browser back (a GET, as OpenID Connect requires): the code
    is exchanged, the answer matched to an account, and the person signed in; then the code
    or enrolment page when the app's own second step is still to pass."""

    def get(self, request: HttpRequest) -> HttpResponse:
        if not sso.enabled():
            raise Http404
        response: HttpResponse = super().get(request)
        return response

    def login_success(self) -> HttpResponse:
        # Always a fresh sign-in (a new session key, the second step worked out again).
        auth.login(self.request, self.user)
        destination = self.success_url
        step = twofactor.pending_step(self.request)
        return HttpResponseRedirect(twofactor.step_url(step, destination) if step else destination)

    def login_failure(self) -> HttpResponse:
        reason = getattr(self.request, sso.REFUSAL_ATTRIBUTE, None)
        text = REFUSALS.get(reason) if reason else None
        messages.error(
            self.request,
            text
            or _(
                "Không đăng nhập được bằng tài khoản tỉnh. Hãy thử lại, hoặc đăng nhập bằng "
                "mật khẩu."
            ),
        )
        return redirect("login")


callback = never_cache(Callback.as_view())
