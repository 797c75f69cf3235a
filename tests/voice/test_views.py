from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone
from django.utils.html import escape

from moderation.models import LogEntry
from tests.voice.conftest import close_now, vote_all
from voice import services
from voice.models import Ballot, Proposal
from tests.conftest import client_for, page_text


def test_rules_page_shows_the_numbered_rules_and_history_their_versions(client, rules):
    page = page_text(client.get("/rules/"))
    assert "1. No sourcing or selling" in page and "4. No shaming" in page and "Version 1" in page
    assert "Version 1" in page_text(client.get("/rules/history/"))


def test_rules_page_without_rules_says_so(client, db):
    assert "No rules are written down yet." in page_text(client.get("/rules/"))


def test_a_member_proposes_votes_and_the_page_shows_turnout_not_the_split(rules, members):
    author = client_for(members[0])
    response = author.post("/proposals/new/", {"kind": "rule_change", "rule": "2", "title": "No personal information",
                                               "text": "Keep everyone's details out, yours too."})
    proposal = Proposal.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/proposals/{proposal.pk}/"
    voter = client_for(members[1])
    assert voter.post(f"/proposals/{proposal.pk}/vote/", {"choice": "disagree"}).status_code == 302
    assert voter.post(f"/proposals/{proposal.pk}/vote/", {"choice": "agree"}).status_code == 302
    assert Ballot.objects.count() == 1
    page = page_text(client_for(members[2]).get(f"/proposals/{proposal.pk}/"))
    assert "1 of 5 eligible members has voted" in page and "agree</th>" not in page
    mine = page_text(voter.get(f"/proposals/{proposal.pk}/vote/"))
    assert "You voted “agree”" in mine
    assert "You voted" not in page_text(client_for(members[2]).get(f"/proposals/{proposal.pk}/vote/"))
    assert proposal.title in page_text(client_for().get("/proposals/"))


@pytest.mark.parametrize(("data", "status", "words"), [
    ({"kind": "rule_add", "title": "Be kind", "text": ""}, 400, services.MSG_RULE_TEXT_EMPTY),
    ({"kind": "rule_add", "title": "Be kind", "text": "y" * 2001}, 400, services.MSG_RULE_TEXT_LONG.format(limit=2000)),
    ({"kind": "recall", "nominee": "member1"}, 400, "member1 isn't a moderator"),
    ({"kind": "election", "nominee": "member1"}, 400, "member1 hasn't said they would stand"),
    ({"kind": "rule_remove", "rule": "42"}, 400, services.MSG_RULE_UNKNOWN),
])
def test_bad_proposals_answer_4xx_with_a_sentence_and_store_nothing(rules, members, data, status, words):
    response = client_for(members[0]).post("/proposals/new/", data)
    assert response.status_code == status and escape(words) in page_text(response)
    assert not Proposal.objects.exists()


def test_not_eligible_and_a_second_proposal_are_refused(settings, rules, members, proposal_factory):
    proposal_factory(author=members[0])
    response = client_for(members[0]).post("/proposals/new/", {"kind": "question", "title": "Again?"})
    assert response.status_code == 409 and "already have a proposal open" in page_text(response)
    settings.VOICE_MIN_AGE_DAYS = 30
    response = client_for(members[1]).post("/proposals/new/", {"kind": "question", "title": "Meet?"})
    assert response.status_code == 403 and "at least 30 days old" in page_text(response)
    assert Proposal.objects.count() == 1


def test_visitors_are_asked_to_log_in(client, rules, members, proposal_factory):
    proposal = proposal_factory(author=members[0])
    assert client.get("/proposals/new/")["Location"].startswith("/accounts/login/")
    assert client.post("/proposals/new/", {"kind": "question", "title": "x"}).status_code == 403
    assert client.post(f"/proposals/{proposal.pk}/vote/", {"choice": "agree"}).status_code == 403
    assert client.post("/proposals/stand/", {"standing": "1"}).status_code == 403
    assert not Ballot.objects.exists() and Proposal.objects.count() == 1


@pytest.mark.parametrize(("data", "status", "words"), [
    ({"choice": "block", "reason": ""}, 400, services.MSG_BLOCK_NEEDS_REASON),
    ({"choice": "maybe"}, 400, services.MSG_CHOICE_UNKNOWN),
    ({"choice": "agree", "reason": "z" * 501}, 400, services.MSG_REASON_LONG.format(limit=500)),
])
def test_bad_votes_answer_4xx_and_store_nothing(rules, members, proposal_factory, data, status, words):
    proposal = proposal_factory(author=members[0])
    response = client_for(members[1]).post(f"/proposals/{proposal.pk}/vote/", data)
    assert response.status_code == status and escape(words) in page_text(response)
    assert not Ballot.objects.exists()


def test_a_vote_after_the_close_is_refused_and_the_first_read_closes_it(rules, members, proposal_factory):
    proposal = proposal_factory(author=members[0])
    vote_all(proposal, members[:3], ["agree"] * 3)
    Proposal.objects.filter(pk=proposal.pk).update(closes_at=timezone.now() - timedelta(seconds=1))
    response = client_for(members[3]).post(f"/proposals/{proposal.pk}/vote/", {"choice": "disagree"})
    assert response.status_code == 409 and escape(services.MSG_VOTE_CLOSED) in page_text(response)
    page = page_text(client_for().get(f"/proposals/{proposal.pk}/"))
    assert "Adopted." in page and "Rule 2 changed" in page
    assert Proposal.objects.get(pk=proposal.pk).agree == 3 and not Ballot.objects.exists()


def test_the_public_log_shows_the_outcome_without_naming_anyone(client, rules, members, proposal_factory):
    services.candidacy_set(peer=members[4], standing=True)
    election = proposal_factory(author=members[0], kind="election", title="", text="", rule=None, nominee=members[4].username)
    vote_all(election, members[:3], ["agree"] * 3)
    close_now(election)
    page = page_text(client.get("/mod/log/"))
    assert "the community" in page and "community vote" in page and "A new moderator was elected." in page
    assert members[4].username not in page


def test_standing_for_moderator(members, rules):
    member = client_for(members[1])
    assert member.post("/proposals/stand/", {"standing": "1"}).status_code == 302
    assert members[1].username in page_text(member.get("/proposals/"))
    assert member.post("/proposals/stand/", {"standing": "0"}).status_code == 302
    assert "I would stand for moderator" in page_text(member.get("/proposals/"))


def test_only_organisers_pull_the_brake(rules, members, organiser, proposal_factory):
    proposal = proposal_factory(author=members[0])
    vote_all(proposal, members[:3], ["agree"] * 3)
    close_now(proposal)
    response = client_for(members[1]).post(f"/proposals/{proposal.pk}/suspend/", {"reason": "no"})
    assert response.status_code == 403 and escape(services.MSG_ORGANISERS_ONLY) in page_text(response)
    assert "emergency brake" in page_text(client_for(organiser).get(f"/proposals/{proposal.pk}/"))
    response = client_for(organiser).post(f"/proposals/{proposal.pk}/suspend/", {"reason": "Rushed; let's take a week."})
    again = Proposal.objects.get(reopens=proposal)
    assert response.status_code == 302 and response["Location"] == f"/proposals/{again.pk}/"
    assert "Rushed; let&#x27;s take a week." in page_text(client_for().get("/mod/log/"))


def test_missing_proposal_is_404(client, db):
    assert client.get("/proposals/999/").status_code == 404


def test_the_decision_form_offers_the_current_rules(rules, moderator_client, other_peer, peer, thread_factory):
    from moderation import services as moderation_services
    from moderation.models import QueueItem

    post = thread_factory(author=other_peer).posts.get()
    moderation_services.report_create(reporter=peer, target_ref=f"post:{post.pk}", reason="harassment")
    item = QueueItem.objects.get()
    page = page_text(moderator_client.get(f"/mod/item/{item.pk}/"))
    assert "3. Respect" in page and "other (say why in the reason)" in page
    response = moderator_client.post(f"/mod/item/{item.pk}/", {"content_action": "hide", "reason": "slur", "rule": "3"})
    assert response.status_code == 302
    assert "Rule 3: Respect" in page_text(Client().get("/mod/log/"))
    assert LogEntry.objects.get(action="hide").rule_number == 3


def test_about_says_how_deciding_works_with_the_settings(client, db, settings):
    settings.VOICE_MIN_AGE_DAYS, settings.VOICE_MIN_POSTS, settings.VOICE_QUORUM_MIN = 30, 5, 10
    page = page_text(client.get("/about/"))
    assert "at least 30 days old, with at least 5 approved posts" in page
    assert "at least 10 people or 10% of those who could vote" in page and "at least two thirds of agree and disagree" in page and "under 10%" in page
    assert "open for 7 days" in page


def test_voting_meets_its_rate_limit(settings, rules, members, proposal_factory):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "voice_vote": (2, 3600)}
    proposal = proposal_factory(author=members[0])
    voter = client_for(members[1])
    for choice in ("agree", "disagree"):
        assert voter.post(f"/proposals/{proposal.pk}/vote/", {"choice": choice}).status_code == 302
    response = voter.post(f"/proposals/{proposal.pk}/vote/", {"choice": "abstain"})
    assert response.status_code == 429 and "a lot of voting" in page_text(response)
    assert list(Ballot.objects.values_list("choice", flat=True)) == ["disagree"]


def test_my_data_holds_my_proposals_and_open_votes_only(rules, members, proposal_factory):
    from peers.export import peer_data_export

    proposal = proposal_factory(author=members[0])
    services.vote_cast(proposal_id=proposal.pk, voter=members[0], choice="agree")
    data = peer_data_export(peer=members[0])
    assert data["proposals"][0]["title"] == proposal.title
    assert data["proposal_votes_open"] == [{"proposal": proposal.pk, "choice": "agree", "reason": ""}]
    vote_all(proposal, members[1:3], ["agree"] * 2)
    close_now(proposal)
    assert peer_data_export(peer=members[0])["proposal_votes_open"] == []
