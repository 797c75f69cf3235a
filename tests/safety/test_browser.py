"""A real browser on a real ASGI server: a page open on / shows a new alert's banner without reload."""

import pytest

from tests.browser import open_page
from tests.conftest import session_key_for

pytestmark = [pytest.mark.browser]


@pytest.fixture
def moderator_session(moderator) -> str:
    return session_key_for(moderator)


@pytest.mark.django_db(transaction=True)
def test_open_home_page_shows_a_new_alert_without_reload(asgi_server, moderator_session, browser):
    from playwright.sync_api import expect

    viewer = open_page(browser)
    viewer.goto(asgi_server + "/")
    expect(viewer.locator("#alert-banner")).to_have_attribute("data-socket", "open", timeout=10_000)
    viewer.evaluate("window.__notReloaded = true")
    assert viewer.locator(".alert-banner__item").count() == 0

    poster = open_page(browser, base_url=asgi_server, session_key=moderator_session)
    poster.goto(asgi_server + "/alerts/new/")
    assert poster.locator("#id_substance").count(), poster.inner_text("body")
    poster.fill("#id_substance", "Pressed pills")
    poster.fill("#id_summary", "Blue pills sold as oxycodone tested positive for nitazenes.")
    poster.fill("#id_region", "Eastside")
    poster.select_option("#id_severity", "danger")
    poster.select_option("#id_source", "drug_checking")
    poster.click("main form button[type=submit]")
    poster.wait_for_load_state()
    assert poster.url == asgi_server + "/alerts/", (poster.url, poster.inner_text("main"))

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
