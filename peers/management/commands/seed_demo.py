"""Demo data for `make run`: boards, threads, a live room, an alert and three accounts.

Idempotent: running it again changes nothing that is already there.
The demo password is for local trials only (see README).
"""

from django.core.management.base import BaseCommand
from django.db import transaction
from django.test.utils import override_settings

from forum import services as forum_services
from forum.models import Board
from peers import roles
from peers import services as peer_services
from peers.models import Peer
from rooms import services as room_services
from rooms.models import Room
from safety import services as safety_services
from safety.demo import GUIDES_BOARD, directory_seed, guides_seed
from safety.models import DrugAlert

DEMO_PASSWORD = "demo-pass-123"
DEMO_ACCOUNTS = [("organiser", roles.ORGANISER), ("moderator", roles.MODERATOR), ("peer", roles.MEMBER)]

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
        with override_settings(MODERATION_TRUST_MIN_POSTS=0, MODERATION_TRUST_MIN_AGE_HOURS=0):
            self._seed()
        self.stdout.write(self.style.SUCCESS("Demo data ready (accounts: organiser, moderator, peer; password demo-pass-123)."))

    def _seed(self):
        peers = {name: self._account(name, role) for name, role in DEMO_ACCOUNTS}
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
        directory_seed(moderator=peers["moderator"])
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
        return peer
