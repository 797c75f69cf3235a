from datetime import timedelta

import pytest
from django.utils import timezone

from commons.refusals import Refusal
from moderation import services as moderation_services
from moderation.models import Action, LogEntry, Sanction
from peers import roles
from tests.conftest import make_peer
from tests.voice.conftest import close_now, vote_all
from voice import selectors, services
from voice.models import Ballot, BlockReason, Candidacy, Electorate, Proposal, RulesVersion


def _nothing_stored(before: int = 0):
    assert Proposal.objects.count() == before


# --- thresholds --------------------------------------------------------------------------------------


@pytest.mark.parametrize(("totals", "quorum", "expected"), [
    ({"agree": 2, "abstain": 0, "disagree": 1, "block": 0}, 3, True),  # exactly two thirds
    ({"agree": 1, "abstain": 0, "disagree": 1, "block": 0}, 2, False),  # half
    ({"agree": 9, "abstain": 0, "disagree": 0, "block": 1}, 10, False),  # blocks at 10 %: not under
    ({"agree": 10, "abstain": 0, "disagree": 0, "block": 1}, 10, True),  # 1 of 11 is under 10 %
    ({"agree": 2, "abstain": 0, "disagree": 0, "block": 0}, 3, False),  # below the quorum
    ({"agree": 0, "abstain": 3, "disagree": 0, "block": 0}, 3, False),  # abstentions only
    ({"agree": 2, "abstain": 1, "disagree": 0, "block": 0}, 3, True),  # abstain counts for the quorum
])
def test_a_vote_passes_on_quorum_two_thirds_and_few_blocks(totals, quorum, expected):
    assert services.passes(quorum=quorum, **totals) is expected


def test_quorum_is_the_larger_of_ten_people_and_ten_percent(settings):
    settings.VOICE_QUORUM_MIN, settings.VOICE_QUORUM_SHARE = 10, 0.10
    assert services.quorum_for(40) == 10
    assert services.quorum_for(250) == 25
    assert services.quorum_for(251) == 26


# --- proposals and eligibility ----------------------------------------------------------------------


def test_a_proposal_opens_with_its_electorate_and_a_thread_on_the_proposals_board(proposal_factory, members):
    proposal = proposal_factory(author=members[0])
    assert proposal.is_open and proposal.eligible_count == 5 and proposal.quorum == 3
    assert proposal.closes_at - proposal.opened == timedelta(days=7)
    assert set(Electorate.objects.filter(proposal=proposal).values_list("peer_id", flat=True)) == {m.pk for m in members}
    assert proposal.thread.board.slug == "proposals" and proposal.thread.title == "No personal information"


def test_accounts_made_after_a_proposal_opens_cannot_vote_on_it(proposal_factory, members):
    proposal = proposal_factory(author=members[0])
    latecomer = make_peer(username="latecomer")
    with pytest.raises(Refusal) as refused:
        services.vote_cast(proposal_id=proposal.pk, voter=latecomer, choice="agree")
    assert refused.value.http_status == 403 and "fixed when it opened" in refused.value.detail
    assert not Ballot.objects.exists()


def test_young_accounts_and_accounts_with_few_posts_may_not_propose(settings, rules, members, thread_factory):
    settings.VOICE_MIN_AGE_DAYS, settings.VOICE_MIN_POSTS = 30, 2
    author = members[0]
    with pytest.raises(Refusal) as refused:
        services.proposal_create(author=author, kind="question", title="Weekly meet-up?")
    assert refused.value.http_status == 403 and "30 days old with 2 approved posts" in refused.value.detail
    type(author).objects.filter(pk=author.pk).update(date_joined=timezone.now() - timedelta(days=31))
    with pytest.raises(Refusal):  # old enough, too few posts
        services.proposal_create(author=author, kind="question", title="Weekly meet-up?")
    thread_factory(author=author, body="One")
    thread_factory(author=author, body="Two")
    proposal = services.proposal_create(author=author, kind="question", title="Weekly meet-up?")
    assert proposal.eligible_count == 1  # the others are too young


def test_a_suspended_account_is_not_eligible(proposal_factory, members, moderator):
    Sanction.objects.create(peer=members[1], kind="suspend", reason="r", starts=timezone.now(), ends=timezone.now() + timedelta(days=1))
    with pytest.raises(Refusal):
        proposal_factory(author=members[1])
    proposal = proposal_factory(author=members[0])
    assert not Electorate.objects.filter(proposal=proposal, peer=members[1]).exists()
    _nothing_stored(1)


def test_one_open_proposal_per_member(proposal_factory, members):
    proposal_factory(author=members[0])
    with pytest.raises(Refusal) as refused:
        proposal_factory(author=members[0], kind="question", title="Another?", rule=None)
    assert refused.value.http_status == 409 and "already have a proposal open" in refused.value.detail
    _nothing_stored(1)


@pytest.mark.parametrize(("fields", "words"), [
    ({"kind": "rule_add", "title": "Be kind", "text": "   "}, "exact new text"),
    ({"kind": "rule_add", "title": "Be kind", "text": "x" * 2001}, "under 2000"),
    ({"kind": "rule_add", "title": "", "text": "Be kind to each other."}, "title"),
    ({"kind": "rule_change", "rule": 99, "title": "x", "text": "y"}, "no rule with that number"),
    ({"kind": "rule_change", "rule": "two", "title": "x", "text": "y"}, "no rule with that number"),
    ({"kind": "rule_remove", "rule": None}, "no rule with that number"),
    ({"kind": "poll", "title": "x"}, "what kind of proposal"),
    ({"kind": "question", "title": "\u200b"}, "title"),
    ({"kind": "rule_change", "rule": 1, "title": "No sourcing or selling", "text": None}, "reads already"),
])
def test_bad_proposals_are_refused_and_store_nothing(rules, members, fields, words):
    from community.demo import RULES

    if fields.get("text", "") is None:
        fields["text"] = RULES[0][1]
    with pytest.raises(Refusal) as refused:
        services.proposal_create(author=members[0], **fields)
    assert refused.value.http_status == 400 and words in refused.value.detail
    _nothing_stored()


def test_a_proposal_whose_words_would_be_held_is_refused(rules, members, monkeypatch):
    with pytest.raises(Refusal) as refused:
        services.proposal_create(author=members[0], kind="question", title="Meet up?", text="Text me on 555-0134")
    assert "contact details" in refused.value.detail
    _nothing_stored()


def test_an_election_needs_a_nominee_who_has_accepted(proposal_factory, members):
    with pytest.raises(Refusal) as refused:
        proposal_factory(author=members[0], kind="election", title="", text="", rule=None, nominee=members[1].username)
    assert "hasn't said they would stand" in refused.value.detail
    with pytest.raises(Refusal) as refused:
        proposal_factory(author=members[0], kind="election", title="", text="", rule=None, nominee="nobody-here")
    assert "no member with that pseudonym" in refused.value.detail
    _nothing_stored()
    services.candidacy_set(peer=members[1], standing=True)
    proposal = proposal_factory(author=members[0], kind="election", title="", text="", rule=None, nominee=members[1].username)
    assert proposal.title == f"Elect {members[1].username} as a moderator"


def test_a_recall_needs_a_moderator(proposal_factory, members):
    with pytest.raises(Refusal) as refused:
        proposal_factory(author=members[0], kind="recall", title="", text="", rule=None, nominee=members[1].username)
    assert "isn't a moderator" in refused.value.detail
    _nothing_stored()


# --- voting ------------------------------------------------------------------------------------------


def test_voting_twice_changes_the_vote_and_keeps_one_row(proposal_factory, members):
    proposal = proposal_factory(author=members[0])
    assert services.vote_cast(proposal_id=proposal.pk, voter=members[1], choice="agree") is True
    assert services.vote_cast(proposal_id=proposal.pk, voter=members[1], choice="disagree") is False
    assert list(Ballot.objects.values_list("choice", flat=True)) == ["disagree"]
    proposal.refresh_from_db()
    assert proposal.voted_count == 1 and proposal.agree == proposal.disagree == 0  # no split while open


def test_a_block_needs_a_reason(proposal_factory, members):
    proposal = proposal_factory(author=members[0])
    for reason in ("", "   "):
        with pytest.raises(Refusal) as refused:
            services.vote_cast(proposal_id=proposal.pk, voter=members[1], choice="block", reason=reason)
        assert refused.value.http_status == 400 and "A block needs a reason" in refused.value.detail
    with pytest.raises(Refusal):
        services.vote_cast(proposal_id=proposal.pk, voter=members[1], choice="block", reason="x" * 501)
    with pytest.raises(Refusal):
        services.vote_cast(proposal_id=proposal.pk, voter=members[1], choice="maybe")
    assert not Ballot.objects.exists()


def test_voting_after_the_close_is_refused_and_stores_nothing(proposal_factory, members):
    proposal = proposal_factory(author=members[0])
    Proposal.objects.filter(pk=proposal.pk).update(closes_at=timezone.now() - timedelta(seconds=1))
    with pytest.raises(Refusal) as refused:  # due, not yet counted
        services.vote_cast(proposal_id=proposal.pk, voter=members[1], choice="agree")
    assert refused.value.http_status == 409 and "closed" in refused.value.detail
    services.proposal_close(proposal_id=proposal.pk)
    with pytest.raises(Refusal):  # counted
        services.vote_cast(proposal_id=proposal.pk, voter=members[1], choice="agree")
    assert not Ballot.objects.exists()


# --- closing and outcomes ------------------------------------------------------------------------------


def test_an_adopted_rule_change_makes_a_new_version_with_its_diff(proposal_factory, members):
    proposal = proposal_factory(author=members[0])
    vote_all(proposal, members, ["agree", "agree", "agree", "abstain", "disagree"])
    proposal = close_now(proposal)
    assert proposal.status == "adopted" and (proposal.agree, proposal.abstain, proposal.disagree, proposal.block) == (3, 1, 1, 0)
    version = selectors.current_version()
    assert version.number == 2 and version.proposal == proposal
    assert [r.text for r in selectors.current_rules() if r.number == 2] == ["Keep everyone's details out, yours too."]
    change = selectors.rules_history()[0].changes
    assert [(c.number, c.change) for c in change] == [(2, "changed")]
    assert ("+", "Keep everyone's details out, yours too.") in change[0].lines
    assert any(mark == "-" for mark, _ in change[0].lines)
    entry = LogEntry.objects.get(action=Action.VOTE_OUTCOME)
    assert entry.actor is None and entry.subject is None and "Rule 2 changed" in entry.reason
    assert proposal.thread.posts.filter(body__contains="Adopted").exists()


def test_added_rules_get_new_numbers_and_removed_numbers_are_not_reused(proposal_factory, members):
    add = proposal_factory(author=members[0], kind="rule_add", title="Look after each other", text="Check in.", rule=None)
    vote_all(add, members[1:4], ["agree"] * 3)
    assert close_now(add).rule_number == 5
    remove = proposal_factory(author=members[1], kind="rule_remove", title="", text="Said twice", rule=5)
    vote_all(remove, members[:3], ["agree"] * 3)
    close_now(remove)
    again = proposal_factory(author=members[2], kind="rule_add", title="Be patient", text="People learn.", rule=None)
    vote_all(again, members[:3], ["agree"] * 3)
    close_now(again)
    assert [r.number for r in selectors.current_rules()] == [1, 2, 3, 4, 6]
    assert RulesVersion.objects.count() == 4


def test_a_vote_without_quorum_or_with_blocks_is_not_adopted(proposal_factory, members):
    proposal = proposal_factory(author=members[0])
    vote_all(proposal, members[:2], ["agree", "agree"])
    proposal = close_now(proposal)
    assert proposal.status == "not_adopted" and "quorum" in proposal.outcome
    assert RulesVersion.objects.count() == 1
    blocked = proposal_factory(author=members[1], kind="question", title="Meet weekly?", rule=None)
    vote_all(blocked, members, ["agree", "agree", "agree", "agree", "block"])
    blocked = close_now(blocked)
    assert blocked.status == "not_adopted"
    assert list(BlockReason.objects.filter(proposal=blocked).values_list("text", flat=True)) == ["it harms us"]


def test_an_election_gives_the_role_and_a_recall_removes_it(proposal_factory, members):
    nominee = members[4]
    services.candidacy_set(peer=nominee, standing=True)
    election = proposal_factory(author=members[0], kind="election", title="", text="", rule=None, nominee=nominee.username)
    vote_all(election, members[:3], ["agree"] * 3)
    close_now(election)
    nominee = type(nominee).objects.get(pk=nominee.pk)
    assert nominee.is_moderator and not Candidacy.objects.exists()
    recall = proposal_factory(author=members[1], kind="recall", title="", text="", rule=None, nominee=nominee.username)
    vote_all(recall, members[:3], ["agree"] * 3)
    close_now(recall)
    assert not type(nominee).objects.get(pk=nominee.pk).is_moderator
    # The public log names no member.
    assert not LogEntry.objects.filter(subject__isnull=False).exists()
    assert all(nominee.username not in e.reason for e in LogEntry.objects.all())


def test_voice_close_closes_due_votes_once(proposal_factory, members):
    from django.core.management import call_command

    proposal = proposal_factory(author=members[0])
    Proposal.objects.filter(pk=proposal.pk).update(closes_at=timezone.now() - timedelta(seconds=1))
    assert services.proposals_close_due() == 1
    assert services.proposals_close_due() == 0
    call_command("voice_close")
    assert LogEntry.objects.filter(action=Action.VOTE_OUTCOME).count() == 1


def test_a_vote_not_due_is_not_closed(proposal_factory, members):
    proposal = proposal_factory(author=members[0])
    assert services.proposal_close(proposal_id=proposal.pk) is False
    assert Proposal.objects.get(pk=proposal.pk).is_open


# --- the organisers' brake -------------------------------------------------------------------------


def test_an_organiser_suspends_an_outcome_and_a_new_vote_opens(proposal_factory, members, organiser):
    proposal = proposal_factory(author=members[0])
    vote_all(proposal, members[:3], ["agree"] * 3)
    close_now(proposal)
    before = "Keep names, phone numbers"
    assert not selectors.current_rules()[1].text.startswith(before)
    with pytest.raises(Refusal) as refused:
        services.outcome_suspend(proposal_id=proposal.pk, organiser=members[1], reason="x")
    assert refused.value.http_status == 403
    with pytest.raises(Refusal) as refused:
        services.outcome_suspend(proposal_id=proposal.pk, organiser=organiser, reason=" ")
    assert refused.value.http_status == 400
    again = services.outcome_suspend(proposal_id=proposal.pk, organiser=organiser, reason="It was rushed.")
    assert selectors.current_rules()[1].text.startswith(before)
    assert again.is_open and again.reopens_id == proposal.pk and again.thread_id == proposal.thread_id
    assert Proposal.objects.get(pk=proposal.pk).status == "suspended"
    entry = LogEntry.objects.get(action=Action.OUTCOME_SUSPENDED)
    assert entry.actor == organiser and "It was rushed." in entry.public_reason
    with pytest.raises(Refusal) as refused:  # once only
        services.outcome_suspend(proposal_id=proposal.pk, organiser=organiser, reason="again")
    assert refused.value.http_status == 409


# --- decisions rest on a rule -------------------------------------------------------------------------


def test_a_decision_names_a_current_rule_and_the_log_and_notice_show_it(rules, moderator, peer, other_peer, thread_factory):
    from moderation.models import QueueItem
    from peers.models import Notification

    thread = thread_factory(author=other_peer, body="Look at this")
    post = thread.posts.get()
    moderation_services.report_create(reporter=peer, target_ref=f"post:{post.pk}", reason="personal_info")
    item = QueueItem.objects.get(status="open")
    with pytest.raises(Exception) as refused:
        moderation_services.item_decide(item=item, moderator=moderator, content_action="hide", reason="r", rule="9")
    assert "current rules" in str(refused.value)
    with pytest.raises(Exception) as refused:
        moderation_services.item_decide(item=item, moderator=moderator, content_action="dismiss", rule="other")
    assert "say in the reason" in str(refused.value)
    moderation_services.item_decide(item=item, moderator=moderator, content_action="hide", reason="a name", rule="2")
    entry = LogEntry.objects.get(action="hide")
    assert (entry.rule_number, entry.rule_title, entry.rule_label) == (2, "No personal information", "Rule 2: No personal information")
    assert "Under rule 2: No personal information." in Notification.objects.get(recipient=other_peer, kind="moderation").text


def test_a_nominee_who_withdraws_during_the_vote_is_not_made_a_moderator(proposal_factory, members):
    nominee = members[4]
    services.candidacy_set(peer=nominee, standing=True)
    election = proposal_factory(author=members[0], kind="election", title="", text="", rule=None, nominee=nominee.username)
    vote_all(election, members[:3], ["agree"] * 3)
    services.candidacy_set(peer=nominee, standing=False)
    election = close_now(election)
    assert "withdrew" in election.outcome and not type(nominee).objects.get(pk=nominee.pk).is_moderator
