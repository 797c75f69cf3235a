"""The moderator's journey in a real browser, under the site's CSP: queue -> item -> decision -> public log."""

import pytest

from moderation import services
from moderation.models import Action, LogEntry
from tests.browser import csp_problems, open_page
from tests.conftest import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def browser_page(browser):
    return open_page(browser)


def _log_in(page, live_server, username):
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=login]", username)
    page.fill("input[name=password]", PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()


def test_moderator_approves_a_held_post_and_the_log_shows_it(browser_page, live_server, moderator, peer, post_factory):
    page = browser_page
    post = post_factory(author=peer, body="I have spare kits, call 555-0134")
    _log_in(page, live_server, moderator.username)
    page.goto(f"{live_server.url}/mod/")
    assert page.get_by_role("heading", name="Moderation queue").is_visible()
    page.get_by_role("link", name="Review").first.click()
    page.get_by_label("What happens to it").select_option("approve")
    page.get_by_role("button", name="Apply").click()
    page.wait_for_url(f"{live_server.url}/mod/")
    assert "Done." in page.content()
    entry = LogEntry.objects.get()
    assert (entry.action, entry.target_id) == (Action.APPROVE, post.pk)
    page.goto(f"{live_server.url}/mod/dashboard/")
    assert page.locator("svg.mod-chart rect").count() == 30
    page.goto(f"{live_server.url}/mod/log/")
    assert "forum post" in page.content() and "555-0134" not in page.content()
    assert f"#{post.pk}" not in page.content() and peer.username not in page.locator("main").inner_text()
    assert csp_problems(page) == []


def test_member_reports_a_post_with_the_keyboard(browser_page, live_server, peer, other_peer, post_factory):
    page = browser_page
    post = post_factory(author=other_peer, body="Double your dose if the first doesn't hit")
    _log_in(page, live_server, peer.username)
    page.goto(f"{live_server.url}/report/?target=post:{post.pk}")
    page.get_by_label("dangerous advice").check()
    page.get_by_label("Anything a moderator should know").fill("could cause an overdose")
    page.get_by_role("button", name="Send report").click()
    page.wait_for_load_state()
    assert services.MSG_REPORT_THANKS in page.content()
    assert csp_problems(page) == []
