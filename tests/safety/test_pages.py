"""About page, the Guides board and directory in seed_demo."""

import pytest
from django.core.management import call_command

from forum.models import Board
from safety.demo import DEMO_SERVICES, STALE_DEMO_NAME
from safety.guides import GUIDES
from safety.models import ServiceEntry
from safety.overdose import mentions_overdose

pytestmark = pytest.mark.django_db


def test_about_states_principles_and_how_members_shape_the_rules(client):
    page = client.get("/about/").content.decode()
    assert "We meet people where they are." in page
    for link in ('href="/mod/log/"', 'href="/b/community/"', 'href="/help/overdose/"'):
        assert link in page
    assert "appeal" in page
    lowered = page.lower()
    # Those words appear only in quotes, as words we don't use.
    assert lowered.count("addict") == lowered.count('"addicts"') == 1
    assert lowered.count("abuser") == lowered.count('"abusers"') == 1


def test_seed_demo_adds_pinned_guides_and_a_directory_idempotently(client):
    call_command("seed_demo", verbosity=0)
    call_command("seed_demo", verbosity=0)
    guides = Board.objects.get(slug="guides")
    threads = guides.threads.all()
    assert sorted(thread.title for thread in threads) == sorted(title for title, _ in GUIDES)
    assert all(thread.pinned for thread in threads)
    assert ServiceEntry.objects.count() == len(DEMO_SERVICES)
    assert ServiceEntry.objects.get(name=STALE_DEMO_NAME).is_stale
    page = client.get("/b/guides/").content.decode()
    assert "Naloxone: carry it, know it, share it" in page


def test_guides_cover_every_strategy_in_our_own_words():
    titles = " ".join(title for title, _ in GUIDES).lower()
    for topic in ("supervised consumption", "syringe", "medications", "naloxone", "good samaritan", "jail", "release", "abstinence"):
        assert topic in titles, topic
    for title, body in GUIDES:
        assert len(body) < 2000, title  # short
        assert "addict" not in body.lower() and "abuser" not in body.lower()
        assert not mentions_overdose(body), title  # a guide should not trigger the emergency card
