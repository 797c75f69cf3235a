"""Quick exit in a real browser: the button and Escape twice leave for the neutral page, and Back doesn't return."""

import pytest

from tests.browser import open_page

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def page(live_server, settings, browser):
    settings.QUICK_EXIT_URL = f"{live_server.url}/healthz"
    return open_page(browser)


def test_escape_twice_replaces_the_page(page, live_server):
    page.goto(f"{live_server.url}/accounts/login/")
    page.keyboard.press("Escape")
    page.keyboard.press("Escape")
    page.wait_for_url(f"{live_server.url}/healthz")
    page.go_back()
    assert "/accounts/login/" not in page.url


def test_one_escape_alone_does_nothing(page, live_server):
    page.goto(f"{live_server.url}/accounts/login/")
    page.keyboard.press("Escape")
    page.wait_for_timeout(300)
    assert page.url.endswith("/accounts/login/")


def test_quick_exit_button_leaves_and_back_does_not_return(page, live_server):
    page.goto(f"{live_server.url}/accounts/signup/")
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_role("button", name="Quick exit").click()
    page.wait_for_url(f"{live_server.url}/healthz")
    page.go_back()
    assert page.url.endswith("/accounts/signup/")
