"""A peer asks for help; a supporter in another browser context sees it appear without reload, claims it,
they exchange messages, and the supporter resolves it. A real ASGI server (uvicorn, in a thread of this
process, on a free port) serves HTTP and WebSocket; two Chromium contexts are the two people.

Set HELPNOW_SCREENSHOTS=<folder> to also save screenshots of the form, the board and the private room.
"""

import os
import socket
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from playwright.sync_api import expect, sync_playwright

from helpnow import services
from helpnow.models import HelpRequest
from tests.rooms.live_servers import signed_in_session

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run"]
SHOTS = os.environ.get("HELPNOW_SCREENSHOTS")

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def server():
    """uvicorn serving config.asgi in a thread: same process, so it shares the test database and channel layer."""
    import uvicorn
    from channels.routing import ProtocolTypeRouter
    from django.contrib.staticfiles.handlers import ASGIStaticFilesHandler

    from config.asgi import application as site

    # Static files from the finders (tests run with DEBUG off and no collectstatic), as Channels' live server does.
    application = ProtocolTypeRouter({"http": ASGIStaticFilesHandler(site.application_mapping["http"]),
                                      "websocket": site.application_mapping["websocket"]})
    port = _free_port()
    config = uvicorn.Config(application, host="127.0.0.1", port=port, log_level="warning", access_log=False, lifespan="off")
    instance = uvicorn.Server(config)
    thread = threading.Thread(target=instance.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 15
    while not instance.started and time.monotonic() < deadline:
        time.sleep(0.05)
    assert instance.started, "uvicorn did not start"
    yield f"http://127.0.0.1:{port}"
    instance.should_exit = True
    thread.join(10)
    if connection.vendor == "postgresql" and connection.settings_dict["OPTIONS"].get("pool"):
        # The request threads gave their connections back to the pool; close them all (the test's own
        # connection closes when it is given back), so the test database can be dropped at the end.
        connection.close_pool()
    elif connection.vendor == "postgresql":
        # Django's ASGI handler leaves the connections of its request threads open;
        # close them so the test database can be dropped at the end of the run.
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()"
            )


def _session_cookie(peer, base_url: str) -> dict:
    return {"name": settings.SESSION_COOKIE_NAME, "value": signed_in_session(peer), "url": base_url}


def _db(function, *args, **kwargs):
    """Run a database call off the thread where Playwright's sync API keeps an event loop (Django refuses it there)."""
    def run():
        try:
            return function(*args, **kwargs)
        finally:
            connection.close()  # this thread's own connection, or the test database can't be dropped

    with ThreadPoolExecutor(1) as pool:
        return pool.submit(run).result()


def _shot(page, name: str) -> None:
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(SHOTS) / f"helpnow-{name}.png"), full_page=True)


def test_ask_claim_talk_resolve(server, peer, supporter, on_duty):
    on_duty(supporter)
    person_cookie, helper_cookie = _session_cookie(peer, server), _session_cookie(supporter, server)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            person_context = browser.new_context(viewport={"width": 390, "height": 844})
            helper_context = browser.new_context(viewport={"width": 1280, "height": 900})
            person_context.add_cookies([person_cookie])
            helper_context.add_cookies([helper_cookie])
            person, helper = person_context.new_page(), helper_context.new_page()
            for page in (person, helper):
                page.set_default_timeout(10_000)

            # The supporter's board is open and live before the request exists.
            helper.goto(f"{server}/supporters/")
            expect(helper.locator("#list-waiting")).to_contain_text("Nobody is waiting")
            helper.evaluate("window.__sameDocument = true")

            # The person asks for help on a phone.
            person.goto(f"{server}/get-help/")
            expect(person.get_by_text("1 supporter is on duty right now")).to_be_visible()
            person.get_by_label("What is happening?").fill("Feeling really anxious after using alone.")
            person.get_by_label("Yes, someone may be in danger").check()
            expect(person.locator("#danger-card")).to_contain_text("Call 911 now")  # at once, before sending
            person.get_by_label("No", exact=True).check()
            expect(person.locator("#danger-card")).to_be_hidden()
            person.get_by_label("What would help?").fill("Someone to talk to for a bit.")
            _shot(person, "request-form-phone")
            person.get_by_role("button", name="Start a private conversation").click()
            person.wait_for_url(f"{server}/get-help/*/")
            expect(person.locator("#help-status")).to_contain_text("Waiting for a supporter")
            help_request = _db(HelpRequest.objects.get)

            # It appears on the supporter's board without a reload.
            item = helper.locator(f"#req-{help_request.pk}")
            expect(item).to_contain_text("Feeling really anxious")
            assert helper.evaluate("window.__sameDocument") is True
            _shot(helper, "board")
            item.get_by_role("button", name="Claim").click()
            helper.wait_for_url(f"{server}/get-help/{help_request.pk}/")
            expect(person.locator("#help-status")).to_contain_text("sup-lee, a peer supporter, is here with you")

            # They talk in the private room.
            expect(helper.locator("#chat-online")).not_to_contain_text("Connecting")
            helper.locator("#chat-input").fill("Hi, I'm here with you. Want to tell me what's going on?")
            helper.locator("#chat-input").press("Enter")
            expect(person.locator("#chat-log")).to_contain_text("I'm here with you", timeout=10_000)
            person.locator("#chat-input").fill("Thank you. My heart is racing.")
            person.get_by_role("button", name="Send").click()
            expect(helper.locator("#chat-log")).to_contain_text("My heart is racing")
            _shot(person, "private-room-phone")
            _shot(helper, "private-room-supporter")

            # The supporter resolves it; the person's chat turns read-only at once.
            helper.get_by_label("Handover note (supporters only)").fill("Anxiety after using alone; breathing helped.")
            helper.get_by_role("button", name="Resolve").click()
            helper.wait_for_url(f"{server}/supporters/")
            expect(person.locator("#chat-banner")).to_contain_text("closed")
            expect(person.locator("#help-status")).to_contain_text("This conversation has ended")
            person.get_by_role("button", name="It helped").click()  # the page reloaded to offer the rating
            expect(person.get_by_text("Thank you for telling us.")).to_be_visible()
            _db(help_request.refresh_from_db)
            assert help_request.status == HelpRequest.Status.RESOLVED
            assert help_request.note.startswith("Anxiety after") and help_request.helped is True
            assert _db(services.open_claims, supporter=supporter) == 0
        finally:
            browser.close()
