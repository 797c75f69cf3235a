"""A member's forum journey in a real browser: reply with a content warning, open it, react, quote."""

import pytest
from django.conf import settings
from django.test import Client
from playwright.sync_api import sync_playwright


CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run"]

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _counts(message) -> bool:
    return message.type == "error" and "WebSocket" not in message.text and not message.text.startswith("Failed to load resource")


@pytest.fixture
def signed_in_page(live_server, other_peer, thread):
    """Database work happens before Playwright starts its event loop (Django refuses ORM calls inside one)."""
    client = Client()
    client.force_login(other_peer)
    cookie = {"name": settings.SESSION_COOKIE_NAME, "value": client.cookies[settings.SESSION_COOKIE_NAME].value, "url": live_server.url}
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        context = browser.new_context(viewport={"width": 390, "height": 844})
        context.add_cookies([cookie])
        page = context.new_page()
        page.problems = []
        # The test server speaks HTTP only, so the alert banner's /ws/alerts/ socket fails (console: "WebSocket …" and
        # "Failed to load resource"): not ours to judge here. Missing files are caught by the response listener below.
        page.on("console", lambda message: page.problems.append(message.text) if _counts(message) else None)
        page.on("pageerror", lambda error: page.problems.append(str(error)))
        page.on("response", lambda response: page.problems.append(f"{response.status} {response.url}") if response.status == 404 else None)
        yield page
        browser.close()


@pytest.fixture
def first_post(thread):
    return thread.posts.get()


def test_reply_with_content_warning_react_and_quote(first_post, thread, signed_in_page, live_server):
    page, first = signed_in_page, first_post
    page.goto(f"{live_server.url}{thread.get_absolute_url()}")
    page.get_by_label("Your reply").fill("It was a hard night, but we got through it.")
    page.get_by_label("Content warning").fill("overdose")
    page.get_by_role("button", name="Post reply").click()
    page.wait_for_url("**#p*")
    warning = page.locator("details.content-warning")
    assert warning.locator("summary").inner_text().startswith("Content warning: overdose")
    assert not warning.locator(".prose").is_visible()
    warning.locator("summary").click()
    assert warning.locator(".prose").is_visible()

    page.locator(f"#p{first.id}").get_by_role("button", name="Helpful 0").click()
    page.wait_for_url(f"**#p{first.id}")
    assert page.locator(f"#p{first.id}").get_by_role("button", name="Helpful 1").get_attribute("aria-pressed") == "true"

    page.locator(f"#p{first.id}").get_by_role("link", name="Quote").click()
    assert "> **@river** wrote:" in page.get_by_label("Your reply").input_value()
    assert page.problems == []
