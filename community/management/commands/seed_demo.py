"""Demo data for `make run`: boards, threads, a live room, an alert, a little moderation history and six
accounts (README's table): `organiser`, `moderator`, `moderator2` (so appeals can be decided), `peer` (an
established member: its posts publish at once), `newcomer` (a new account: pre-moderated), `supporter`
(can go on duty for "Get help now") and `checker` (publishes drug-checking results; the demo loads
docs/results-sample.csv, moved so its newest result is yesterday).

Idempotent: running it again changes nothing that is already there.
The demo password is for local trials only (see README).
"""

from datetime import timedelta

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import transaction
from django.test.utils import override_settings
from django.utils import timezone

from community.demo import guides_seed, results_seed, rules_seed
from forum import services as forum_services
from forum.models import Board, Post
from moderation import services as moderation_services
from moderation.models import QueueItem, Target
from peers import roles
from peers import services as peer_services
from peers.models import Peer
from rooms import services as room_services
from rooms.models import Room
from safety import services as safety_services
from safety.demo import directory_seed
from safety.guides import GUIDES_BOARD
from safety.models import DrugAlert

DEMO_PASSWORD = "demo-pass-123"
DEMO_ACCOUNTS = [
    ("organiser", roles.ORGANISER),
    ("moderator", roles.MODERATOR),
    ("moderator2", roles.MODERATOR),
    ("peer", roles.MEMBER),
    ("newcomer", roles.MEMBER),
    ("supporter", roles.SUPPORTER),
    ("checker", roles.CHECKER),
]
DEMO_NAMES = ", ".join(name for name, _ in DEMO_ACCOUNTS)
# Members of long standing (joined this long ago); `newcomer` keeps the date it was made on.
ESTABLISHED_DAYS = 45
ESTABLISHED = ("organiser", "moderator", "moderator2", "peer", "supporter", "checker")
# Extra replies by `peer` should it have fewer approved posts than MODERATION_TRUST_MIN_POSTS (an older demo).
PEER_EXTRA_POSTS = ["Checking in: good week so far.", "Thanks all, this board helps.", "Keeping naloxone by the door now."]
NEWCOMER_POSTS = [
    "Hello, I'm new. A friend told me about this place.",  # approved by `moderator`: the log's first entry
    "Is it OK to ask about tapering here? Not sure which board.",  # left waiting in the queue at /mod/
]

BOARDS = [
    ("welcome", "Welcome and introductions", "Say hello, ask how things work here.", Board.Visibility.PUBLIC),
    ("safer-use", "Safer use", "Practical safer-use information, shared peer to peer.", Board.Visibility.PUBLIC),
    ("support", "Support and wellbeing", "Hard days, good days, and everything between.", Board.Visibility.MEMBERS),
    ("community", "Community", "How this place is run: rules, moderation, ideas. Everyone has a say.", Board.Visibility.PUBLIC),
]

THREADS = {
    "welcome": [
        ("peer", "Hi everyone, new here", "Found this place through a friend. Glad there is somewhere to talk without judgement.",
         [("organiser", "Welcome! Have a look around, and the live support room is open most evenings.")]),
    ],
    "safer-use": [
        ("organiser", "Test strips: how we use them", "Fentanyl test strips are a quick check, not a guarantee. **Test every batch**, and use with someone around.",
         [("peer", "Thanks, I did not know you had to dilute the sample first."),
          ("moderator", "Good thread. Pinning the main points into the guides board later.")]),
        ("peer", "Carrying naloxone", "Where do people keep theirs so it is always on hand?",
         [("organiser", "Keychain pouch works for me. Check the expiry date every few months.")]),
    ],
    "support": [
        ("peer", "Rough week", "Just need to say it somewhere. Thanks for reading.",
         [("organiser", "Thanks for sharing. We're here. Want to come to the room tonight?")]),
    ],
    "community": [
        ("moderator", "How moderation works here", "Every moderator action is in the public log at /mod/log/. Anyone can appeal. Rules are discussed in this board.",
         [("peer", "Appreciate that it is all out in the open.")]),
    ],
}


class Command(BaseCommand):
    help = "Load the demo data (idempotent)."

    @transaction.atomic
    def handle(self, *args, **options):
        # Demo content stands for an existing community's history, so it is published as an
        # established member's would be, not held by pre-moderation for brand-new accounts.
        peers = {name: self._account(name, role) for name, role in DEMO_ACCOUNTS}
        with override_settings(MODERATION_TRUST_MIN_POSTS=0, MODERATION_TRUST_MIN_AGE_HOURS=0):
            self._seed(peers)
        self._peer_established(peers["peer"])
        self._newcomer_posts(peers)
        self.stdout.write(self.style.SUCCESS(f"Demo data ready (accounts: {DEMO_NAMES}; password {DEMO_PASSWORD})."))

    def _seed(self, peers):
        for position, (slug, title, description, visibility) in enumerate(BOARDS):
            board, _ = Board.objects.get_or_create(
                slug=slug, defaults={"title": title, "description": description, "position": position, "visibility": visibility}
            )
            if not board.threads.exists():
                for author, thread_title, body, replies in THREADS.get(slug, []):
                    thread = forum_services.thread_create(board=board, author=peers[author], title=thread_title, body=body)
                    for reply_author, reply_body in replies:
                        forum_services.post_create(thread=thread, author=peers[reply_author], body=reply_body)
        if not Room.objects.filter(slug="support").exists():
            room_services.room_create(
                slug="support", title="Evening support room", host=peers["organiser"], status=Room.Status.LIVE,
                topic="Drop in, say how you're doing, or just read along.",
                rules="Be kind. No sourcing. Keep other people's details private.",
            )
        guides_board, _ = Board.objects.get_or_create(
            slug=GUIDES_BOARD[0], defaults={"title": GUIDES_BOARD[1], "description": GUIDES_BOARD[2], "position": len(BOARDS), "moderators_only": True}
        )
        guides_seed(board=guides_board, author=peers["moderator"])
        rules_seed()
        directory_seed(moderator=peers["moderator"])
        results_seed()
        if not DrugAlert.objects.exists():
            safety_services.alert_create(
                author=peers["moderator"], substance="Fentanyl", summary="Xylazine found in fentanyl samples; wounds and heavier sedation reported.",
                region="Downtown", severity=DrugAlert.Severity.DANGER, source=DrugAlert.Source.DRUG_CHECKING,
            )

    def _account(self, name: str, role: str) -> Peer:
        peer = Peer.objects.filter(username=name).first()
        if peer is None:
            peer = Peer.objects.create_user(username=name, password=DEMO_PASSWORD)
            peer_services.peer_onboard(peer=peer)
        peer_services.role_grant(peer=peer, role=role)
        joined_by = timezone.now() - timedelta(days=ESTABLISHED_DAYS)
        if name in ESTABLISHED and peer.date_joined > joined_by:  # once: a later run finds it older already
            peer.date_joined = joined_by
            peer.save(update_fields=["date_joined"])
        return peer

    def _peer_established(self, peer: Peer) -> None:
        """`peer` publishes at once: old enough (above), and enough approved posts (the threads above give 5)."""
        needed = int(settings.MODERATION_TRUST_MIN_POSTS) - Post.objects.approved().filter(author=peer).count()
        if needed <= 0:
            return
        thread = Board.objects.get(slug="welcome").threads.order_by("id").first()
        with override_settings(MODERATION_TRUST_MIN_POSTS=0, MODERATION_TRUST_MIN_AGE_HOURS=0):
            for body in PEER_EXTRA_POSTS[:needed]:
                forum_services.post_create(thread=thread, author=peer, body=body)

    def _newcomer_posts(self, peers) -> None:
        """Pre-moderation at work: two replies by `newcomer`, held as every new account's are; `moderator`
        approved the first (the public log's first entry), the second waits in the queue."""
        newcomer = peers["newcomer"]
        if Post.objects.filter(author=newcomer).exists():
            return
        thread = Board.objects.get(slug="welcome").threads.order_by("id").first()
        first = forum_services.post_create(thread=thread, author=newcomer, body=NEWCOMER_POSTS[0])
        forum_services.post_create(thread=thread, author=newcomer, body=NEWCOMER_POSTS[1])
        if not first.is_pending:  # pre-moderation turned off (MODERATION_TRUST_MIN_POSTS=0): nothing to decide
            return
        item = QueueItem.objects.get(target_kind=Target.POST, target_id=first.pk, status=QueueItem.Status.OPEN)
        moderation_services.item_decide(item=item, moderator=peers["moderator"], content_action="approve")
