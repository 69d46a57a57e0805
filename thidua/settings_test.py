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

# SQLite tests use a database file, never Django's shared in-memory database: with the latter,
# the live server of the browser tests and the test itself share one sqlite3 connection across
# threads, and a query that calls back into Python (the Vietnamese collation, Django's SQL
# functions) while the other thread holds the interpreter and waits for the connection's mutex
# hangs both for good. One file per test process, in memory-backed /dev/shm where there is one.
if DATABASES["default"]["ENGINE"] == "common.db.sqlite":  # noqa: F405
    import tempfile

    _TEST_DIRECTORY = "/dev/shm" if os.path.isdir("/dev/shm") else tempfile.gettempdir()
    DATABASES["default"]["TEST"] = {  # noqa: F405
        "NAME": os.path.join(_TEST_DIRECTORY, f"thidua-test-{os.getpid()}.sqlite3")
    }
