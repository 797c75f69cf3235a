"""After a vote closes no row anywhere links a voter to a choice; two closers racing produce one outcome."""

import os
import subprocess
import sys
import threading
from datetime import timedelta
from pathlib import Path

import pytest
from django.db import connection
from django.utils import timezone

from community.demo import RULES
from moderation.models import Action, LogEntry
from tests.conftest import make_peer
from tests.voice.conftest import close_now, vote_all
from voice import services
from voice.models import Ballot, Choice, Proposal, RulesVersion

ROOT = Path(__file__).resolve().parents[2]


def _rows_linking(voters: dict[int, str]) -> list:
    """Every row of every table in the database that holds a voter's id in one column and a vote choice as the
    whole value of another: what a link between a person and their choice would look like, wherever it was kept."""
    found = []
    choices = set(Choice.values)
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")
            columns = [c[0] for c in cursor.description]
            for row in cursor.fetchall():
                values = dict(zip(columns, row))
                ids = {v for k, v in values.items() if k.endswith("_id") and v in voters}
                if ids and choices & {v for v in values.values() if isinstance(v, str)}:
                    found.append((table, values))
    return found


def test_after_the_close_no_table_links_a_voter_to_a_choice(proposal_factory, members):
    proposal = proposal_factory(author=members[0])
    vote_all(proposal, members, ["agree", "disagree", "abstain", "block", "agree"])
    voters = {m.pk: m.username for m in members}
    assert len(_rows_linking(voters)) == 5  # while open: the ballots, so a person can change their vote
    close_now(proposal)
    assert _rows_linking(voters) == []
    assert not Ballot.objects.exists()
    proposal.refresh_from_db()
    assert (proposal.agree, proposal.disagree, proposal.abstain, proposal.block) == (2, 1, 1, 1)


def _due_proposal(voters: int = 3) -> Proposal:
    services.rules_seed(rules=RULES)
    people = [make_peer(username=f"racer{i}") for i in range(voters + 1)]
    proposal = services.proposal_create(author=people[0], kind="rule_add", title="Look after each other", text="Check in.")
    vote_all(proposal, people[1:], ["agree"] * voters)
    Proposal.objects.filter(pk=proposal.pk).update(closes_at=timezone.now() - timedelta(seconds=1))
    return proposal


def _close_in_two_threads(close) -> list:
    """Run `close` in two threads released together; what each returned (or the error's name: SQLite may refuse
    the second writer outright, also "not the winner")."""
    barrier, outcomes = threading.Barrier(2), []

    def run():
        try:
            barrier.wait(timeout=5)
            outcomes.append(close())
        except Exception as error:
            outcomes.append(type(error).__name__)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(20)
    return outcomes


def _voice_close_in_two_processes() -> list[tuple[str, str]]:
    """`manage.py voice_close` in two processes started together on this test's PostgreSQL database; each runs the
    command's query and the conditional UPDATE lets one win. Their (stdout, stderr), both having exited 0."""
    settings_dict = connection.settings_dict
    url = (f"postgres://{settings_dict['USER']}:{settings_dict['PASSWORD'] or ''}@{settings_dict['HOST'] or '127.0.0.1'}:"
           f"{settings_dict['PORT'] or 5432}/{settings_dict['NAME']}")
    env = {**os.environ, "DATABASE_URL": url}
    processes = [subprocess.Popen([sys.executable, "manage.py", "voice_close"], cwd=ROOT, env=env,
                                  stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for _ in range(2)]
    outputs = [process.communicate(timeout=60) for process in processes]
    assert all(process.returncode == 0 for process in processes), outputs
    return outputs


def _one_outcome(proposal: Proposal) -> None:
    assert LogEntry.objects.filter(action=Action.VOTE_OUTCOME, target_id=proposal.pk).count() == 1
    assert RulesVersion.objects.count() == 2
    assert Proposal.objects.get(pk=proposal.pk).agree == 3


@pytest.mark.django_db(transaction=True)
def test_two_threads_closing_the_same_vote_make_one_outcome():
    proposal = _due_proposal()
    outcomes = _close_in_two_threads(lambda: services.proposal_close(proposal_id=proposal.pk))
    assert outcomes.count(True) == 1, outcomes
    _one_outcome(proposal)


@pytest.mark.skipif(not os.environ.get("DATABASE_URL", "").startswith("postgres"), reason="two processes share PostgreSQL")
@pytest.mark.django_db(transaction=True)
def test_two_voice_close_processes_make_one_outcome():
    proposal = _due_proposal()
    outputs = _voice_close_in_two_processes()
    assert sorted(out.strip() for out, _ in outputs) == ["Closed 0 votes.", "Closed 1 vote."], outputs
    _one_outcome(proposal)


@pytest.mark.django_db(transaction=True)
def test_a_vote_racing_the_close_is_either_counted_or_refused():
    proposal = _due_proposal()
    late = make_peer(username="racer-late")
    services.rules_seed(rules=RULES)
    from voice.models import Electorate

    Electorate.objects.create(proposal=proposal, peer=late)
    # Open again for a moment so that the vote is allowed up to the close.
    Proposal.objects.filter(pk=proposal.pk).update(closes_at=timezone.now() + timedelta(seconds=30))
    barrier, outcomes = threading.Barrier(2), {}

    def vote():
        try:
            barrier.wait(timeout=5)
            outcomes["vote"] = services.vote_cast(proposal_id=proposal.pk, voter=late, choice="disagree")
        except Exception as error:  # the close came first (Refusal), or SQLite refused the second writer
            outcomes["vote"] = type(error).__name__
        finally:
            connection.close()

    def close():
        try:
            barrier.wait(timeout=5)
            outcomes["close"] = services.proposal_close(proposal_id=proposal.pk, now=timezone.now() + timedelta(minutes=1))
        except Exception as error:
            outcomes["close"] = type(error).__name__
        finally:
            connection.close()

    threads = [threading.Thread(target=vote), threading.Thread(target=close)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(20)
    if outcomes["close"] is not True:  # SQLite turned the close away while the vote wrote: close again
        assert services.proposal_close(proposal_id=proposal.pk, now=timezone.now() + timedelta(minutes=1))
    closed = Proposal.objects.get(pk=proposal.pk)
    assert not Ballot.objects.exists()
    assert closed.disagree == (1 if outcomes["vote"] is True else 0), outcomes
    assert closed.voted_count == 3 + closed.disagree


# --- polls: the same secrecy and the same one winner ---------------------------------------------------------




def _poll_rows_linking(voters: set[int], options: dict[int, str]) -> list:
    """Every row of every table holding a voter's id in a column that points at people, beside an option's id
    in a column that points at poll options, or an option's label as a whole value: a voter tied to a choice."""
    from peers.models import Peer
    from voice.models import PollOption

    people, option_table = Peer._meta.db_table, PollOption._meta.db_table
    found = []
    labels = set(options.values())
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            relations = connection.introspection.get_relations(cursor, table)
            to_people = {c for c, (_, t) in relations.items() if t == people}
            to_options = {c for c, (_, t) in relations.items() if t == option_table}
            if not to_people:
                continue
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")
            columns = [c[0] for c in cursor.description]
            for row in cursor.fetchall():
                values = dict(zip(columns, row))
                if not any(values.get(c) in voters for c in to_people):
                    continue
                if any(values.get(c) in options for c in to_options) or labels & {v for v in values.values() if isinstance(v, str)}:
                    found.append((table, values))
    return found


def _thread_with_poll(voters: int = 3, several: bool = False):
    from forum import services as forum_services
    from forum.models import Board
    from voice import polls

    board = Board.objects.create(slug="polls", title="Polls", description="")
    people = [make_peer(username=f"poller{i}") for i in range(voters + 1)]
    thread = forum_services.thread_create(board=board, author=people[0], title="Naloxone kits", body="Where?")
    poll = polls.poll_create(thread=thread, author=people[0], question="Which kit do you carry?",
                             options=["Nasal spray", "Injectable", "None yet"], several=several,
                             ends=timezone.now() + timedelta(days=1))
    return poll, people


def test_after_a_poll_closes_no_table_links_a_voter_to_a_choice(db, monkeypatch):
    from forum import services as forum_services
    from moderation.screening import Screening
    from voice import polls
    from voice.models import PollBallot, PollOption

    monkeypatch.setattr(forum_services, "screen", lambda **kwargs: Screening())
    poll, people = _thread_with_poll(voters=4, several=True)
    spray, injectable, none_yet = poll.options.all()
    for voter, chosen in zip(people[1:], [[spray.pk], [spray.pk, injectable.pk], [none_yet.pk], [spray.pk]]):
        polls.poll_vote(poll_id=poll.pk, voter=voter, option_ids=chosen)
    voters = {p.pk for p in people}
    options = dict(PollOption.objects.values_list("pk", "label"))
    assert len(_poll_rows_linking(voters, options)) == 5  # while open: one row per chosen option
    Poll = type(poll)
    Poll.objects.filter(pk=poll.pk).update(closes_at=timezone.now() - timedelta(seconds=1))
    assert polls.poll_close(poll_id=poll.pk)
    assert _poll_rows_linking(voters, options) == []
    assert not PollBallot.objects.exists()
    assert list(PollOption.objects.filter(poll=poll).values_list("votes", flat=True)) == [3, 1, 1]
    assert Poll.objects.get(pk=poll.pk).voted_count == 4


def _due_poll():
    from forum import services as forum_services
    from moderation.screening import Screening
    from voice import polls

    original = forum_services.screen
    forum_services.screen = lambda **kwargs: Screening()
    try:
        poll, people = _thread_with_poll()
    finally:
        forum_services.screen = original
    for voter in people[1:]:
        polls.poll_vote(poll_id=poll.pk, voter=voter, option_ids=[poll.options.first().pk])
    type(poll).objects.filter(pk=poll.pk).update(closes_at=timezone.now() - timedelta(seconds=1))
    return poll


def _one_poll_count(poll) -> None:
    from voice.models import Poll, PollBallot, PollOption

    assert Poll.objects.get(pk=poll.pk).status == Poll.Status.CLOSED
    assert list(PollOption.objects.filter(poll=poll).values_list("votes", flat=True)) == [3, 0, 0]
    assert not PollBallot.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_two_threads_closing_the_same_poll_make_one_count():
    from voice import polls

    poll = _due_poll()
    outcomes = _close_in_two_threads(lambda: polls.poll_close(poll_id=poll.pk))
    assert outcomes.count(True) == 1, outcomes
    _one_poll_count(poll)


@pytest.mark.skipif(not os.environ.get("DATABASE_URL", "").startswith("postgres"), reason="two processes share PostgreSQL")
@pytest.mark.django_db(transaction=True)
def test_two_voice_close_processes_close_a_poll_once():
    poll = _due_poll()
    outputs = _voice_close_in_two_processes()
    assert sorted(out.strip() for out, _ in outputs) == ["Closed 0 votes.", "Closed 1 vote."], outputs
    _one_poll_count(poll)
