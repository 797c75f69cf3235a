"""The one browser fixture: without Chromium a browser test skips with its reason, but under CI it fails."""

import pytest

from tests import browser as browsers


def test_without_chromium_a_browser_test_skips_with_its_reason(monkeypatch):
    monkeypatch.setattr(browsers, "chromium_path", lambda: None)
    monkeypatch.delenv("CI", raising=False)
    with pytest.raises(pytest.skip.Exception, match="needs Chromium"):
        browsers.require_chromium()


def test_without_chromium_under_ci_a_browser_test_fails(monkeypatch):
    monkeypatch.setattr(browsers, "chromium_path", lambda: None)
    monkeypatch.setenv("CI", "1")
    with pytest.raises(pytest.fail.Exception, match="CI is set"):
        browsers.require_chromium()
