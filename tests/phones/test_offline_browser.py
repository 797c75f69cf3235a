"""Overdose help with no connection (issue 17): after one visit the overdose page and the Good Samaritan note open
offline, from a copy that holds nothing personal; nothing else is kept; the app can be installed (manifest, icons)."""

import json

import pytest

from tests.browser import open_page
from tests.conftest import session_key_for

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _visit_and_wait_for_the_worker(page, url):
    page.goto(url)
    page.evaluate("() => navigator.serviceWorker.ready.then(() => true)")
    # The install step has stored the copies when the worker is active.
    page.wait_for_function("async () => (await caches.keys()).some(k => k.startsWith('overdose-help-')) && "
                           "(await (await caches.open((await caches.keys()).find(k => k.startsWith('overdose-help-')))).keys()).length > 5")


@pytest.mark.parametrize("signed_in", [False, True], ids=["visitor", "member"])
def test_overdose_help_opens_offline_after_one_visit(asgi_server, browser, peer, signed_in):
    from playwright.sync_api import expect

    page = open_page(browser, base_url=asgi_server, session_key=session_key_for(peer) if signed_in else None)
    _visit_and_wait_for_the_worker(page, asgi_server + "/help/overdose/")
    page.context.set_offline(True)
    page.goto(asgi_server + "/help/overdose/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Overdose: what to do")
    expect(page.locator(".overdose-steps")).to_contain_text("Give naloxone")
    assert page.evaluate("getComputedStyle(document.querySelector('.site-header')).position") == "sticky"  # its CSS too
    assert peer.username not in page.content()  # the kept copy is the visitor's page
    page.get_by_role("link", name="Read about Good Samaritan and legal protection").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Good Samaritan")

    kept = page.evaluate("async () => { const c = await caches.open((await caches.keys())[0]); "
                         "return (await c.keys()).map(r => new URL(r.url).pathname); }")
    assert "/help/overdose/" in kept and "/help/good-samaritan/" in kept
    assert all(path.startswith(("/help/", "/static/")) for path in kept), kept
    with pytest.raises(Exception):
        page.goto(asgi_server + "/rooms/")  # nothing else is kept
    page.context.set_offline(False)


def test_the_app_can_be_installed(asgi_server, browser):
    page = open_page(browser)
    page.goto(asgi_server + "/")
    href = page.locator("link[rel=manifest]").get_attribute("href")
    manifest = json.loads(page.request.get(asgi_server + href).text())
    assert manifest["start_url"] == "/" and manifest["display"] == "standalone"
    for icon in manifest["icons"]:
        response = page.request.get(asgi_server + href.rsplit("/", 1)[0] + "/" + icon["src"])
        assert response.ok and response.headers["content-type"] == icon["type"], icon
    assert page.problems == []
