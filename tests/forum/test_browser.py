"""A member's forum journey in a real browser: reply with a content warning, open it, react, quote."""

import pytest

from tests.browser import open_page
from tests.conftest import session_key_for

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def signed_in_page(live_server, other_peer, thread, browser):
    """The test server speaks HTTP only, so the alert banner's socket fails: open_page leaves that out of `problems`."""
    return open_page(browser, base_url=live_server.url, session_key=session_key_for(other_peer))


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


def test_the_thread_page_sends_its_reading_position_and_notifications_are_marked_read(first_post, thread, signed_in_page,
                                                                                      live_server, other_peer):
    """A GET writes nothing, so the page itself sends what was shown (static/js/mark-read.js)."""
    from forum.models import ThreadRead
    from peers import services as peer_services

    page = signed_in_page
    with page.expect_response(lambda r: r.url.endswith(f"/t/{thread.id}/read/") and r.status == 204):
        page.goto(f"{live_server.url}{thread.get_absolute_url()}")
    assert ThreadRead.objects.get(peer=other_peer, thread=thread).last_read_post_id == first_post.id

    peer_services.notification_send(recipient=other_peer, kind="reply", text="sage replied", url=thread.get_absolute_url())
    with page.expect_response(lambda r: r.url.endswith("/notifications/read/") and r.status == 204):
        page.goto(f"{live_server.url}/notifications/")
    page.get_by_text("All marked as read.").wait_for()
    assert not other_peer.notifications.filter(read_at__isnull=True).exists()
    assert page.problems == []
