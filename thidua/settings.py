"""Settings for Thi đua, read from the environment only (see docs/configuration.md).

Local defaults are safe (SQLite under var/, DEBUG off); secrets fail loudly.
"""

from __future__ import annotations

import importlib.util
import os
import sys
from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()

DEBUG = env.bool("DEBUG", default=False)

# A development key is accepted only when DEBUG is on; production must set its own.
DEVELOPMENT_SECRET_KEY = "insecure-development-key-do-not-use-in-production"
# Commands that only read or write the code (never serve, sign or store anything) run without
# one, so that `manage.py makemigrations --check` works on a fresh clone.
CODE_ONLY_COMMANDS = {"makemigrations", "makemessages", "compilemessages"}
SECRET_KEY = env.str("SECRET_KEY", default="")
if not SECRET_KEY or SECRET_KEY == DEVELOPMENT_SECRET_KEY:
    command = sys.argv[1] if len(sys.argv) > 1 else ""
    code_only = Path(sys.argv[0]).name == "manage.py" and command in CODE_ONLY_COMMANDS
    if not DEBUG and not code_only:
        raise ImproperlyConfigured(
            "SECRET_KEY must be set to a long random value when DEBUG is off "
            "(for example: python -c 'import secrets; print(secrets.token_urlsafe(50))')."
        )
    SECRET_KEY = DEVELOPMENT_SECRET_KEY

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    # Django's admin, its index in Vietnamese alphabetical order (thidua/admin.py).
    "thidua.admin.AdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    # django-axes, named in Vietnamese in the admin (thidua/lockout.py).
    "thidua.lockout.AxesConfig",
    # Two-factor sign-in: authenticator apps (TOTP) and recovery codes (accounts/).
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    # The ground floor: helpers, template tags and the backup and restore commands.
    "common",
    "blocs",
    "scoring",
    "awards",
    "reports",
    "notifications",
    # The pages that gather every app (my work, the dashboard, open data, rollover).
    "portal",
    # Signing in: two-factor and the province's single sign-on (after django_otp's apps, whose
    # admin pages it takes away).
    "accounts",
    "demo",
]

MIDDLEWARE = [
    # First: every response, even a redirect to https, carries the request id.
    "common.request_id.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "common.csp.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # Control characters (other than tab and line breaks) out of every field and parameter.
    "common.text.ControlCharacterMiddleware",
    "common.i18n.LanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Between the password and the second step, every page leads to the code (or enrolment)
    # page (accounts/middleware.py).
    "accounts.middleware.TwoFactorMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # A row whose stored file is gone: a page that says so, not a server error.
    "common.files.StoredFileMissingMiddleware",
    # Last, as django-axes asks: it turns a lockout into a response.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "thidua.urls"
WSGI_APPLICATION = "thidua.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "portal.navigation.navigation",
                "notifications.context.notifications",
            ],
            "libraries": {
                "numbers": "common.templatetags.numbers",
                "request_id": "common.request_id",
            },
        },
    },
    # The few lists of hundreds of rows a hot page shows (common/jinja.py): autoescape on.
    {
        "BACKEND": "django.template.backends.jinja2.Jinja2",
        "DIRS": [BASE_DIR / "templates" / "jinja2"],
        "APP_DIRS": False,
        "OPTIONS": {"environment": "common.jinja.environment"},
    },
]

# Database: an SQLite file under var/ unless DATABASE_URL says otherwise.
if "DATABASE_URL" not in os.environ:
    (BASE_DIR / "var").mkdir(exist_ok=True)
DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'var' / 'thidua.sqlite3'}"),
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Django's SQLite backend plus the Vietnamese collation (common/db/sqlite/base.py).
    DATABASES["default"]["ENGINE"] = "common.db.sqlite"
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("CONN_MAX_AGE", default=0))
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "blocs.User"
AUTHENTICATION_BACKENDS = [
    # django-axes first so that a locked-out login never reaches the password check.
    "axes.backends.AxesStandaloneBackend",
    "portal.auth.UnitAwareBackend",
]
# Argon2id first (common/passwords.py); PBKDF2 hashes of older accounts still verify and
# are rewritten at the next login.
PASSWORD_HASHERS = [
    "common.passwords.Argon2idHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
# Django's four validators, with Vietnamese messages (common/passwords.py).
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "common.passwords.UserAttributeSimilarityValidator"},
    {"NAME": "common.passwords.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "common.passwords.CommonPasswordValidator"},
    {"NAME": "common.passwords.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "my-work"
LOGOUT_REDIRECT_URL = "blocs:home"

# Two-factor sign-in (accounts/twofactor.py, docs/security.md): required for council admins,
# leaders and the Django admin's staff, a choice for everyone else. The name authenticator apps
# show; wrong codes make the next try wait 1, 2, 4, 8 … seconds, per device.
OTP_TOTP_ISSUER = env.str("TWO_FACTOR_ISSUER", default="Thi đua")
OTP_TOTP_THROTTLE_FACTOR = 1
OTP_STATIC_THROTTLE_FACTOR = 1
OTP_ADMIN_HIDE_SENSITIVE_DATA = True


# Single sign-on with the province's central login (OpenID Connect, accounts/sso.py,
# docs/configuration.md): on when OIDC_RP_CLIENT_ID is set, and then every endpoint must be.
OIDC_RP_CLIENT_ID = env.str("OIDC_RP_CLIENT_ID", default="")
OIDC_ENABLED = bool(OIDC_RP_CLIENT_ID)
OIDC_RP_CLIENT_SECRET = env.str("OIDC_RP_CLIENT_SECRET", default="")
OIDC_OP_AUTHORIZATION_ENDPOINT = env.str("OIDC_OP_AUTHORIZATION_ENDPOINT", default="")
OIDC_OP_TOKEN_ENDPOINT = env.str("OIDC_OP_TOKEN_ENDPOINT", default="")
OIDC_OP_USER_ENDPOINT = env.str("OIDC_OP_USER_ENDPOINT", default="")
OIDC_OP_JWKS_ENDPOINT = env.str("OIDC_OP_JWKS_ENDPOINT", default="") or None
OIDC_OP_ISSUER = env.str("OIDC_OP_ISSUER", default="")
OIDC_RP_SIGN_ALGO = env.str("OIDC_RP_SIGN_ALGO", default="RS256")
OIDC_RP_SCOPES = env.str("OIDC_RP_SCOPES", default="openid email")
# The claim that names the account here: "email" (matched to the person's e-mail, only when the
# province says it is verified) or another claim, matched to the login name.
OIDC_MATCH_CLAIM = env.str("OIDC_MATCH_CLAIM", default="email")
OIDC_REQUIRE_VERIFIED_EMAIL = env.bool("OIDC_REQUIRE_VERIFIED_EMAIL", default=True)
# ID-token values by which the province says its sign-in used a second factor.
OIDC_MFA_AMR_VALUES = env.list("OIDC_MFA_AMR_VALUES", default=["mfa"])
OIDC_MFA_ACR_VALUES = env.list("OIDC_MFA_ACR_VALUES", default=[])
OIDC_USE_PKCE = env.bool("OIDC_USE_PKCE", default=True)
OIDC_TIMEOUT = env.float("OIDC_TIMEOUT", default=10.0)
if OIDC_ENABLED:
    _needed = {
        "OIDC_RP_CLIENT_SECRET": OIDC_RP_CLIENT_SECRET,
        "OIDC_OP_AUTHORIZATION_ENDPOINT": OIDC_OP_AUTHORIZATION_ENDPOINT,
        "OIDC_OP_TOKEN_ENDPOINT": OIDC_OP_TOKEN_ENDPOINT,
        "OIDC_OP_USER_ENDPOINT": OIDC_OP_USER_ENDPOINT,
    }
    if OIDC_RP_SIGN_ALGO.startswith(("RS", "ES")):
        _needed["OIDC_OP_JWKS_ENDPOINT"] = OIDC_OP_JWKS_ENDPOINT or ""
    _missing = [name for name, value in _needed.items() if not value]
    if _missing:
        raise ImproperlyConfigured(
            f"OIDC_RP_CLIENT_ID is set, so the province's login needs {', '.join(_missing)} "
            "too (docs/configuration.md)."
        )
    AUTHENTICATION_BACKENDS.append("accounts.sso.ProvinceLoginBackend")
# mozilla-django-oidc's own settings: never an account made from the province's answer, our
# callback page, no token kept in the session.
OIDC_CREATE_USER = False
OIDC_AUTHENTICATION_CALLBACK_URL = "accounts:sso-callback"
OIDC_STORE_ACCESS_TOKEN = False
OIDC_STORE_ID_TOKEN = False

# Login throttling. Offices share one NAT address, so lock a username from an address,
# never a whole address (reference/dependency-notes.md).
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = env.float("AXES_COOLOFF_HOURS", default=0.25)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
# A 429 page that says when to try again (common/lockout.py).
AXES_LOCKOUT_CALLABLE = "common.lockout.lockout_response"
# Never keep the CSRF token of a failed login in the attempts table (passwords never are).
AXES_SENSITIVE_PARAMETERS = ["username", "ip_address", "csrfmiddlewaretoken"]
# The client's address through the proxies this site trusts (common/client_ip.py): without
# it every login behind a load balancer would come from the balancer, and five wrong passwords
# from anywhere would lock a person out.
PROXY_COUNT = env.int("PROXY_COUNT", default=0)
AXES_CLIENT_IP_CALLABLE = "common.client_ip.client_ip"
# A refusal on the way back from the province's login is no password guess (accounts/sso.py).
AXES_WHITELIST_CALLABLE = "accounts.sso.not_a_password_attempt"

# Language: Vietnamese first; English only when the person chooses it.
LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", "Tiếng Việt"), ("en", "English")]
# First (so it wins over Django's own catalogues): Vietnamese for the strings of Django itself
# that Django's Vietnamese catalogue leaves in English ("Show counts", "Reset password"), kept by
# hand; inside locale/ so that `make messages` (makemessages) never writes the project's strings
# there (docs/decisions.md).
LOCALE_PATHS = [BASE_DIR / "locale" / "django_vi", BASE_DIR / "locale"]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True
# Off so that years and codes never print as "2.020"; amounts use the ``number`` filter
# (common/templatetags/numbers.py), which groups thousands in the active language.
USE_THOUSAND_SEPARATOR = False
FORMAT_MODULE_PATH = ["thidua.formats"]

# Static files through whitenoise; uploads through the storage API.
STATIC_URL = "/static/"
STATIC_ROOT = Path(env.str("STATIC_ROOT", default=str(BASE_DIR / "var" / "static")))
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env.str("MEDIA_ROOT", default=str(BASE_DIR / "var" / "media")))


def _media_storage() -> dict[str, object]:
    backend = env.str("MEDIA_STORAGE", default="local")
    if backend == "local":
        return {"BACKEND": "django.core.files.storage.FileSystemStorage"}
    if backend == "s3":
        # At start, not at the first upload (docs/deployment.md: `pip install ".[s3]"`).
        missing = [name for name in ("storages", "boto3") if importlib.util.find_spec(name) is None]
        if missing:
            raise ImproperlyConfigured(
                f"MEDIA_STORAGE=s3 needs django-storages and boto3 ({', '.join(missing)} not "
                "installed): install the s3 extra, e.g. pip install --require-hashes "
                "-r requirements/lock.txt (docs/deployment.md)."
            )
        bucket = env.str("S3_BUCKET", default="")
        if not bucket:
            raise ImproperlyConfigured("MEDIA_STORAGE=s3 needs S3_BUCKET, the bucket's name.")
        return {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {
                "bucket_name": bucket,
                "endpoint_url": env.str("S3_ENDPOINT_URL", default=None),
                "region_name": env.str("S3_REGION", default=None),
                "access_key": env.str("S3_ACCESS_KEY_ID", default=None),
                "secret_key": env.str("S3_SECRET_ACCESS_KEY", default=None),
                # No ACL on uploads: objects are private by default on S3 and every compatible
                # store, and a bucket with ACLs disabled (AWS's default since 2023) refuses
                # any ACL but bucket-owner-full-control (AccessControlListNotSupported).
                "default_acl": None,
                "querystring_auth": True,
                "file_overwrite": False,
            },
        }
    raise ImproperlyConfigured(f"MEDIA_STORAGE must be 'local' or 's3', not {backend!r}.")


STORAGES = {
    "default": _media_storage(),
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        ),
    },
}

# Security: strict in production, relaxed only for the local http:// server.
SESSION_COOKIE_SECURE = env.bool("SESSION_COOKIE_SECURE", default=not DEBUG)
CSRF_COOKIE_SECURE = env.bool("CSRF_COOKIE_SECURE", default=not DEBUG)
SESSION_COOKIE_HTTPONLY = True
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=not DEBUG)
# The load balancer's health check comes over plain http from inside the network.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=not DEBUG)
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=False)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
BEHIND_TLS_PROXY = env.bool("BEHIND_TLS_PROXY", default=False)
if BEHIND_TLS_PROXY:
    # Trust the header only behind a proxy that sets it on every request (docs/security.md).
    _proxy_header = env.str("TLS_PROXY_HEADER", default="X-Forwarded-Proto")
    SECURE_PROXY_SSL_HEADER = ("HTTP_" + _proxy_header.upper().replace("-", "_"), "https")
# Content-Security-Policy (common/csp.py): the strict default unless overridden here.
if "CONTENT_SECURITY_POLICY" in os.environ:
    CONTENT_SECURITY_POLICY = env.str("CONTENT_SECURITY_POLICY")
CONTENT_SECURITY_POLICY_REPORT_ONLY = env.bool("CSP_REPORT_ONLY", default=False)
SILENCED_SYSTEM_CHECKS = env.list("SILENCED_SYSTEM_CHECKS", default=[])
if BEHIND_TLS_PROXY and not SECURE_SSL_REDIRECT:
    # The TLS proxy redirects http to https itself.
    SILENCED_SYSTEM_CHECKS.append("security.W008")
if SECURE_HSTS_SECONDS and not SECURE_HSTS_PRELOAD:
    # Preloading is a decision for the province's IT office, not a default.
    SILENCED_SYSTEM_CHECKS.append("security.W021")

EMAIL_BACKEND = env.str(
    "EMAIL_BACKEND",
    default="django.core.mail.backends.console.EmailBackend"
    if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_HOST = env.str("EMAIL_HOST", default="localhost")
EMAIL_PORT = env.int("EMAIL_PORT", default=25)
EMAIL_HOST_USER = env.str("EMAIL_HOST_USER", default="")
EMAIL_HOST_PASSWORD = env.str("EMAIL_HOST_PASSWORD", default="")
EMAIL_USE_TLS = env.bool("EMAIL_USE_TLS", default=False)
EMAIL_USE_SSL = env.bool("EMAIL_USE_SSL", default=False)
if env.str("EMAIL_URL", default=""):
    # One value for the whole server: smtp+tls://user:password@mail.example.gov.vn:587
    # (STARTTLS), smtp+ssl://…:465 (implicit TLS), smtp://host:25, consolemail://.
    _email = env.email_url("EMAIL_URL")
    EMAIL_BACKEND = _email["EMAIL_BACKEND"]
    EMAIL_HOST = _email["EMAIL_HOST"] or EMAIL_HOST
    EMAIL_PORT = _email["EMAIL_PORT"] or EMAIL_PORT
    EMAIL_HOST_USER = _email["EMAIL_HOST_USER"] or ""
    EMAIL_HOST_PASSWORD = _email["EMAIL_HOST_PASSWORD"] or ""
    EMAIL_USE_TLS = bool(_email.get("EMAIL_USE_TLS", False))
    EMAIL_USE_SSL = bool(_email.get("EMAIL_USE_SSL", False))
# Seconds before a silent mail server is given up by the mail worker (never wait forever).
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=10)
# Notification e-mails are queued in the database (notifications/outbox.py). "queue": the
# worker `manage.py deliver_mail` sends them, trying again after a failure; "inline": they go
# out right after the commit, in the process that queued them (development: `make run`).
MAIL_DELIVERY = env.str("MAIL_DELIVERY", default="inline" if DEBUG else "queue")
if MAIL_DELIVERY not in ("queue", "inline"):
    raise ImproperlyConfigured(f"MAIL_DELIVERY must be 'queue' or 'inline', not {MAIL_DELIVERY!r}.")
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="thidua@localhost")
# The address of the site, for the links in e-mails (no trailing slash).
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000").rstrip("/")

# Logs go to standard output: JSON lines in production, text in development
# (common/logging.py); each line names the request it belongs to (X-Request-ID).
LOG_FORMAT = env.str("LOG_FORMAT", default="text" if DEBUG else "json")
if LOG_FORMAT not in ("json", "text"):
    raise ImproperlyConfigured(f"LOG_FORMAT must be 'json' or 'text', not {LOG_FORMAT!r}.")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request": {"()": "common.logging.RequestContextFilter"}},
    "formatters": {
        "json": {"()": "common.logging.JsonFormatter"},
        "text": {"()": "common.logging.TextFormatter"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "stream": "ext://sys.stdout",
            "formatter": LOG_FORMAT,
            "filters": ["request"],
        },
    },
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {
        # Django's own handlers would print a second copy; its records reach the root here.
        "django": {"handlers": [], "level": "INFO", "propagate": True},
        "django.db.backends": {"level": "WARNING"},
        "axes": {"level": "WARNING"},
        # WeasyPrint and fontTools log every step of every PDF at INFO.
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}

# Evidence files (minh chứng): PDF, PNG or JPEG, checked by their first bytes.
EVIDENCE_MAX_BYTES = env.int("EVIDENCE_MAX_MB", default=10) * 1024 * 1024
EVIDENCE_MAX_FILES_PER_LINE = env.int("EVIDENCE_MAX_FILES_PER_LINE", default=10)
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
