"""Keyboard only, at 390 px (issue 17): sign up, reply in a thread, chat in a live room and ask for help, with Tab,
Enter and typing alone; every stop on the way shows where the focus is; a skip link reaches the message box."""

import re

import pytest

from rooms import services as room_services
from rooms.models import Room
from tests.browser import off_loop, open_page
from tests.conftest import session_key_for

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

FOCUSED = """() => { const el = document.activeElement; const style = getComputedStyle(el);
  return {tag: el.tagName, id: el.id, text: (el.textContent || '').trim().slice(0, 40),
          outline: style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) >= 2}; }"""


def tab_to(page, wanted, limit: int = 40) -> int:
    """Press Tab until `wanted(focused)` holds; each element passed on the way shows its focus. The presses."""
    for presses in range(1, limit + 1):
        page.keyboard.press("Tab")
        focused = page.evaluate(FOCUSED)
        assert focused["outline"], f"no visible focus on {focused}"
        if wanted(focused):
            return presses
    raise AssertionError(f"not reached in {limit} presses; last {focused}")


def test_sign_up_with_the_keyboard(asgi_server, browser):
    from playwright.sync_api import expect

    page = open_page(browser)
    page.goto(asgi_server + "/")
    tab_to(page, lambda f: f["tag"] == "SUMMARY")
    page.keyboard.press("Enter")  # opens the menu
    tab_to(page, lambda f: f["text"] == "Join")
    page.keyboard.press("Enter")
    page.wait_for_url("**/accounts/signup/")
    tab_to(page, lambda f: f["id"] == "id_username")
    page.keyboard.type("kestrel-keys")
    tab_to(page, lambda f: f["id"] == "id_password1")
    page.keyboard.type("a-long-keyboard-password-7")
    tab_to(page, lambda f: f["id"] == "id_password2")
    page.keyboard.type("a-long-keyboard-password-7")
    page.keyboard.press("Enter")
    page.wait_for_load_state()
    expect(page.get_by_text("kestrel-keys").first).to_be_attached()
    assert "/accounts/signup/" not in page.url
    assert page.problems == []


def test_reply_with_the_keyboard(asgi_server, browser, peer, other_peer, thread_factory):
    from playwright.sync_api import expect

    thread = thread_factory(author=other_peer, title="Fentanyl strips", body="Where do you get them?")
    page = open_page(browser, base_url=asgi_server, session_key=session_key_for(peer))
    page.goto(asgi_server + thread.get_absolute_url())
    presses = tab_to(page, lambda f: f["text"] == "Skip to the reply box")
    assert presses <= 2
    page.keyboard.press("Enter")
    assert page.evaluate(FOCUSED)["id"] == "id_body"
    page.keyboard.type("The needle exchange on 5th has them, free.")
    tab_to(page, lambda f: f["text"] == "Post reply")
    page.keyboard.press("Enter")
    page.wait_for_load_state()
    expect(page.locator("main")).to_contain_text("The needle exchange on 5th has them, free.")


def test_chat_with_the_keyboard(asgi_server, browser, peer, organiser):
    from playwright.sync_api import expect

    off_loop(room_services.room_create, slug="evening", title="Evening check-in", host=organiser, status=Room.Status.LIVE)
    page = open_page(browser, base_url=asgi_server, session_key=session_key_for(peer))
    page.goto(asgi_server + "/rooms/evening/")
    expect(page.locator("#chat-online")).to_contain_text("online")
    presses = tab_to(page, lambda f: f["text"] == "Skip to the message box")
    assert presses <= 2  # was 24 presses to the message box
    page.keyboard.press("Enter")
    assert page.evaluate(FOCUSED)["id"] == "chat-input"
    page.keyboard.type("hi all")
    page.keyboard.press("Shift+Enter")
    page.keyboard.type("new here")
    page.keyboard.press("Enter")
    expect(page.locator("#chat-log .chat-msg__body").last).to_contain_text("new here")


def test_get_help_with_the_keyboard(asgi_server, browser, peer):
    page = open_page(browser, base_url=asgi_server, session_key=session_key_for(peer))
    page.goto(asgi_server + "/")
    tab_to(page, lambda f: f["tag"] == "SUMMARY")
    page.keyboard.press("Enter")
    tab_to(page, lambda f: f["text"] == "Get help now")
    page.keyboard.press("Enter")
    page.wait_for_url("**/get-help/")
    tab_to(page, lambda f: f["id"] == "id_happening")
    page.keyboard.type("Coming down hard and alone.")
    tab_to(page, lambda f: f["text"] == "Start a private conversation")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/get-help/\w+/"))  # the private conversation's page
    assert page.problems == []
