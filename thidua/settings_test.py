"""Overrides for the test suite only; everything else comes from thidua.settings."""

import os

# Values the base module reads at import; restored afterwards so that subprocesses started by
# tests (manage.py check --deploy) see the real environment.
_TEST_ENVIRONMENT = {
    "SECRET_KEY": "test-only-key-not-secret-0123456789-abcdefghijklmnopqrstuvwxyz",
    "ALLOWED_HOSTS": "testserver,localhost,127.0.0.1",
    "SECURE_SSL_REDIRECT": "false",
}
_saved = {key: os.environ.get(key) for key in _TEST_ENVIRONMENT}
for _key, _value in _TEST_ENVIRONMENT.items():
    os.environ.setdefault(_key, _value)

from thidua.settings import *  # noqa: E402,F403

for _key, _previous in _saved.items():
    if _previous is None:
        os.environ.pop(_key, None)
    else:
        os.environ[_key] = _previous

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
# As in production whatever DEBUG says: requests queue e-mail, tests run the worker.
MAIL_DELIVERY = "queue"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
LOGGING = {"version": 1, "disable_existing_loggers": False}
# No collectstatic in tests: whitenoise serves the files straight from static/.
STATIC_ROOT = None  # type: ignore[assignment]
WHITENOISE_USE_FINDERS = True
