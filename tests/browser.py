"""Headless Chromium for the browser tests: where it lives, how it starts, and a page with its problems noted.

Tests ask for the `browser` fixture (tests/conftest.py) and open pages with `open_page`. Without Chromium a
browser test skips with its reason; under CI (the `CI` variable set) it fails instead, so a CI machine that
lost its browser cannot pass quietly.
"""

import os
import shutil
from pathlib import Path

import pytest

ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run"]
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}
NEEDS_CHROMIUM = "needs Chromium (Debian's `chromium` package, installed by .ci/run)"


def chromium_path() -> str | None:
    found = shutil.which("chromium")
    if found:
        return found
    return "/usr/bin/chromium" if Path("/usr/bin/chromium").exists() else None


def require_program(path: str | None, needs: str) -> str:
    """`path` of a program a test needs; without it the test skips with `needs`, or fails under CI."""
    if path is None:
        if os.environ.get("CI"):
            pytest.fail(f"{needs}: CI is set, so a missing program is a failure")
        pytest.skip(needs)
    return path


def require_chromium() -> str:
    """The Chromium executable; skips the test without one, or fails it under CI."""
    return require_program(chromium_path(), NEEDS_CHROMIUM)


def _is_problem(message) -> bool:
    # A live-server test without WebSocket support makes the alert banner's socket fail; that is not the page's fault.
    return message.type == "error" and "WebSocket" not in message.text and not message.text.startswith("Failed to load resource")


def open_page(browser, *, viewport: dict | None = None, base_url: str | None = None, session_key: str | None = None,
              **context_options):
    """A new context and page. `page.problems` collects console errors, uncaught exceptions and 404s."""
    from django.conf import settings

    context = browser.new_context(viewport=viewport or PHONE, **context_options)
    if session_key:
        context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": session_key, "url": base_url}])
    page = context.new_page()
    page.set_default_timeout(10_000)
    page.problems = []
    page.on("console", lambda message: page.problems.append(message.text) if _is_problem(message) else None)
    page.on("pageerror", lambda error: page.problems.append(str(error)))
    page.on("response", lambda response: page.problems.append(f"{response.status} {response.url}") if response.status == 404 else None)
    return page


def csp_problems(page) -> list[str]:
    return [text for text in page.problems if "Content Security Policy" in text or "Refused" in text]


def off_loop(function, *args, **kwargs):
    """Run `function` in a worker thread: Playwright's sync API keeps an event loop in the test's thread, where
    asgiref refuses async_to_sync (a service that sends a real-time event after commit needs it)."""
    from concurrent.futures import ThreadPoolExecutor

    from django.db import connection

    def run():
        try:
            return function(*args, **kwargs)
        finally:
            connection.close()  # the worker's own connection, or the test database could not be dropped

    with ThreadPoolExecutor(1) as pool:
        return pool.submit(run).result()
