"""Phones first (issue 17), in a real browser at 390 px: the header is one row with a menu that opens without
JavaScript; each drug alert is one line and stays hidden on this device once dismissed, until it is raised to
another level; a live room's message box is on screen without scrolling; Quick exit lies over no text."""

import pytest
from django.core.cache import cache

from rooms import services as room_services
from rooms.models import Room
from safety import services as safety_services
from safety.models import DrugAlert
from safety.selectors import BANNER_CACHE_KEY_NAME
from tests.browser import DESKTOP, PHONE, off_loop, open_page
from tests.conftest import session_key_for

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SMALL = {"width": 360, "height": 740}


def _alert(by, substance, severity="warning"):
    return off_loop(safety_services.alert_create,author=by, substance=substance, severity=severity, source="drug_checking",
                                        region="Eastside", summary=f"{substance} tested positive for nitazenes; "
                                        "go slow, use with someone, keep naloxone near and test every batch.")


def _boxes(page, selector):
    return page.eval_on_selector_all(selector, "els => els.map(e => { const r = e.getBoundingClientRect(); "
                                               "return {top: r.top, bottom: r.bottom, left: r.left, right: r.right, h: r.height}; })")


@pytest.mark.parametrize("viewport", [SMALL, PHONE], ids=["360", "390"])
def test_header_is_one_row_and_the_menu_opens_without_javascript(asgi_server, browser, peer, viewport):
    page = open_page(browser, viewport=viewport, java_script_enabled=False, base_url=asgi_server,
                     session_key=session_key_for(peer))
    page.goto(asgi_server + "/")
    header = _boxes(page, ".site-header")[0]
    assert header["h"] < 70, header  # one row, not four
    items = _boxes(page, ".site-name, .overdose-link, .quick-exit, .site-menu__button")
    assert len(items) == 4 and max(i["top"] for i in items) < min(i["bottom"] for i in items), items  # side by side
    assert max(i["right"] for i in items) <= viewport["width"]
    assert not page.get_by_role("link", name="Live rooms").is_visible()
    page.get_by_text("Menu", exact=True).click()
    assert page.get_by_role("link", name="Live rooms").is_visible()
    assert page.get_by_role("button", name="Log out").is_visible()


def test_wide_screen_shows_the_menu_without_its_button(asgi_server, browser):
    page = open_page(browser, viewport=DESKTOP)
    page.goto(asgi_server + "/")
    assert page.get_by_role("link", name="Live rooms").is_visible()
    assert not page.locator(".site-menu__button").is_visible()


def test_alerts_are_one_line_each_and_stay_dismissed_until_raised(asgi_server, browser, moderator):
    from playwright.sync_api import expect

    first = _alert(moderator, "Pressed pills", "warning")
    _alert(moderator, "Blue powder", "danger")
    page = open_page(browser)
    page.goto(asgi_server + "/")
    items = page.locator(".alert-banner__item")
    expect(items).to_have_count(2)
    for box in _boxes(page, ".alert-banner__text"):
        assert box["h"] < 40, box  # one line each, the rest cut with an ellipsis
    assert _boxes(page, "main")[0]["top"] < 250

    page.get_by_role("button", name="Hide the Pressed pills alert on this device").click()
    expect(items).to_have_count(1)
    page.reload()
    expect(page.locator(".alert-banner__item")).to_have_count(1)
    expect(page.locator(".alert-banner__item")).to_contain_text("Blue powder")

    DrugAlert.objects.filter(pk=first.pk).update(severity="danger")  # raised: it shows again
    cache.delete(BANNER_CACHE_KEY_NAME)
    page.reload()
    expect(page.locator(".alert-banner__item")).to_have_count(2)
    assert page.problems == []


def test_room_composer_is_on_screen_without_scrolling(asgi_server, browser, organiser, peer, moderator):
    from playwright.sync_api import expect

    _alert(moderator, "Pressed pills", "warning")
    room_services.room_create(slug="evening", title="Evening check-in", host=organiser, status=Room.Status.LIVE,
                              topic="How is everyone doing tonight?")
    page = open_page(browser, base_url=asgi_server, session_key=session_key_for(peer))
    page.goto(asgi_server + "/rooms/evening/")
    expect(page.locator("#chat-online")).to_contain_text("online")
    composer = page.locator("#chat-input")
    expect(composer).to_be_in_viewport(ratio=1)
    expect(page.get_by_role("button", name="Send")).to_be_in_viewport(ratio=1)
    assert page.evaluate("window.scrollY") == 0
    page.screenshot(path="screenshots/room-390.png")
    log = _boxes(page, "#chat-scroller")[0]
    assert log["h"] > 250, log  # the chat takes the room the screen has
    assert page.locator("[role=log]").count() == 1
    # Full height: the page itself does not scroll, and the message box sits at the bottom of the screen.
    assert page.evaluate("document.documentElement.scrollHeight <= window.innerHeight + 1")
    assert _boxes(page, "#chat-form")[0]["bottom"] > PHONE["height"] - 80

    page.fill("#chat-input", "first line")
    page.keyboard.press("Shift+Enter")
    page.keyboard.type("second line")
    page.keyboard.press("Enter")
    body = page.locator("#chat-log .chat-msg__body").last
    expect(body).to_contain_text("second line")
    assert body.inner_text().strip().splitlines() == ["first line", "second line"]


@pytest.mark.parametrize("path", ["/help/overdose/", "/accounts/signup/", "/about/"])
def test_quick_exit_lies_over_no_text(asgi_server, browser, path):
    page = open_page(browser)
    page.goto(asgi_server + path)
    # Quick exit sits in the header, which stays at the top of the screen (the page scrolls beneath it,
    # never under a floating button).
    assert page.evaluate("getComputedStyle(document.querySelector('.site-header')).position") == "sticky"
    assert page.locator(".site-header #quick-exit").count() == 1
    for y in (0,):
        overlaps = page.evaluate("""() => {
            const exit = document.getElementById('quick-exit').getBoundingClientRect();
            const hits = [];
            for (const el of document.querySelectorAll('main *, footer *')) {
                if (!el.childNodes.length || ![...el.childNodes].some(n => n.nodeType === 3 && n.textContent.trim())) continue;
                const r = el.getBoundingClientRect();
                if (r.bottom > exit.top && r.top < exit.bottom && r.right > exit.left && r.left < exit.right) hits.push(el.textContent.slice(0, 40));
            }
            return hits;
        }""")
        assert overlaps == [], (y, overlaps)
