"""A real browser on a real ASGI server: a page open on / shows a new alert's banner without reload."""

import socket
import threading
import time

import pytest
from django.test import Client

pytestmark = [pytest.mark.browser]

CHROMIUM = "/usr/bin/chromium"


@pytest.fixture
def live_server_url(transactional_db):
    """uvicorn on a free port in a thread of this process, so it shares the test database and channel layer."""
    import uvicorn
    from django.contrib.staticfiles.handlers import ASGIStaticFilesHandler
    from django.core.asgi import get_asgi_application
    from channels.routing import ProtocolTypeRouter

    from config.asgi import application as site

    app = ProtocolTypeRouter({"http": ASGIStaticFilesHandler(get_asgi_application()), "websocket": site.application_mapping["websocket"]})
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    port = listener.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(app, lifespan="off", log_level="warning", access_log=False))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [listener]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.05)
    assert server.started
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(5)
    listener.close()


@pytest.fixture
def moderator_session(moderator) -> str:
    """A signed-in session cookie, made before the browser starts (Playwright's sync API runs an event loop)."""
    session = Client()
    session.force_login(moderator)
    return session.cookies["sessionid"].value


@pytest.fixture
def browser():
    """Requested after the server and session fixtures (argument order), which touch the database first."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"])
        yield chromium
        chromium.close()


@pytest.mark.django_db(transaction=True)
def test_open_home_page_shows_a_new_alert_without_reload(live_server_url, moderator_session, browser):
    from playwright.sync_api import expect

    viewer = browser.new_page(viewport={"width": 390, "height": 844})
    viewer.goto(live_server_url + "/")
    expect(viewer.locator("#alert-banner")).to_have_attribute("data-socket", "open", timeout=10_000)
    viewer.evaluate("window.__notReloaded = true")
    assert viewer.locator(".alert-banner__item").count() == 0

    context = browser.new_context()
    context.add_cookies([{"name": "sessionid", "value": moderator_session, "url": live_server_url}])
    poster = context.new_page()
    poster.goto(live_server_url + "/alerts/new/")
    assert poster.locator("#id_substance").count(), poster.inner_text("body")
    poster.fill("#id_substance", "Pressed pills")
    poster.fill("#id_summary", "Blue pills sold as oxycodone tested positive for nitazenes.")
    poster.fill("#id_region", "Eastside")
    poster.select_option("#id_severity", "danger")
    poster.select_option("#id_source", "drug_checking")
    poster.click("main form button[type=submit]")
    poster.wait_for_load_state()
    assert poster.url == live_server_url + "/alerts/", (poster.url, poster.inner_text("main"))

    item = viewer.locator(".alert-banner__item").first
    expect(item).to_contain_text("nitazenes", timeout=10_000)
    expect(item).to_contain_text("Pressed pills")
    assert "alert-banner__item--danger" in item.get_attribute("class")
    assert viewer.evaluate("window.__notReloaded") is True
    assert item.locator("a").get_attribute("href").startswith("/alerts/#alert-")


@pytest.fixture
def card_template_html() -> str:
    from django.template import Context, Template

    html = Template("{% load safety %}{% overdose_card_template %}").render(Context())
    return html.split("<script")[0]


def test_live_overdose_card_uses_the_same_signals_as_the_server(card_template_html, browser):
    from pathlib import Path

    from tests.safety.test_overdose import SIGNALS, UNRELATED

    page = browser.new_page()
    page.set_content(f"<main>{card_template_html}</main>")
    page.add_script_tag(path=str(Path(__file__).resolve().parents[2] / "static/js/overdose.js"))
    verdicts = page.evaluate("texts => texts.map(t => window.hrcOverdose.mentions(t))", SIGNALS + UNRELATED)
    assert verdicts == [True] * len(SIGNALS) + [False] * len(UNRELATED)
    assert "Breathe for them" in page.evaluate("window.hrcOverdose.card().textContent")
