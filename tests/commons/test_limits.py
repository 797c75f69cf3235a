"""One table of limits, met by every entry point, refused the same way (issue 15 "one rate limiter", 13 item 8)."""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.utils.html import escape

from commons import limits
from commons.limits import DAY, HOUR, LIMITS, MINUTE, TABLE, RateLimited, limit_use, wait_words

ROOT = Path(__file__).resolve().parents[2]
APPS = ("commons", "peers", "forum", "rooms", "moderation", "safety", "helpnow", "checking", "voice")


def test_every_limit_in_the_table_is_enforced_somewhere_and_nothing_else_limits():
    source = "\n".join(path.read_text() for app in APPS for path in (ROOT / app).rglob("*.py") if "migrations" not in path.parts)
    used = set(re.findall(r"limit_(?:use|check|record)\(\s*\"(\w+)\"", source))
    assert {limit.name for limit in TABLE} - used == set(), "a limit nobody meets"
    assert used - set(LIMITS) == set(), "a limit missing from the table"
    assert not (ROOT / "commons" / "ratelimit.py").exists() and not (ROOT / "forum" / "ratelimit.py").exists()
    assert "allow(request" not in source and "_check_rate(" not in source.replace("def _check_rate(", "").replace("_check_rate(room=", "")


def test_each_limit_has_a_scope_a_count_a_window_and_words():
    for limit in TABLE:
        assert limit.scope in (limits.ACCOUNT, limits.ADDRESS, limits.ACCOUNT_ADDRESS, limits.NAME, limits.ROOM_ACCOUNT)
        assert limit.count >= 1 and limit.window >= 0 and limit.message.endswith(".")


@pytest.mark.django_db
def test_the_one_429_says_when_in_words_and_in_retry_after(auth_client, other_peer, thread_factory, settings):
    settings.RATE_LIMITS = {"forum_keep": (1, 600)}
    thread = thread_factory(author=other_peer)
    auth_client.post(f"/t/{thread.pk}/subscribe/", {"on": "1"})
    response = auth_client.post(f"/t/{thread.pk}/subscribe/", {"on": "0"})
    assert response.status_code == 429
    page = response.content.decode()
    assert escape(LIMITS["forum_keep"].message) in page
    assert re.search(r"Please try again in \d+ (seconds|minutes?)\.", page)
    assert 0 < int(response["Retry-After"]) <= 600


@pytest.mark.django_db
def test_a_service_meets_the_limit_whoever_calls_it(peer, other_peer, thread_factory, settings):
    from forum import services

    settings.RATE_LIMITS = {"forum_post_new": (2, 600)}
    thread = thread_factory(author=other_peer)
    services.post_create(thread=thread, author=peer, body="one")
    services.post_create(thread=thread, author=peer, body="two")
    with pytest.raises(RateLimited):
        services.post_create(thread=thread, author=peer, body="three")
    assert thread.posts.filter(author=peer).count() == 2


def test_waits_read_as_words():
    assert wait_words(1) == "1 second"
    assert wait_words(45) == "45 seconds"
    assert wait_words(61) == "2 minutes"
    assert wait_words(3600) == "60 minutes"
    assert wait_words(86400) == "24 hours"


@pytest.mark.django_db
def test_a_window_given_by_the_caller_is_required_where_the_table_has_none():
    with pytest.raises(ValueError):
        limit_use("room_slow_mode", 1, 2)


def test_the_environment_overrides_one_limit_by_name(tmp_path):
    code = "from django.conf import settings; print(settings.RATE_LIMITS)"
    env = {**os.environ, "RATE_LIMIT_FORUM_POST": "7/60", "DJANGO_SETTINGS_MODULE": "config.settings",
           "DJANGO_VAR_DIR": str(tmp_path)}
    out = subprocess.run([sys.executable, "-c", "import django; django.setup(); " + code], cwd=ROOT, env=env,
                         capture_output=True, text=True, timeout=60)
    assert "'forum_post': (7, 60)" in out.stdout, out.stderr
    # A malformed value stops start-up naming the variable: tests/config/test_settings.py.


def test_security_md_lists_the_table_as_it_is():
    text = (ROOT / "SECURITY.md").read_text()
    words = {MINUTE: "1 minute", 15 * MINUTE: "15 minutes", 5 * MINUTE: "5 minutes", HOUR: "1 hour", 10 * MINUTE: "10 minutes",
             10: "10 seconds", 3: "3 seconds", DAY: "1 day", 0: "the room's slow mode"}
    for limit in TABLE:
        row = re.search(rf"^\| `{limit.name}`[^|]*\| [^|]+ \| (\d+) \| ([^|]+) \|$", text, re.MULTILINE)
        assert row, f"{limit.name} is not in SECURITY.md"
        assert (int(row.group(1)), row.group(2).strip()) == (limit.count, words[limit.window]), limit.name
