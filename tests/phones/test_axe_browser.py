"""No accessibility violation on any page a person reaches (issue 17, WCAG 2.2 AA): axe-core runs in Chromium on
every GET route of the URL conf (tests/routes.py, filled as tests/forum/test_visibility_routes.py fills them),
at 390 and 1280 px, signed out and signed in; any violation of any impact fails the test.

axe-core is a test-only file (tests/a11y/, never served): Playwright adds it to every page of the context before
the page's own scripts, which the page's Content-Security-Policy does not block."""

import hashlib
import json
from pathlib import Path

import pytest
from django.test import Client

from safety import services as safety_services
from tests.browser import DESKTOP, PHONE, off_loop, open_page
from tests.conftest import session_key_for
from tests.forum.test_visibility_routes import UNFILLED, _fill, site  # noqa: F401 (the fixture)
from tests.routes import all_routes

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

AXE = Path(__file__).resolve().parent.parent / "a11y" / "axe.min.js"
AXE_SHA256 = "880970c081707360e64f34cea25ff91892f5bc95675b0776925b9709dd8a68bb"  # axe-core 4.10.3 (tests/a11y/README.md)
# WCAG 2.0, 2.1 and 2.2 A and AA, and axe's best practices.
RUN = "() => axe.run(document, {resultTypes: ['violations']}).then(r => r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.slice(0, 3).map(n => n.target.join(' '))})))"


def test_axe_is_the_pinned_release():
    assert hashlib.sha256(AXE.read_bytes()).hexdigest() == AXE_SHA256
    assert AXE.read_text()[:200].startswith("/*! axe v4.10.3") and "Mozilla Public" in AXE.read_text()[:400]


def pages(site, reader) -> list[str]:  # noqa: F811
    """For each GET route, the first of its URLs that shows `reader` an HTML page (asked first with Django's
    test client, which is cheap), and the pages each query of the site fixture adds."""
    client = Client()
    if reader is not None:
        client.force_login(reader)
    urls = []
    for route in all_routes():
        if route.name in UNFILLED:
            continue
        for url in route.urls(_fill(route, site["values"])):
            response = client.get(url)
            if response.status_code == 200 and "html" in response.get("Content-Type", ""):
                urls.append(url)
                break
    return urls


def violations(page, url: str) -> list[dict]:
    page.goto(url)
    return [{"url": url, **found} for found in page.evaluate(RUN)]


def states(page, base: str, *, signed_in: bool) -> list[dict]:
    """What a GET alone does not show: the open menu, a refused form, a live room with a message."""
    found = []
    page.goto(base + "/")
    if page.locator(".site-menu__button").is_visible():
        page.locator(".site-menu__button").click()
        found += [{"state": "menu open", **v} for v in page.evaluate(RUN)]
    if not signed_in:
        page.goto(base + "/accounts/signup/")
        page.fill("#id_username", "ab")
        page.fill("#id_password1", "short")
        page.fill("#id_password2", "other")
        page.locator("main form button[type=submit]").click()
        page.wait_for_selector("[aria-invalid=true]")
        found += [{"state": "sign-up refused", **v} for v in page.evaluate(RUN)]
    else:
        page.goto(base + "/rooms/evening/")
        page.fill("#chat-input", "hello @willow\nsecond line")
        page.keyboard.press("Enter")
        page.wait_for_selector("#chat-log .chat-msg")
        found += [{"state": "room with a message", **v} for v in page.evaluate(RUN)]
        page.goto(base + "/get-help/")
        page.fill("#id_happening", "x" * 1001)
        page.locator("main form button[type=submit]").click()
        page.wait_for_load_state()
        found += [{"state": "get help refused", **v} for v in page.evaluate(RUN)]
    return found


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["390", "1280"])
def test_no_axe_violation_on_any_page(asgi_server, browser, site, viewport):  # noqa: F811
    off_loop(safety_services.alert_create, author=site["moderator"], substance="Pressed pills", severity="danger",
             source="drug_checking", region="Eastside", summary="Blue pills sold as oxycodone held nitazenes.")
    found = []
    for who in (None, site["author"]):
        urls = off_loop(pages, site, who)  # the test client, outside Playwright's event loop
        assert len(urls) > (20 if who is None else 30), urls
        page = open_page(browser, viewport=viewport, base_url=asgi_server,
                         session_key=session_key_for(who) if who else None)
        page.context.add_init_script(path=str(AXE))
        for url in urls:
            found += [{"reader": "member" if who else "visitor", **v} for v in violations(page, asgi_server + url)]
        found += [{"reader": "member" if who else "visitor", **v} for v in states(page, asgi_server, signed_in=bool(who))]
        page.context.close()
    assert found == [], json.dumps(found, indent=1)[:6000]
