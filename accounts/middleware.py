"""Nothing but the second step until it is passed (accounts/twofactor.py)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect

from accounts import twofactor

# The pages a person may open between the password and the code: the two steps themselves,
# the way out, the way back from the province's login, the language switch, and what browsers
# and load balancers ask for on their own.
OPEN_DURING_SIGN_IN = frozenset(
    {
        "accounts:verify",
        "accounts:enrol",
        "accounts:sso-start",
        "accounts:sso-callback",
        "login",
        "logout",
        "set-language",
        "healthz",
        "favicon",
    }
)


class TwoFactorMiddleware:
    """A signed-in person with a step pending (the code, or enrolment when the role needs
    two-factor) is sent to that page from every other page, the Django admin included, and
    comes back to the page they asked for. Placed after authentication and messages."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(
        self,
        request: HttpRequest,
        view_func: Callable[..., Any],
        view_args: Any,
        view_kwargs: Any,
    ) -> HttpResponse | None:
        match = request.resolver_match
        if match is not None and match.view_name in OPEN_DURING_SIGN_IN:
            return None
        step = twofactor.pending_step(request)
        if step is None:
            return None
        return redirect(twofactor.step_url(step, request.get_full_path()))
