"""The browser fixtures of tests/browser, for the browser tests of this folder."""

from tests.browser.conftest import browser, page  # noqa: F401
