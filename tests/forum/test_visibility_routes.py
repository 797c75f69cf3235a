"""Held, hidden and removed content is seen only by its author and by moderators, on every page.

One walk over every GET route of the URL conf (tests/routes.py), as a visitor, another member, the author
and a moderator, with each kind of content not public in place, each carrying a marker word of its own in
its title and body. A list page added later is walked too: a route whose parameters this fixture cannot
fill fails the test until it is filled or listed in UNFILLED with the reason.
"""

import pytest
from django.test import Client

from checking import services as checking_services
from forum import services as forum_services
from moderation import services as moderation_services
from moderation.models import LogEntry, ModerationStatus, QueueItem, ReportReason, SourcingPattern
from peers import roles
from peers.models import Notification
from rooms import services as room_services
from rooms.models import Room
from tests.conftest import make_peer
from tests.routes import all_routes

HELD_THREAD, HELD_REPLY, HIDDEN, REMOVED, HELD_EDIT, HELD_MESSAGE = (
    "zebraheld", "quokkareply", "ocelothidden", "narwhalremoved", "pangolinedit", "lemurmessage",
)
MARKERS = (HELD_THREAD, HELD_REPLY, HIDDEN, REMOVED, HELD_EDIT, HELD_MESSAGE)
HOLD = "call me on 555-0134"  # contact details: screening holds it for anyone but a moderator

# Routes this fixture does not fill, and why. Each must still exist (a stale entry fails the test).
UNFILLED = {
    "safety:alert_seen": "drug alerts are not forum content; their holding is tested in tests/safety",
    "safety:alert_review": "drug alerts are not forum content; their holding is tested in tests/safety",
    "safety:suggestion_decide": "service suggestions are moderators' work only (tests/safety)",
    "safety:service_correct": "the services directory holds no member's post",
    "safety:service_verify": "the services directory holds no member's post",
    "voice:service_rate": "the services directory holds no member's post; ratings carry no author (tests/voice/test_ratings.py)",
    **{f"helpnow:{name}": "a help request is private to its requester and supporters (tests/helpnow)"
       for name in ("request", "end", "rate", "claim", "backup", "join", "resolve")},
    **{f"spotting:{name}": "a spotting session is private to its member and spotter; its GET writes nothing (tests/spotting)"
       for name in ("session", "ok", "end", "claim", "record")},
}


@pytest.fixture(autouse=True)
def _publish_without_screening():
    """Screening as in production here (tests/forum/conftest.py turns it off for the other forum tests)."""


# Routes whose GET writes on purpose, and why: only for the URLs in site["writes_on_purpose"].
WRITES_ON_PURPOSE = {
    "voice:proposal": "the first look at a vote whose window has passed closes it (issue 16; voice.views._proposal_or_404)",
    "voice:vote": "the same: the vote page of a due proposal closes it first",
    "forum:thread_slug": "the thread page of a poll whose end has passed closes it (voice.polls.poll_for_thread, through commons.extras)",
    "voice:poll": "the same: the poll's own page",
    "voice:poll_vote": "the same: the poll's vote address",
}


def _due_poll(thread) -> set[str]:
    """A poll whose end has passed, on `thread`: the first GET of a page that shows it closes it."""
    from datetime import timedelta

    from django.utils import timezone

    from voice import polls
    from voice.models import Poll

    poll = polls.poll_create(thread=thread, author=thread.author, question="Strips: which brand?", options=["One", "Other"],
                             ends=timezone.now() + timedelta(days=1))
    Poll.objects.filter(pk=poll.pk).update(closes_at=timezone.now() - timedelta(seconds=1))
    return {thread.get_absolute_url(), f"/t/{thread.pk}/poll/", f"/t/{thread.pk}/poll/vote/"}


def _proposals(*, members, settings) -> dict:
    """An open proposal, a closed one and one whose window has passed (closed by the first GET of its pages)."""
    from datetime import timedelta

    from django.utils import timezone

    from voice import services as voice_services
    from voice.models import Proposal

    settings.VOICE_MIN_AGE_DAYS, settings.VOICE_MIN_POSTS = 0, 0
    voice_services.rules_seed(rules=[("Respect", "Treat everyone as the expert on their own life.")])
    open_, closed, due = (voice_services.proposal_create(author=m, kind="question", title=f"Question {i}", text="Why not?")
                          for i, m in enumerate(members))
    Proposal.objects.filter(pk__in=[closed.pk, due.pk]).update(closes_at=timezone.now() - timedelta(seconds=1))
    voice_services.proposal_close(proposal_id=closed.pk)
    return {"ids": [open_.pk, closed.pk, due.pk], "due": {f"/proposals/{due.pk}/", f"/proposals/{due.pk}/vote/"}}


@pytest.fixture
def site(db, board, other_peer, moderator, organiser, settings):
    """A public thread by `other_peer` (who is subscribed to it), and the author's content in each state."""
    author = make_peer(username="rue")
    public = forum_services.thread_create(board=board, author=other_peer, title="Strips for every batch", body="Where to get them?")

    edited = forum_services.post_create(thread=public, author=author, body="A kind reply about strips.")
    forum_services.post_edit(post=edited, by=author, body=f"{HELD_EDIT} {HOLD}")
    removed_reply = forum_services.post_create(thread=public, author=author, body=f"{REMOVED} in a reply")
    # The author's threads come last, so that they sort above the public one on the board: a list that
    # forgot the rule would show them on its first page.
    held_thread = forum_services.thread_create(board=board, author=author, title=f"{HELD_THREAD} meetup",
                                               body=f"{HELD_THREAD} here, {HOLD}")
    held_reply = forum_services.post_create(thread=public, author=author, body=f"{HELD_REPLY} @willow {HOLD}")
    # A reply that passes screening, inside the held thread: its mention must not carry the title to willow.
    forum_services.post_create(thread=held_thread, author=author, body="Anyone coming? @willow")

    hidden_thread = forum_services.thread_create(board=board, author=author, title=f"{HIDDEN} question", body=f"{HIDDEN} body")
    hidden_post = hidden_thread.posts.get()
    forum_services.bookmark_set(post=hidden_post, peer=other_peer, on=True)
    forum_services.post_moderate(post=hidden_post, status=ModerationStatus.PENDING, by=None, reason="hidden after reports")

    removed_thread = forum_services.thread_create(board=board, author=author, title=f"{REMOVED} offer", body=f"{REMOVED} body")
    removed_post = removed_thread.posts.get()
    for post in (removed_post, removed_reply):
        moderation_services.report_create(reporter=other_peer, target_ref=f"post:{post.pk}", reason=ReportReason.SOURCING)
        item = QueueItem.objects.get(target_kind="post", target_id=post.pk, status="open")
        moderation_services.item_decide(item=item, moderator=moderator, content_action="delete", reason="sourcing",
                                        category=ReportReason.SOURCING)

    room = room_services.room_create(slug="evening", title="Evening room", host=organiser, status=Room.Status.LIVE)
    message = room_services.message_store(room=room, author=author, body=f"{HELD_MESSAGE} {HOLD}")

    threads = [public, held_thread, hidden_thread, removed_thread]
    posts = [held_thread.posts.order_by("id").first(), held_reply, hidden_post, removed_post, removed_reply, edited]
    proposals = _proposals(members=[other_peer, moderator, organiser], settings=settings)
    values = {
        "proposal_id": proposals["ids"],
        "thread_id": [t.pk for t in threads],
        "post_id": [p.pk for p in posts],
        "forum:thread_slug.slug": sorted({t.slug for t in threads}),
        "forum.slug": [board.slug],
        "rooms.slug": [room.slug],
        "message_id": [message.pk],
        "pseudonym": [author.username, other_peer.username],
        "item_id": list(QueueItem.objects.values_list("pk", flat=True)),
        "moderation:appeal_create.entry_id": list(LogEntry.objects.filter(subject=author).values_list("pk", flat=True)),
        "appeal_id": [],  # filled below when an appeal exists
        "pattern_id": [SourcingPattern.objects.values_list("pk", flat=True).first()],
        "key": ["x"],
        "uidb36": ["x"],
        "result_id": [checking_services.result_create(by=make_peer(roles.CHECKER), checked_on="2026-11-02", region="Downtown",
                                                      sold_as="down", found="fentanyl", method="ftir", service="S").pk],
        "region": ["downtown", "atlantis"],
        "report_id": [checking_services.sample_report(author=author, checked_on="2026-11-02", region="Downtown", sold_as="down",
                                                      found="fentanyl", method="test_strip", note=f"{HELD_THREAD} {HOLD}").pk],
    }
    entry = LogEntry.objects.filter(subject=author, action="delete").first()
    values["appeal_id"] = [moderation_services.appeal_create(appellant=author, log_entry=entry, text="It was a joke.").pk]
    queries = {  # routes that show more with a query string
        # Words beside the markers: the page repeats what was searched for, so a marker is never the query.
        "forum:search": [f"?q={word}" for word in ("meetup", "question", "offer", "call", "reply", "body")],
        "moderation:report": [f"?target=post:{p.pk}" for p in posts] + [f"?target=message:{message.pk}"],
        "forum:reply": [f"?quote={p.pk}" for p in posts],
    }
    return {"author": author, "other": other_peer, "moderator": moderator, "values": values, "queries": queries,
            "writes_on_purpose": proposals["due"] | _due_poll(public),
            "threads": dict(zip(("public", "held", "hidden", "removed"), threads)), "edited": edited}


def _fill(route, values: dict) -> dict:
    """`values` as Route.urls reads them, with the namespace-wide keys ("forum.slug") resolved for this route."""
    namespace = route.name.rpartition(":")[0]
    return {**values, **{name: values[f"{namespace}.{name}"] for name in route.parameters if f"{namespace}.{name}" in values}}


def _walk(site) -> list[str]:
    urls = []
    names = set()
    for route in all_routes():
        names.add(route.name)
        if route.name in UNFILLED:
            continue
        for url in route.urls(_fill(route, site["values"])):
            urls.append(url)
            urls += [url + query for query in site["queries"].get(route.name, [])]
    stale = set(UNFILLED) - names
    assert not stale, f"UNFILLED names routes that no longer exist: {stale}"
    return urls


def _reader(peer) -> Client:
    client = Client()
    if peer is not None:
        client.force_login(peer)
    return client


def _shown(client: Client, url: str) -> str:
    response = client.get(url)
    assert response.status_code < 500, (url, response.status_code)
    return (response.content.decode(errors="replace") + " " + response.get("Location", "")).lower()


def test_content_not_public_shows_only_to_its_author_and_moderators_on_every_route(site):
    urls = _walk(site)
    assert len(urls) > 150
    threads = site["threads"]
    must_show = {  # where the author and the moderators see each marker (a sample of every page that shows it)
        HELD_THREAD: ["/b/safer-use/", threads["held"].get_absolute_url(), "/search/?q=meetup"],
        HELD_REPLY: [threads["public"].get_absolute_url(), "/search/?q=call"],
        HIDDEN: ["/b/safer-use/", threads["hidden"].get_absolute_url()],
        REMOVED: ["/b/safer-use/", threads["removed"].get_absolute_url(), threads["public"].get_absolute_url()],
    }
    for name in ("author", "moderator"):
        reader = _reader(site[name])
        for marker, pages in must_show.items():
            for url in pages:
                assert marker in _shown(reader, url), (name, marker, url)
    author, moderator = _reader(site["author"]), _reader(site["moderator"])
    assert HELD_EDIT in _shown(author, f"/p/{site['edited'].pk}/edit/")
    assert HELD_EDIT in _shown(moderator, "/mod/") and HELD_THREAD in _shown(moderator, "/mod/")

    for name, peer in (("visitor", None), ("other member", site["other"])):
        reader = _reader(peer)
        for url in urls:
            page = _shown(reader, url)
            leaked = [marker for marker in MARKERS if marker in page]
            assert not leaked, f"{name} sees {leaked} at {url}"


def test_a_held_post_notifies_nobody_until_it_is_approved(site):
    """The held reply mentions willow, who is subscribed to the thread: nothing until a moderator approves it."""
    other = site["other"]
    held_reply = next(p for p in site["threads"]["public"].posts.all() if HELD_REPLY in p.body)
    about_it = Notification.objects.filter(url=held_reply.get_absolute_url())
    assert not about_it.exists()
    item = QueueItem.objects.get(target_kind="post", target_id=held_reply.pk, status="open")
    moderation_services.item_decide(item=item, moderator=site["moderator"], content_action="approve")
    assert list(about_it.filter(recipient=other).values_list("kind", flat=True)) == ["forum_mention"]  # not told twice


WRITES = ("INSERT", "UPDATE", "DELETE")


def test_a_get_writes_nothing_on_any_route(site):
    """Opening a page changes nothing stored (issue 15: the queue used to open items when a moderator looked)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    urls = _walk(site)
    found = []
    for name in ("visitor", "other", "author", "moderator"):
        reader = _reader(site.get(name))
        reader.get("/")  # the session's first save is the sign-in's, not a page's
        for url in urls:
            with CaptureQueriesContext(connection) as ctx:
                reader.get(url)
            found += [(name, url, q["sql"][:90]) for q in ctx.captured_queries if q["sql"].lstrip().upper().startswith(WRITES)]
    on_purpose = [f for f in found if f[1] in site["writes_on_purpose"]]
    found = [f for f in found if f[1] not in site["writes_on_purpose"]]
    assert not found, "\n".join(map(str, found[:40]))
    assert on_purpose and {f[0] for f in on_purpose} == {"visitor"}  # the first reader closed it; nobody after
    assert {f[1].split("/")[1] for f in on_purpose} == {"proposals", "t"}  # the due proposal and the due poll
    assert {url.split("/")[1] for url in site["writes_on_purpose"]} == {"proposals", "t"}
    assert set(WRITES_ON_PURPOSE) == {"voice:proposal", "voice:vote", "forum:thread_slug", "voice:poll", "voice:poll_vote"}
