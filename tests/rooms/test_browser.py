"""Two signed-in people chat in two browser contexts; one drops off, misses messages, comes back and sees each once."""

import re

import pytest

from tests.browser import DESKTOP, PHONE
from tests.rooms import live_servers

pytestmark = [pytest.mark.browser]


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    folder = tmp_path_factory.mktemp("rooms-browser")
    env = live_servers.base_env(DATABASE_URL=f"sqlite:///{folder / 'db.sqlite3'}", DJANGO_VAR_DIR=str(folder))
    cookies = live_servers.prepare_database(env, ["ada", "bo"])
    port = live_servers.free_port()
    state = {"process": live_servers.start_server(env, port), "env": env, "port": port}
    yield f"http://127.0.0.1:{port}", cookies, state
    live_servers.stop_server(state["process"])


def _texts(page) -> list[str]:
    return [t.strip() for t in page.locator("#chat-log .chat-msg__body").all_inner_texts()]


def test_offline_peer_comes_back_and_sees_every_message_once(server, browser):
    from playwright.sync_api import expect

    base, cookies, state = server
    pages = {}
    for name in ("ada", "bo"):
        context = browser.new_context(viewport=PHONE)
        context.add_cookies([{"name": "sessionid", "value": cookies[name], "url": base}])
        page = context.new_page()
        page.goto(f"{base}/rooms/live/")
        expect(page.locator("#chat-online")).to_have_text(re.compile("online"))
        pages[name] = page
    ada, bo = pages["ada"], pages["bo"]
    expect(ada.locator("#chat-online")).to_have_text("2 people online")

    def say(page, text):
        page.fill("#chat-input", text)
        page.keyboard.press("Enter")

    say(ada, "hello from ada")
    expect(bo.locator("#chat-log")).to_contain_text("hello from ada")
    expect(bo.locator("#chat-announcer")).to_contain_text("ada says: hello from ada")

    # bo drops off the network; ada keeps writing; bo writes too while offline.
    bo.context.set_offline(True)
    expect(bo.locator("#chat-banner")).to_contain_text("offline")
    for n in range(3):
        say(ada, f"while you were away {n}")
        expect(ada.locator("#chat-log")).to_contain_text(f"while you were away {n}")
    say(bo, "sent from the tunnel")
    bo.context.set_offline(False)

    expected = ["hello from ada", "while you were away 0", "while you were away 1", "while you were away 2", "sent from the tunnel"]
    for page in (ada, bo):
        expect(page.locator("#chat-log .chat-msg")).to_have_count(5)
        assert _texts(page) == expected
    expect(bo.locator("#chat-banner")).to_be_hidden()

    # The server restarts: both reconnect with ?after= and carry on, nothing twice.
    live_servers.stop_server(state["process"])
    expect(bo.locator("#chat-banner")).to_contain_text("Reconnecting")
    state["process"] = live_servers.start_server(state["env"], state["port"])
    expect(ada.locator("#chat-online")).to_have_text("2 people online", timeout=15000)
    say(ada, "after the restart")
    for page in (ada, bo):
        expect(page.locator("#chat-log .chat-msg")).to_have_count(6, timeout=15000)
        assert _texts(page) == [*expected, "after the restart"]

    # Another person's message can be reported; your own can't. A message about an overdose brings the steps.
    expect(bo.locator("#chat-log .chat-msg").first.locator(".chat-msg__report")).to_have_attribute("href", re.compile(r"/report/\?target=message:\d+"))
    expect(ada.locator("#chat-log .chat-msg").first.locator(".chat-msg__report")).to_have_count(0)
    say(ada, "my friend is not breathing")
    expect(bo.locator("#chat-log .chat-msg").last.locator(".overdose-card")).to_be_visible()
    expect(bo.locator("#chat-log .chat-msg").nth(0).locator(".overdose-card")).to_have_count(0)


def _host_session(state) -> str:
    """A session for the room's host, made in the server's database (the fixture signs in ada and bo only)."""
    import subprocess

    code = (
        "from peers.models import Peer; from tests.rooms.live_servers import signed_in_session; "
        "print('KEY=' + signed_in_session(Peer.objects.get(username='live-host')))"
    )
    out = subprocess.run(
        [live_servers.PYTHON, "manage.py", "shell", "-c", code], cwd=live_servers.ROOT, env=state["env"], check=True, timeout=60,
        capture_output=True, text=True,
    ).stdout
    return out.split("KEY=", 1)[1].strip()


def test_a_host_mutes_and_unmutes_and_the_muted_banner_follows(server, browser):
    from playwright.sync_api import expect

    base, cookies, state = server
    pages = {}
    for name, key in (("bo", cookies["bo"]), ("host", _host_session(state))):
        context = browser.new_context(viewport=DESKTOP)
        context.add_cookies([{"name": "sessionid", "value": key, "url": base}])
        pages[name] = context.new_page()
        pages[name].goto(f"{base}/rooms/live/")
    bo, host = pages["bo"], pages["host"]
    expect(bo.locator("#chat-online")).to_have_text(re.compile("online"))

    host.fill("#mute-pseudonym", "bo")
    host.fill("#mute-minutes", "30")
    host.get_by_role("button", name="Mute", exact=True).click()
    expect(host.locator(".messages")).to_contain_text("bo is muted in this room for 30 minutes")
    expect(bo.locator("#chat-banner")).to_contain_text("muted you")

    host.get_by_role("button", name="Unmute bo").click()
    expect(host.locator(".messages")).to_contain_text("bo can write in this room again")
    expect(host.locator(".muted-list")).to_have_count(0)
    bo.fill("#chat-input", "back again, thanks")
    bo.keyboard.press("Enter")
    expect(bo.locator("#chat-log")).to_contain_text("back again, thanks")
    expect(bo.locator("#chat-banner")).to_be_hidden()
