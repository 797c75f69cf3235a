import pytest
from django.core.management import call_command

from forum.models import Board, Post, Thread
from peers.models import Peer
from rooms.models import Room
from safety.models import DrugAlert


@pytest.fixture
def demo(db):
    call_command("seed_demo", verbosity=0)


def test_seed_demo_is_idempotent_and_complete(demo):
    counts = (Board.objects.count(), Thread.objects.count(), Post.objects.count(), Peer.objects.count())
    call_command("seed_demo", verbosity=0)
    assert (Board.objects.count(), Thread.objects.count(), Post.objects.count(), Peer.objects.count()) == counts
    assert Board.objects.count() >= 4
    assert Post.objects.count() > Thread.objects.count()
    assert Room.objects.get(slug="support").status == Room.Status.LIVE
    assert DrugAlert.objects.count() == 1
    for name in ("organiser", "moderator", "moderator2", "peer", "newcomer", "supporter"):
        assert Peer.objects.get(username=name).check_password("demo-pass-123")
    assert Peer.objects.get(username="moderator").is_moderator
    assert Peer.objects.get(username="organiser").is_organiser
    assert not Peer.objects.get(username="peer").is_moderator


def test_home_shows_boards_live_room_and_alert(client, demo):
    page = client.get("/").content.decode()
    assert "Safer use" in page
    assert "Evening support room" in page
    assert "Xylazine" in page


@pytest.mark.parametrize("path", ["/", "/accounts/login/", "/accounts/signup/", "/accounts/recover/", "/rooms/", "/alerts/"])
def test_every_page_has_quick_exit_and_overdose_help(client, demo, path):
    page = client.get(path).content.decode()
    assert 'id="quick-exit"' in page
    assert 'href="/help/overdose/"' in page
    assert "quick-exit.js" in page
    assert '<main id="main"' in page


@pytest.mark.django_db
def test_demo_content_is_published_even_under_pre_moderation(settings):
    settings.MODERATION_TRUST_MIN_POSTS = 3
    settings.MODERATION_TRUST_MIN_AGE_HOURS = 24
    call_command("seed_demo", verbosity=0)
    # Only `newcomer`'s second reply waits: it shows pre-moderation in the queue (community/management/commands/seed_demo.py).
    assert list(Post.objects.exclude(moderation_status="approved").values_list("author__username", flat=True)) == ["newcomer"]
