"""The XSS corpus (issue 13): every known payload in xss_payloads.txt through every field a person writes and
another person reads, and the page (or socket frame) that shows it to them parsed as HTML: no script
element of ours is joined by another, no on* attribute, no javascript:/vbscript:/data: URL, no frame,
object, embed or base element. Held content is read as a moderator too (moderators see it), so screening
cannot hide a payload from the check.

Kept fast: payloads are written through the services, and each list page shows many of them at once.
"""

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from asgiref.sync import sync_to_async
from channels.routing import URLRouter
from channels.testing import WebsocketCommunicator
from django.test import Client

from forum import services as forum_services
from forum.models import CONTENT_WARNING_MAX_LENGTH, TITLE_MAX_LENGTH
from helpnow import services as help_services
from moderation import services as mod_services
from moderation.models import Action
from peers import roles
from peers import services as peer_services
from rooms import services as room_services
from rooms.models import TITLE_MAX_LENGTH as ROOM_TITLE_MAX_LENGTH
from rooms.models import Room
from rooms.routing import websocket_urlpatterns
from safety import services as safety_services
from safety.models import ServiceKind
from tests.conftest import make_peer

PAYLOADS = [
    line.replace("\\n", "\n").replace("\\t", "\t")
    for line in (Path(__file__).parent / "xss_payloads.txt").read_text().splitlines()
    if line.strip() and not line.startswith("# ")
]
NO_LIMITS = {name: (10**6, 3600) for name in (
    "forum_post", "forum_post_new", "profile_edit", "room_manage", "room_message", "alert_post", "service_suggest",
    "report", "appeal", "moderator_action", "help_request", "help_action",
)}

_SCRIPT_SCHEMES = ("javascript:", "vbscript:", "data:text/html", "data:image/svg", "data:application", "data:text/xml")
_URL_ATTRIBUTES = {"href", "src", "action", "formaction", "xlink:href", "data", "background", "poster", "lowsrc", "dynsrc", "codebase"}
_FORBIDDEN_TAGS = {"iframe", "frame", "frameset", "object", "embed", "applet", "base", "isindex", "portal"}
_IGNORED_IN_URLS = re.compile(r"[\x00-\x20\x7f-\x9f]")


class _Scanner(HTMLParser):
    """What a browser would run in a page: script elements, handlers, script URLs, frames."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.problems: list[str] = []
        self._script_is_ours = True
        self._in_script = False

    def handle_starttag(self, tag, attrs):
        values = {name.lower(): value or "" for name, value in attrs}
        if tag == "script":
            self._in_script = True
            if not values.get("src", "").startswith("/static/"):
                self.problems.append(f"a script element: <script {attrs}>")
        if tag in _FORBIDDEN_TAGS:
            self.problems.append(f"a <{tag}> element")
        if tag == "link" and not values.get("href", "").startswith("/"):
            self.problems.append(f"a link to another host: {values.get('href')}")
        if tag == "meta" and "http-equiv" in values and values["http-equiv"].lower() == "refresh":
            self.problems.append("a meta refresh")
        for name, value in values.items():
            if name.startswith("on"):
                self.problems.append(f"an event handler: {name}={value!r} on <{tag}>")
            if name in _URL_ATTRIBUTES and _IGNORED_IN_URLS.sub("", value).lower().startswith(_SCRIPT_SCHEMES):
                self.problems.append(f"a script URL: {name}={value!r} on <{tag}>")
            if name == "srcdoc":
                self.problems.append(f"srcdoc on <{tag}>")
            if name == "style" and re.search(r"expression\s*\(|javascript:|url\s*\(", value, re.IGNORECASE):
                self.problems.append(f"a style that runs or loads: {value!r}")

    handle_startendtag = handle_starttag

    def handle_endtag(self, tag):
        if tag == "script":
            self._in_script = False

    def handle_data(self, data):
        if self._in_script and data.strip():
            self.problems.append(f"inline script: {data[:80]!r}")


def assert_inert(html: str, where: str) -> None:
    scanner = _Scanner()
    scanner.feed(html)
    scanner.close()
    assert not scanner.problems, f"{where}: {scanner.problems[:3]}"


def _page(client: Client, path: str) -> str:
    response = client.get(path)
    assert response.status_code == 200, (path, response.status_code)
    return response.content.decode()


def _readers(*people) -> list[Client]:
    """A visitor and each of `people` (a moderator among them sees held content too)."""
    clients = [Client()]
    for person in people:
        client = Client()
        client.force_login(person)
        clients.append(client)
    return clients


def _fits(limit: int) -> list[str]:
    return [payload for payload in PAYLOADS if len(" ".join(payload.split())) <= limit]


@pytest.fixture(autouse=True)
def _no_limits(settings):
    settings.RATE_LIMITS = NO_LIMITS


@pytest.fixture
def moderator2(db):
    return make_peer(roles.MODERATOR, username="mod-birch")


def test_the_corpus_holds_at_least_150_payloads():
    assert len(PAYLOADS) >= 150
    assert len(set(PAYLOADS)) == len(PAYLOADS)


@pytest.mark.django_db
def test_post_bodies_and_search_snippets(board, peer, other_peer, moderator):
    thread = forum_services.thread_create(board=board, author=peer, title="Corpus", body="zqxj first")
    for payload in PAYLOADS:
        forum_services.post_create(thread=thread, author=other_peer, body=f"zqxj {payload}")
    pages = range(1, len(PAYLOADS) // 30 + 3)
    for client in _readers(peer, moderator):
        for page in pages:
            assert_inert(_page(client, f"/t/{thread.pk}/{thread.slug}/?page={page}"), f"thread page {page}")
        for page in range(1, len(PAYLOADS) // 20 + 2):
            assert_inert(_page(client, f"/search/?q=zqxj&page={page}"), f"search page {page}")


@pytest.mark.django_db
def test_thread_titles(board, peer, moderator):
    threads = [forum_services.thread_create(board=board, author=peer, title=payload, body="body")
               for payload in _fits(TITLE_MAX_LENGTH) if len(payload.strip()) >= 3]
    visitor, moderator_client = _readers(moderator)
    for page in range(1, len(threads) // 25 + 2):
        for client in (visitor, moderator_client):
            assert_inert(_page(client, f"/b/{board.slug}/?page={page}"), f"board page {page}")
    assert_inert(_page(visitor, "/"), "home")
    for thread in threads:  # a title screening holds is read by the moderator only (anyone else: 404)
        readers = (moderator_client,) if thread.moderation_status != "approved" else (visitor, moderator_client)
        for client in readers:
            assert_inert(_page(client, f"/t/{thread.pk}/{thread.slug}/"), f"thread {thread.pk}")


@pytest.mark.django_db
def test_content_warnings(board, peer, other_peer, moderator):
    thread = forum_services.thread_create(board=board, author=peer, title="Corpus", body="body")
    for payload in _fits(CONTENT_WARNING_MAX_LENGTH):
        forum_services.post_create(thread=thread, author=other_peer, body="body", content_warning=payload)
    for client in _readers(moderator):
        for page in range(1, len(PAYLOADS) // 30 + 3):
            assert_inert(_page(client, f"/t/{thread.pk}/{thread.slug}/?page={page}"), f"thread page {page}")


@pytest.mark.django_db
def test_bios(peer, other_peer, moderator):
    visitor, other, moderator_client = _readers(other_peer, moderator)
    for payload in PAYLOADS:
        peer_services.profile_update(peer=peer, bio=payload)
        for client in (visitor, moderator_client):  # the moderator also sees a held bio
            assert_inert(_page(client, f"/u/{peer.username}/"), f"profile with bio {payload!r}")
        peer.refresh_from_db()


@pytest.mark.django_db
def test_room_titles_topics_and_rules(organiser, peer, moderator):
    """Each payload as a new room's title, topic and rules (held ones are shown to hosts and moderators), and as
    an edit of a public room (held edits wait in the room's pending texts, shown to its hosts)."""
    rooms = []
    for n, payload in enumerate(PAYLOADS):
        title = " ".join(payload.split())[:ROOM_TITLE_MAX_LENGTH] or "Corpus"
        rooms.append(room_services.room_create(slug=f"new-{n}", title=title, topic=payload[:300], rules=payload, host=organiser))
        public = room_services.room_create(slug=f"edit-{n}", title="Corpus", host=organiser)
        rooms.append(room_services.room_update(room=public, by=organiser, title=title, topic=payload[:300], rules=payload))
    visitor, member, host, moderator_client = _readers(peer, organiser, moderator)
    for client in (visitor, member, host, moderator_client):
        assert_inert(_page(client, "/rooms/"), "room list")
    for room in rooms:
        # A new room that passed shows its texts where a public edit shows them: read the edits always, the
        # new rooms when held (their texts then show in those same places, to hosts, under a banner).
        if room.slug.startswith("edit-") or not room.is_approved:
            assert_inert(_page(host, f"/rooms/{room.slug}/"), f"room {room.slug} as its host")
    for page in range(1, 4):
        assert_inert(_page(moderator_client, f"/mod/?page={page}"), f"queue page {page} with held rooms")


@pytest.mark.django_db(transaction=True)
async def test_chat_messages_through_the_socket(organiser, peer, other_peer):
    room = await sync_to_async(room_services.room_create)(slug="corpus", title="Corpus", host=organiser, status=Room.Status.LIVE)
    router = URLRouter(websocket_urlpatterns)
    sender = WebsocketCommunicator(router, f"/ws/rooms/{room.slug}/")
    sender.scope["user"] = peer
    host = WebsocketCommunicator(router, f"/ws/rooms/{room.slug}/")  # hosts receive held messages too
    host.scope["user"] = organiser
    for communicator in (sender, host):
        assert (await communicator.connect())[0]
    received = 0
    for n, payload in enumerate(PAYLOADS):
        if not payload.strip():
            continue
        await sender.send_json_to({"type": "message", "body": payload, "client_id": f"c{n}"})
        frame = await host.receive_json_from(timeout=5)
        while frame["type"] != "message":
            frame = await host.receive_json_from(timeout=5)
        assert_inert(frame["body_html"], f"chat frame for {payload!r}")
        received += 1
    assert received >= 150
    for communicator in (sender, host):
        await communicator.disconnect()


@pytest.mark.django_db
def test_alert_texts(moderator, peer):
    for payload in PAYLOADS:
        text = " ".join(payload.split())
        if not text:
            continue
        safety_services.alert_create(author=moderator, substance=text[:100], summary=text[:300], region=text[:100],
                                     severity="danger", source="peer", days=7)
    for client in _readers(peer, moderator):
        assert_inert(_page(client, "/alerts/"), "alerts page")
        assert_inert(_page(client, "/"), "home with the alert banner")
    for page in (1, 2, 3, 4, 5, 6):
        assert_inert(Client().get(f"/alerts/archive/?page={page}").content.decode(), "archive")


@pytest.mark.django_db
def test_service_suggestions(peer, moderator):
    for payload in PAYLOADS:
        text = " ".join(payload.split())
        if not text:
            continue
        safety_services.service_suggest(author=peer, kind=ServiceKind.NALOXONE, name=text[:120], region=text[:100],
                                        contact=text[:200], hours=text[:200], notes=payload[:1000], comment=text[:500])
    moderator_client = _readers(moderator)[1]
    assert_inert(_page(moderator_client, "/services/review/"), "the moderators' review page")
    from safety.models import ServiceSuggestion

    for suggestion in ServiceSuggestion.objects.all():
        safety_services.suggestion_accept(suggestion=suggestion, by=moderator)
    for page in range(1, len(PAYLOADS) // 40 + 2):
        assert_inert(_page(Client(), f"/services/?page={page}"), f"directory page {page}")


@pytest.mark.django_db
def test_report_texts(board, other_peer, moderator, settings):
    """Twenty reporters on each of a few posts: one item page shows every report's words."""
    settings.MODERATION_REPORT_THRESHOLD = 1000  # else the third report hides the post from the next reporter
    thread = forum_services.thread_create(board=board, author=other_peer, title="Corpus", body="body")
    reporters = [make_peer() for _ in range(20)]
    for start in range(0, len(PAYLOADS), len(reporters)):
        post = forum_services.post_create(thread=thread, author=other_peer, body=f"post {start}")
        for reporter, payload in zip(reporters, PAYLOADS[start:start + len(reporters)]):
            mod_services.report_create(reporter=reporter, target_ref=f"post:{post.pk}", reason="other", text=payload or "x")
    moderator_client = _readers(moderator)[1]
    assert_inert(_page(moderator_client, "/mod/"), "queue")
    from moderation.models import QueueItem

    for item in QueueItem.objects.all():
        assert_inert(_page(moderator_client, f"/mod/item/{item.pk}/"), f"queue item {item.pk}")


@pytest.mark.django_db
def test_appeal_texts(peer, moderator, moderator2):
    for payload in PAYLOADS:
        if not payload.strip():
            continue
        sanction = mod_services.sanction_apply(peer=peer, action=Action.WARN, moderator=moderator, reason="corpus")
        mod_services.appeal_create(appellant=peer, log_entry=sanction.log_entry, text=payload)
    assert_inert(_page(_readers(moderator2)[1], "/mod/appeals/"), "the moderators' appeals page")
    assert_inert(_page(_readers(peer)[1], "/appeal/"), "the person's own decisions")


@pytest.mark.django_db
def test_help_request_answers_and_handover_notes(moderator):
    supporter = make_peer(roles.SUPPORTER, username="sup-lee")
    help_services.duty_set(supporter=supporter, on=True)
    supporter_client, moderator_client = _readers(supporter, moderator)[1:]
    for start in range(0, len(PAYLOADS), 50):
        batch = PAYLOADS[start:start + 50]
        requests = [help_services.request_create(requester=make_peer(), happening=payload[:1000], would_help=payload[:1000])
                    for payload in batch]
        assert_inert(_page(supporter_client, "/supporters/"), "the supporters' board")  # answers that passed
        for help_request in requests:
            help_request.refresh_from_db()
            if not help_request.answers_public:  # held answers: the person and moderators read them
                assert_inert(_page(moderator_client, help_request.get_absolute_url()), "a conversation page")
            help_services.request_end(help_request=help_request, by=help_request.requester)
    claimed = help_services.request_create(requester=make_peer(), happening="hello")
    help_services.request_claim(help_request=claimed, supporter=supporter)
    help_services.request_resolve(help_request=claimed, by=supporter, note=PAYLOADS[0])
    assert_inert(_page(supporter_client, "/supporters/"), "the board with a handover note")


def test_the_scanner_finds_what_it_looks_for():
    for html in ['<script>alert(1)</script>', '<img src=x onerror=alert(1)>', '<a href="jav&#x09;ascript:alert(1)">x</a>',
                 '<iframe src=x></iframe>', '<p style="background:url(javascript:alert(1))">', '<a href=" data:text/html,x">']:
        with pytest.raises(AssertionError):
            assert_inert(html, "sample")
    assert_inert('<script src="/static/js/app.js"></script><a href="https://example.org" rel="nofollow">x</a>', "ours")
