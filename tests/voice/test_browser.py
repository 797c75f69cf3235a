"""An eligible member proposes a rule change; three others vote in their own browser contexts; the window
passes (the test moves the clock: closes_at into the past) and the first look closes the vote; /rules/ shows
the new version and /rules/history/ its diff; a moderator's decision form offers the new rule and the public log
shows it. A real ASGI server in a thread of this process; each person is a Chromium context at 390 px.

Screenshots of /rules/, the proposal and the vote form go to screenshots/ (git-ignored)."""

from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from community.demo import RULES
from moderation import services as moderation_services
from moderation.models import LogEntry, QueueItem
from tests.browser import open_page
from tests.conftest import make_peer, session_key_for
from voice import services
from voice.models import Proposal

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SHOTS = Path(__file__).resolve().parents[2] / "screenshots"
NEW_TITLE = "No personal details, anyone's"
NEW_TEXT = "Keep names, numbers, addresses and photos out of what you write, your own and other people's."


def _shot(page, name: str) -> None:
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SHOTS / f"voice-{name}.png"), full_page=True)


@pytest.fixture
def community(settings, board):
    settings.VOICE_MIN_AGE_DAYS, settings.VOICE_MIN_POSTS, settings.VOICE_QUORUM_MIN = 0, 0, 3
    services.rules_seed(rules=RULES)
    people = [make_peer(username=name) for name in ("juniper", "alder", "birch", "cedar")]
    moderator = make_peer("moderator", username="mod-rowan")
    post = services.forum_services.thread_create(board=board, author=people[1], title="Meet-up", body="Here is her address").posts.get()
    moderation_services.report_create(reporter=people[2], target_ref=f"post:{post.pk}", reason="personal_info")
    return people, moderator


def test_a_rule_change_proposed_voted_adopted_and_used_by_a_moderator(asgi_server, community, browser):
    server = asgi_server
    (author, *voters), moderator = community

    page = open_page(browser, base_url=server, session_key=session_key_for(author))
    page.goto(f"{server}/rules/")
    expect(page.locator("#rule-2")).to_contain_text("No personal information")
    page.locator("#rule-2").get_by_role("link", name="Propose a change").click()
    expect(page.get_by_label("change a rule")).to_be_checked()
    page.get_by_label("Which rule (to change or remove)").select_option("2")
    page.get_by_label("Title").fill(NEW_TITLE)
    page.get_by_label("Text").fill(NEW_TEXT)
    page.get_by_role("button", name="Open it to a vote").click()
    proposal = Proposal.objects.get()
    page.wait_for_url(f"{server}/proposals/{proposal.pk}/")
    expect(page.locator("main")).to_contain_text("0 of 5 eligible members have voted")
    _shot(page, "proposal")

    for voter in voters:
        ballot = open_page(browser, base_url=server, session_key=session_key_for(voter))
        ballot.goto(f"{server}/proposals/{proposal.pk}/vote/")
        ballot.get_by_label("agree", exact=True).check()
        if voter is voters[0]:
            _shot(ballot, "vote-form")
        ballot.get_by_role("button", name="Vote").click()
        ballot.wait_for_url(f"{server}/proposals/{proposal.pk}/")
        expect(ballot.locator("main")).to_contain_text("Your vote is in")
        ballot.context.close()
    page.reload()
    expect(page.locator("main")).to_contain_text("3 of 5 eligible members have voted")
    expect(page.locator("main")).not_to_contain_text("Adopted")

    # The window passes: the first look at the proposal closes the vote.
    Proposal.objects.filter(pk=proposal.pk).update(closes_at=timezone.now() - timedelta(seconds=1))
    page.reload()
    expect(page.locator("main")).to_contain_text("Adopted. Rule 2 changed")
    page.goto(f"{server}/rules/")
    expect(page.locator("#rule-2")).to_contain_text(NEW_TITLE)
    expect(page.locator("#rule-2")).to_contain_text(NEW_TEXT)
    expect(page.locator("main")).to_contain_text("Version 2")
    _shot(page, "rules")
    page.goto(f"{server}/rules/history/")
    expect(page.locator(".voice-diff__in").first).to_contain_text(NEW_TITLE)
    expect(page.locator(".voice-diff__out").first).to_contain_text("No personal information")
    assert page.problems == []

    mod = open_page(browser, base_url=server, session_key=session_key_for(moderator))
    item = QueueItem.objects.get()
    mod.goto(f"{server}/mod/item/{item.pk}/")
    mod.get_by_label("What happens to it").select_option("hide")
    rules = mod.get_by_label("Which community rule does it rest on?")
    expect(rules.locator("option", has_text=f"2. {NEW_TITLE}")).to_have_count(1)
    rules.select_option("2")
    mod.locator("#id_reason").fill("Someone's address")
    mod.get_by_role("button", name="Apply").click()
    mod.wait_for_url(f"{server}/mod/")
    mod.goto(f"{server}/mod/log/")
    expect(mod.locator("table.mod-log")).to_contain_text(f"Rule 2: {NEW_TITLE}")
    expect(mod.locator("table.mod-log")).to_contain_text("community vote")
    assert LogEntry.objects.get(action="hide").rule_title == NEW_TITLE
