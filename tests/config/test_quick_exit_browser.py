"""Quick exit in a real browser: the link and Escape twice leave for the neutral page at once; Back does not
return to the page that was left, nor to a page of this site opened before it (it leaves again); coming back
on purpose works as usual; without JavaScript the link still leaves."""

import pytest

from tests.browser import open_page

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def exit_url(live_server, settings):
    settings.QUICK_EXIT_URL = f"{live_server.url}/healthz"
    return settings.QUICK_EXIT_URL


@pytest.fixture
def page(exit_url, browser):
    return open_page(browser)


def test_escape_twice_replaces_the_page(page, live_server, exit_url):
    page.goto(f"{live_server.url}/accounts/login/")
    page.keyboard.press("Escape")
    page.keyboard.press("Escape")
    page.wait_for_url(exit_url)
    page.go_back()  # the exit page took the login page's place: Back goes to what came before the site
    page.wait_for_timeout(200)
    assert "/accounts/login/" not in page.url


def test_one_escape_alone_does_nothing(page, live_server):
    page.goto(f"{live_server.url}/accounts/login/")
    page.keyboard.press("Escape")
    page.wait_for_timeout(300)
    assert page.url.endswith("/accounts/login/")


def test_quick_exit_leaves_and_back_never_shows_the_site_again(page, live_server, exit_url):
    page.goto(f"{live_server.url}/shared-device/")
    page.goto(f"{live_server.url}/accounts/signup/")
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_role("link", name="Quick exit").click()
    page.wait_for_url(exit_url)
    for _ in range(3):  # each earlier page of the site leaves again as soon as Back reaches it
        page.go_back()
        page.wait_for_timeout(200)
        assert page.url in (exit_url, "about:blank"), page.url
    assert page.problems == []


def test_coming_back_on_purpose_works_as_usual(page, live_server, exit_url):
    page.goto(f"{live_server.url}/accounts/signup/")
    page.get_by_role("link", name="Quick exit").click()
    page.wait_for_url(exit_url)
    page.goto(f"{live_server.url}/about/")  # typed in again: the site opens, and the mark is cleared
    assert page.url.endswith("/about/") and page.get_by_role("heading", level=1).is_visible()
    page.goto(f"{live_server.url}/accounts/login/")
    page.go_back()
    page.wait_for_url(f"{live_server.url}/about/")


def test_without_javascript_the_link_still_leaves(browser, live_server, exit_url):
    page = open_page(browser, java_script_enabled=False)
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_role("link", name="Quick exit").click()
    page.wait_for_url(exit_url)
