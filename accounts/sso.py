"""Single sign-on with the province's central login (OpenID Connect), through
mozilla-django-oidc. Off unless the ``OIDC_*`` variables are set (docs/configuration.md).

The province's login only says who the person is; it never makes an account here. Its answer
is matched to an existing, active account: by e-mail address (the default, and only when the
province says the address is verified) or, with ``OIDC_MATCH_CLAIM`` set to another claim, by
that claim's value equal to the login name here. No match, or two, and the sign-in is refused
with a page that says so. The ID token must be meant for this site (``aud``) and, when
``OIDC_OP_ISSUER`` is set, come from that issuer.

Two-factor sign-in: the province's sign-in counts as both steps only when its ID token says
a second factor was used — an ``amr`` value in ``OIDC_MFA_AMR_VALUES`` (default ``mfa``) or an
``acr`` value in ``OIDC_MFA_ACR_VALUES``. Otherwise the app's own code page (or enrolment)
follows, as after a password.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import SuspiciousOperation
from django.db.models import QuerySet
from django.http import HttpRequest
from mozilla_django_oidc.auth import OIDCAuthenticationBackend

from blocs.models import User
from portal.auth import UnitAwareBackend

CALLBACK = "accounts:sso-callback"

# Why a sign-in was refused, kept on the request for the page that says so (views_sso.py).
REFUSAL_ATTRIBUTE = "province_login_refusal"
UNKNOWN = "unknown"
AMBIGUOUS = "ambiguous"
NO_CLAIM = "no-claim"
UNVERIFIED_EMAIL = "unverified-email"
WRONG_AUDIENCE = "wrong-audience"


def enabled() -> bool:
    return bool(getattr(settings, "OIDC_ENABLED", False))


def not_a_password_attempt(request: HttpRequest, credentials: dict[str, Any] | None) -> bool:
    """django-axes' whitelist (``AXES_WHITELIST_CALLABLE``): a refusal on the way back from
    the province is not a password guessed here — the province checked the password — and has
    no login name. Counted, five of them would lock the province's login for a whole office
    (offices share an address) for the cool-off time."""
    match = getattr(request, "resolver_match", None)
    return match is not None and match.view_name == CALLBACK


def second_factor_claimed(id_token: dict[str, Any]) -> bool:
    """The province's ID token says its sign-in used a second factor (RFC 8176 ``amr``
    values such as ``mfa``, or an ``acr`` level the province documents as such)."""
    amr = id_token.get("amr") or []
    if isinstance(amr, str):
        amr = [amr]
    trusted_amr = set(getattr(settings, "OIDC_MFA_AMR_VALUES", []))
    trusted_acr = set(getattr(settings, "OIDC_MFA_ACR_VALUES", []))
    acr = id_token.get("acr")
    return bool(trusted_amr & {str(value) for value in amr}) or (
        isinstance(acr, str) and acr in trusted_acr
    )


class ProvinceLoginBackend(OIDCAuthenticationBackend):
    """Authenticates only on the callback page; maps the province's answer to one account."""

    def authenticate(self, request: HttpRequest | None, **kwargs: Any) -> User | None:
        match = getattr(request, "resolver_match", None)
        if not enabled() or match is None or match.view_name != CALLBACK:
            return None
        user: User | None = super().authenticate(request, **kwargs)
        return user

    def get_user(self, user_id: Any) -> User | None:
        # Loaded with the unit, the council and the unread count, as after a password.
        return UnitAwareBackend().get_user(user_id)

    def _refuse(self, reason: str) -> None:
        request = getattr(self, "request", None)
        if request is not None:
            setattr(request, REFUSAL_ATTRIBUTE, reason)

    @staticmethod
    def match_claim() -> str:
        return str(getattr(settings, "OIDC_MATCH_CLAIM", "email"))

    def verify_claims(self, claims: dict[str, Any]) -> bool:
        value = claims.get(self.match_claim())
        if not isinstance(value, str) or not value.strip():
            self._refuse(NO_CLAIM)
            return False
        if (
            self.match_claim() == "email"
            and getattr(settings, "OIDC_REQUIRE_VERIFIED_EMAIL", True)
            and claims.get("email_verified") is not True
        ):
            self._refuse(UNVERIFIED_EMAIL)
            return False
        return True

    def filter_users_by_claims(self, claims: dict[str, Any]) -> QuerySet[User]:
        value = str(claims.get(self.match_claim(), "")).strip()
        people = User.objects.filter(is_active=True)
        if self.match_claim() == "email":
            found = people.filter(email__iexact=value)
        else:
            found = people.filter(username=value)
        found = found[:2]
        count = len(found)
        if count == 0:
            self._refuse(UNKNOWN)
        elif count > 1:
            self._refuse(AMBIGUOUS)
        return found

    def create_user(self, claims: dict[str, Any]) -> User:
        # OIDC_CREATE_USER is off; this is the second lock on that door.
        raise SuspiciousOperation("The province's login never creates an account here.")

    def get_or_create_user(
        self, access_token: str, id_token: str, payload: dict[str, Any]
    ) -> User | None:
        audience = payload.get("aud")
        audiences = audience if isinstance(audience, list) else [audience]
        issuer = getattr(settings, "OIDC_OP_ISSUER", "")
        if self.OIDC_RP_CLIENT_ID not in audiences or (issuer and payload.get("iss") != issuer):
            self._refuse(WRONG_AUDIENCE)
            raise SuspiciousOperation("The ID token is not meant for this site.")
        user: User | None = super().get_or_create_user(access_token, id_token, payload)
        if user is not None:
            # Read by accounts.twofactor.on_login when the callback signs the person in.
            user.second_factor_done = second_factor_claimed(payload)  # type: ignore[attr-defined]
        return user
