"""The packaging tests use the real-browser fixtures: Chromium with the extension, the site."""

from tests.browser.conftest import browser, site  # noqa: F401 - fixtures, registered by import
