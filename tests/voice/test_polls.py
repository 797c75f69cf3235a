"""Polls in threads: adding one, voting, changing a vote, closing on time, and every bad input refused with a
sentence and nothing stored (docs/voice.md, "Polls in threads")."""

from datetime import timedelta

import pytest
from django.utils import timezone
from django.utils.html import escape

from commons.refusals import Refusal
from forum import services as forum_services
from moderation.models import ModerationStatus
from moderation.screening import Screening
from tests.conftest import client_for, make_peer, page_text
from voice import polls
from voice.models import Poll, PollBallot, PollOption


@pytest.fixture(autouse=True)
def _publish_without_screening(monkeypatch):
    """Threads here are published at once (forum's screening is moderation's to test)."""
    monkeypatch.setattr(forum_services, "screen", lambda **kwargs: Screening())


@pytest.fixture
def author(db):
    return make_peer(username="poller")


@pytest.fixture
def thread(thread_factory, author):
    return thread_factory(author=author, title="Where do you get strips", body="Asking for the group.")


def _ends(**delta) -> str:
    return (timezone.localtime(timezone.now() + timedelta(**delta))).strftime("%Y-%m-%dT%H:%M")


def _poll(thread, author, *, options=("Pharmacy", "Outreach van", "Online"), several=False, days=3) -> Poll:
    return polls.poll_create(thread=thread, author=author, question="Where do you get test strips?", options=list(options),
                             several=several, ends=timezone.now() + timedelta(days=days))


def _due(poll: Poll) -> None:
    Poll.objects.filter(pk=poll.pk).update(closes_at=timezone.now() - timedelta(seconds=1))


def _nothing_stored():
    assert not Poll.objects.exists() and not PollOption.objects.exists()


# --- adding a poll ----------------------------------------------------------------------------------------


def test_the_author_adds_a_poll_and_the_thread_page_shows_it(thread, author):
    client = client_for(author)
    assert "Add a poll to your thread" in page_text(client.get(thread.get_absolute_url()))
    response = client.post(f"/t/{thread.pk}/poll/new/", {"question": "Where do you get test strips?",
                                                          "option": ["Pharmacy", "  Outreach   van ", "", ""], "ends": _ends(days=2)})
    assert response.status_code == 302 and response["Location"].endswith("#poll")
    poll = Poll.objects.get()
    assert [o.label for o in poll.options.all()] == ["Pharmacy", "Outreach van"] and not poll.several
    page = page_text(client_for().get(thread.get_absolute_url()))
    assert "Where do you get test strips?" in page and "0 people have voted." in page and "Log in to vote" in page
    assert "Add a poll" not in page_text(client.get(thread.get_absolute_url()))  # one poll a thread


def test_someone_else_cannot_add_a_poll_to_the_thread(thread, other_peer):
    response = client_for(other_peer).post(f"/t/{thread.pk}/poll/new/", {"question": "Q?", "option": ["a", "b"], "ends": _ends(days=1)})
    assert response.status_code == 403 and "Only the person who started this thread can add a poll" in page_text(response)
    assert "Add a poll" not in page_text(client_for(other_peer).get(thread.get_absolute_url()))
    _nothing_stored()


def test_a_visitor_is_sent_to_log_in_and_their_post_refused(thread):
    assert client_for().get(f"/t/{thread.pk}/poll/new/").status_code == 302
    response = client_for().post(f"/t/{thread.pk}/poll/new/", {"question": "Q?", "option": ["a", "b"], "ends": _ends(days=1)})
    assert response.status_code == 403 and "Please log in to add a poll." in page_text(response)
    _nothing_stored()


def test_a_second_poll_and_a_locked_thread_are_refused(thread, author):
    _poll(thread, author)
    with pytest.raises(Refusal) as second:
        _poll(thread, author)
    assert second.value.http_status == 409 and "has a poll already" in second.value.detail
    other = forum_services.thread_create(board=thread.board, author=author, title="Another one", body="Body.")
    type(other).objects.filter(pk=other.pk).update(locked=True)
    other.refresh_from_db()
    with pytest.raises(Refusal) as locked:
        _poll(other, author)
    assert "locked" in locked.value.detail
    assert Poll.objects.count() == 1


ZWSP = "\u200b\u200b"


@pytest.mark.parametrize(("question", "options", "ends", "said"), [
    ("", ["a", "b"], {"days": 1}, "Please write the poll's question."),
    ("   ", ["a", "b"], {"days": 1}, "Please write the poll's question."),
    ("x" * 201, ["a", "b"], {"days": 1}, "Please keep the question under 200 characters."),
    (ZWSP, ["a", "b"], {"days": 1}, "only spaces or invisible characters"),
    ("Q?", ["only one"], {"days": 1}, "A poll needs at least 2 options"),
    ("Q?", ["only one", "", "  "], {"days": 1}, "A poll needs at least 2 options"),
    ("Q?", [f"option {i}" for i in range(51)], {"days": 1}, "A poll can have at most 50 options"),
    ("Q?", ["a", "b" * 101], {"days": 1}, "Please keep each option under 100 characters."),
    ("Q?", ["a", ZWSP], {"days": 1}, "only spaces or invisible characters"),
    ("Q?", ["Yes", "yes "], {"days": 1}, "Two options read the same (“yes”)"),
    ("Q?", ["a", "b"], {"days": -1}, "Please choose an end at least 10 minutes from now."),
    ("Q?", ["a", "b"], {"minutes": 2}, "Please choose an end at least 10 minutes from now."),
    ("Q?", ["a", "b"], {"days": 31}, "Please choose an end within 30 days."),
    ("Q?", ["a", "b"], None, "Please give the date and time the poll ends."),
    ("Call me on 555-0134", ["a", "b"], {"days": 1}, "looks like contact details or selling talk"),
])
def test_bad_polls_are_refused_with_a_sentence_and_nothing_stored(thread, author, question, options, ends, said):
    data = {"question": question, "option": options, "ends": _ends(**ends) if ends else "soon"}
    response = client_for(author).post(f"/t/{thread.pk}/poll/new/", data)
    assert response.status_code == 400, page_text(response)
    assert escape(said) in page_text(response) or said in page_text(response)
    _nothing_stored()


def test_fifty_options_are_allowed(thread, author):
    poll = _poll(thread, author, options=[f"option {i}" for i in range(50)])
    assert poll.options.count() == 50


# --- voting -----------------------------------------------------------------------------------------------


def test_a_member_votes_changes_it_and_the_page_shows_the_count_not_the_split(thread, author, other_peer):
    poll = _poll(thread, author)
    pharmacy, van, _online = poll.options.all()
    voter = client_for(other_peer)
    assert voter.post(f"/t/{thread.pk}/poll/vote/", {"option": pharmacy.pk}).status_code == 302
    assert voter.post(f"/t/{thread.pk}/poll/vote/", {"option": van.pk}).status_code == 302
    assert list(PollBallot.objects.values_list("option_id", flat=True)) == [van.pk]  # changed, no second row
    poll.refresh_from_db()
    assert poll.voted_count == 1
    page = page_text(client_for(author).get(thread.get_absolute_url()))
    assert "1 person has voted." in page and "%</td>" not in page
    mine = page_text(voter.get(thread.get_absolute_url()))
    assert "You have voted." in mine and f'value="{van.pk}" id="poll-option-{van.pk}" checked' in mine


def test_several_choices_in_a_poll_that_allows_them(thread, author, other_peer):
    poll = _poll(thread, author, several=True)
    ids = list(poll.options.values_list("pk", flat=True))
    assert polls.poll_vote(poll_id=poll.pk, voter=other_peer, option_ids=[ids[0], ids[2]]) is True
    assert polls.poll_vote(poll_id=poll.pk, voter=other_peer, option_ids=[ids[1]]) is False
    assert list(PollBallot.objects.values_list("option_id", flat=True)) == [ids[1]]


def test_bad_votes_are_refused_and_nothing_stored(thread, author, other_peer):
    poll = _poll(thread, author)
    other_thread = forum_services.thread_create(board=thread.board, author=author, title="Another", body="Body.")
    elsewhere = _poll(other_thread, author)
    mine = list(poll.options.values_list("pk", flat=True))
    voter = client_for(other_peer)
    cases = [
        ({"option": elsewhere.options.first().pk}, 400, "That option isn't in this poll"),
        ({"option": "x"}, 400, "That option isn't in this poll"),
        ({}, 400, "Please choose an option."),
        ({"option": mine[:2]}, 400, "This poll takes one choice: please choose just one."),
    ]
    for data, status, said in cases:
        response = voter.post(f"/t/{thread.pk}/poll/vote/", data)
        assert response.status_code == status and escape(said) in page_text(response), (data, page_text(response))
    visitor = client_for().post(f"/t/{thread.pk}/poll/vote/", {"option": mine[0]})
    assert visitor.status_code == 403 and "Please log in to vote in this poll." in page_text(visitor)
    assert not PollBallot.objects.exists() and Poll.objects.get(pk=poll.pk).voted_count == 0


def test_voting_after_the_end_is_refused_and_nothing_stored(thread, author, other_peer):
    poll = _poll(thread, author)
    option = poll.options.first()
    _due(poll)
    with pytest.raises(Refusal) as late:
        polls.poll_vote(poll_id=poll.pk, voter=other_peer, option_ids=[option.pk])
    assert late.value.http_status == 409 and "This poll has closed, so nothing was stored." in late.value.detail
    response = client_for(other_peer).post(f"/t/{thread.pk}/poll/vote/", {"option": option.pk})  # the read closed it first
    assert response.status_code == 409 and "This poll has closed, so nothing was stored." in page_text(response)
    assert not PollBallot.objects.exists()
    assert Poll.objects.get(pk=poll.pk).status == Poll.Status.CLOSED


def test_a_poll_in_a_held_thread_is_seen_and_voted_only_by_whom_the_thread_is_visible(board, author, other_peer, moderator):
    thread = forum_services.thread_create(board=board, author=author, title="Held one", body="Body.")
    poll = _poll(thread, author)
    forum_services.post_moderate(post=thread.posts.get(), status=ModerationStatus.PENDING, by=None, reason="held")
    option = poll.options.first()
    for reader in (None, other_peer):
        assert client_for(reader).get(f"/t/{thread.pk}/poll/").status_code == 404
    response = client_for(other_peer).post(f"/t/{thread.pk}/poll/vote/", {"option": option.pk})
    assert response.status_code == 404
    assert not PollBallot.objects.exists()
    assert poll.question in page_text(client_for(author).get(f"/t/{thread.pk}/poll/"))
    assert client_for(moderator).post(f"/t/{thread.pk}/poll/vote/", {"option": option.pk}).status_code == 302


def test_a_thread_without_a_poll_has_no_poll_page(thread):
    assert client_for().get(f"/t/{thread.pk}/poll/").status_code == 404
    assert client_for().get("/t/999999/poll/").status_code == 404


# --- closing ----------------------------------------------------------------------------------------------


def test_the_first_read_of_a_due_poll_closes_it_and_shows_the_totals(thread, author, other_peer):
    poll = _poll(thread, author)
    pharmacy, van, online = poll.options.all()
    third = make_peer(username="third")
    polls.poll_vote(poll_id=poll.pk, voter=other_peer, option_ids=[van.pk])
    polls.poll_vote(poll_id=poll.pk, voter=third, option_ids=[van.pk])
    polls.poll_vote(poll_id=poll.pk, voter=author, option_ids=[pharmacy.pk])
    _due(poll)
    page = page_text(client_for().get(thread.get_absolute_url()))
    assert "3 people voted; the poll ended" in page and "<th scope=\"row\">Outreach van</th><td>2</td><td>67%</td>" in page
    assert [o.votes for o in PollOption.objects.filter(poll=poll)] == [1, 2, 0]
    assert not PollBallot.objects.exists()
    assert polls.poll_close(poll_id=poll.pk) is False  # closed once


def test_voice_close_closes_due_polls(thread, author):
    from django.core.management import call_command
    from io import StringIO

    poll = _poll(thread, author)
    _due(poll)
    out = StringIO()
    call_command("voice_close", stdout=out)
    assert out.getvalue().strip() == "Closed 1 vote."
    assert Poll.objects.get(pk=poll.pk).status == Poll.Status.CLOSED


def test_a_thread_titled_poll_keeps_an_address_of_its_own(board, author):
    thread = forum_services.thread_create(board=board, author=author, title="Poll", body="A thread about polls.")
    assert thread.slug == "poll-thread"
    response = client_for().get(thread.get_absolute_url())
    assert response.status_code == 200 and "A thread about polls." in page_text(response)
    assert client_for().get(f"/t/{thread.pk}/poll/").status_code == 404  # the poll's page: this thread has none


def test_the_data_export_holds_open_poll_votes_only(thread, author, other_peer):
    from django.apps import apps

    poll = _poll(thread, author)
    polls.poll_vote(poll_id=poll.pk, voter=other_peer, option_ids=[poll.options.first().pk])
    exported = apps.get_app_config("voice").export_peer_data(other_peer)
    assert exported["poll_votes_open"] == [{"poll": poll.pk, "option": "Pharmacy"}]
    _due(poll)
    polls.poll_close(poll_id=poll.pk)
    assert apps.get_app_config("voice").export_peer_data(other_peer)["poll_votes_open"] == []


def test_the_poll_and_its_refusals_speak_spanish_and_french(thread, author, other_peer):
    poll = _poll(thread, author)
    page = page_text(client_for(other_peer).get(thread.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="es"))
    assert "Encuesta" in page and "0 personas han votado." in page
    response = client_for(other_peer).post(f"/t/{thread.pk}/poll/vote/", {}, HTTP_ACCEPT_LANGUAGE="fr")
    assert response.status_code == 400 and "Choisis une option." in page_text(response)
    assert not PollBallot.objects.filter(poll=poll).exists()
