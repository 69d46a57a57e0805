"""Content-Security-Policy and Permissions-Policy on every response (docs/security.md).

Django 5.2 has no CSP of its own. The policy is strict: scripts and styles only from the app's
own static files, so no template may carry an inline ``<script>``, a ``<style>`` block or a
``style="…"`` attribute (tests/security/test_csp.py parses every page to make sure).

A response that already carries a policy keeps it: files people uploaded are served with
``sandbox; default-src 'none'`` by their own views.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse

DEFAULT_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)
# Nothing the app uses; a page that is hijacked cannot reach them either.
DEFAULT_PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=(), payment=(), usb=()"
HEADER = "Content-Security-Policy"
REPORT_ONLY_HEADER = "Content-Security-Policy-Report-Only"


class ContentSecurityPolicyMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.policy: str = getattr(settings, "CONTENT_SECURITY_POLICY", DEFAULT_POLICY)
        self.admin_policy: str = getattr(settings, "CONTENT_SECURITY_POLICY_ADMIN", self.policy)
        self.admin_prefix: str = getattr(settings, "CONTENT_SECURITY_POLICY_ADMIN_PREFIX", "")
        self.header = (
            REPORT_ONLY_HEADER
            if getattr(settings, "CONTENT_SECURITY_POLICY_REPORT_ONLY", False)
            else HEADER
        )
        self.permissions: str = getattr(settings, "PERMISSIONS_POLICY", DEFAULT_PERMISSIONS_POLICY)

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if HEADER not in response and REPORT_ONLY_HEADER not in response and self.policy:
            admin = self.admin_prefix and request.path.startswith(self.admin_prefix)
            response[self.header] = self.admin_policy if admin else self.policy
        if self.permissions and "Permissions-Policy" not in response:
            response["Permissions-Policy"] = self.permissions
        return response
