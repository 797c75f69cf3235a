"""The demo shows the product: `peer` is established (its posts publish at once), `newcomer` is pre-moderated,
two moderators can decide appeals, `supporter` can go on duty; seeding twice changes nothing."""

import pytest
from django.apps import apps
from django.core.management import call_command
from django.test import Client

from forum.models import Board, Post
from helpnow import services as helpnow_services
from moderation import services as moderation_services
from moderation.models import Action, Appeal, LogEntry, ModerationStatus
from moderation.trust import is_established
from community.management.commands.seed_demo import DEMO_ACCOUNTS, DEMO_PASSWORD
from peers.models import Peer

pytestmark = pytest.mark.django_db


@pytest.fixture
def production_trust(settings):
    """Pre-moderation as it is out of the box (tests/conftest.py turns it off for other tests)."""
    settings.MODERATION_TRUST_MIN_POSTS = 3
    settings.MODERATION_TRUST_MIN_AGE_HOURS = 24


@pytest.fixture
def demo(production_trust):
    call_command("seed_demo", verbosity=0)


def _everything() -> dict:
    return {model._meta.label: list(model.objects.order_by("pk").values()) for model in apps.get_models()
            if model._meta.label not in ("sessions.Session",)}


def test_seeding_twice_changes_nothing(demo):
    before = _everything()
    call_command("seed_demo", verbosity=0)
    assert _everything() == before


def test_every_demo_account_signs_in_with_the_demo_password(demo):
    assert [name for name, _ in DEMO_ACCOUNTS] == ["organiser", "moderator", "moderator2", "peer", "newcomer", "supporter", "checker"]
    for name, _ in DEMO_ACCOUNTS:
        client = Client()
        response = client.post("/accounts/login/", {"login": name, "password": DEMO_PASSWORD})
        assert response.status_code == 302, name


def _reply(name: str, body: str) -> Post:
    client = Client()
    client.force_login(Peer.objects.get(username=name))
    thread = Board.objects.get(slug="safer-use").threads.order_by("id").first()
    assert client.post(f"/t/{thread.pk}/reply/", {"body": body}).status_code == 302
    return Post.objects.get(body=body)


def test_peer_posts_publish_at_once_and_newcomer_posts_are_held(demo):
    assert is_established(Peer.objects.get(username="peer"))
    assert not is_established(Peer.objects.get(username="newcomer"))
    assert _reply("peer", "Good to see this thread again.").moderation_status == ModerationStatus.APPROVED
    assert _reply("newcomer", "Where do I get test strips?").moderation_status == ModerationStatus.PENDING


def test_the_demo_shows_pre_moderation_and_a_first_decision_in_the_log(demo):
    held = Post.objects.filter(author__username="newcomer", moderation_status=ModerationStatus.PENDING)
    assert held.count() == 1
    entry = LogEntry.objects.get()
    assert (entry.action, entry.actor.username, entry.subject.username) == (Action.APPROVE, "moderator", "newcomer")
    moderator = Client()
    moderator.force_login(Peer.objects.get(username="moderator"))
    assert held.get().body in moderator.get("/mod/").content.decode()
    public = Client().get("/mod/log/").content.decode()
    assert "moderator" in public and "newcomer" not in public.split('<main id="main"', 1)[1].split("</main>")[0]


def test_two_moderators_can_decide_an_appeal(demo):
    newcomer, moderator2 = Peer.objects.get(username="newcomer"), Peer.objects.get(username="moderator2")
    assert moderator2.is_moderator
    entry = moderation_services.sanction_apply(peer=newcomer, action=Action.WARN, moderator=Peer.objects.get(username="moderator"),
                                               reason="demo").log_entry
    appeal = moderation_services.appeal_create(appellant=newcomer, log_entry=entry, text="I didn't know the rule")
    moderation_services.appeal_decide(appeal=appeal, moderator=moderator2, overturn=True, reason="first time, fine")
    assert Appeal.objects.get().status == Appeal.Status.OVERTURNED


def test_supporter_can_go_on_duty(demo):
    supporter = Peer.objects.get(username="supporter")
    assert supporter.has_perm("peers.support") and not supporter.is_moderator
    assert helpnow_services.duty_set(supporter=supporter, on=True)
    client = Client()
    client.force_login(supporter)
    assert client.get("/supporters/").status_code == 200


def test_the_readme_and_the_makefile_list_every_demo_account():
    from django.conf import settings

    readme = (settings.BASE_DIR / "README.md").read_text()
    makefile = (settings.BASE_DIR / "Makefile").read_text()
    for name, _ in DEMO_ACCOUNTS:
        assert f"| `{name}` |" in readme, name
        assert name in makefile.split("Serving on", 1)[1].split("\n", 1)[0], name


def test_checker_publishes_results_and_the_demo_has_recent_ones(demo):
    from checking.models import Result
    from django.utils import timezone

    assert Peer.objects.get(username="checker").has_perm("peers.check_results")
    assert not Peer.objects.get(username="peer").has_perm("peers.check_results")
    newest = Result.objects.order_by("-checked_on").first().checked_on
    assert Result.objects.count() >= 30 and (timezone.localdate() - newest).days == 1
    page = Client().get("/results/").content.decode()
    assert 'data-chart="by-month"' in page and 'data-chart="by-region"' in page


def test_the_demo_has_the_rules_about_implies(demo, client):
    page = client.get("/rules/").content.decode()
    for title in ("1. No sourcing or selling", "2. No personal information", "3. Respect", "4. No shaming"):
        assert title in page
