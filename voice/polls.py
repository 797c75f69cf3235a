"""Polls in threads, on the voting core that proposals use (voice.core; docs/voice.md, "Polls in threads").

The thread's author adds one poll to their own thread. Anyone signed in who can read the thread may vote, and
change their vote until the end; the page shows how many have voted while it is open and the totals once it
closes. A PollBallot is the only link of a person to a choice, deleted in the transaction that counts it.
Every refusal is a commons.refusals.Refusal with a sentence the person can act on, raised before anything is
stored.
"""

from datetime import datetime, timedelta

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from commons.limits import limit_use
from commons.refusals import Refusal
from commons.text import validate_visible
from forum.models import Thread
from moderation.sanctions import active_restriction
from moderation.screening import hold_codes
from moderation.trust import is_new_account
from peers.models import Peer
from voice import core
from voice.models import POLL_OPTION_MAX, POLL_OPTIONS_MAX, POLL_OPTIONS_MIN, POLL_QUESTION_MAX, Poll, PollBallot, PollOption

MSG_NOT_AUTHOR = _("Only the person who started this thread can add a poll to it.")
MSG_ALREADY = _("This thread has a poll already: a thread carries one poll.")
MSG_LOCKED = _("This thread is locked, so it can't take a poll.")
MSG_QUESTION_EMPTY = _("Please write the poll's question.")
MSG_QUESTION_LONG = _("Please keep the question under %(max)d characters.")
MSG_TOO_FEW = _("A poll needs at least %(min)d options: please add another.")
MSG_TOO_MANY = _("A poll can have at most %(max)d options: please leave some out.")
MSG_OPTION_LONG = _("Please keep each option under %(max)d characters.")
MSG_OPTION_TWICE = _("Two options read the same (“%(label)s”): please make each one different.")
MSG_INVISIBLE = _("The question or an option has only spaces or invisible characters in it, so nobody could read it. Please write something visible.")
MSG_END_MISSING = _("Please give the date and time the poll ends.")
MSG_END_PAST = _("Please choose an end at least %(minutes)d minutes from now.")
MSG_END_FAR = _("Please choose an end within %(days)d days.")
MSG_HELD = _("Something in your poll looks like contact details or selling talk, which would be held for a moderator. "
             "Please take that out and send it again.")
MSG_CLOSED = _("This poll has closed, so nothing was stored. The totals are on the thread.")
MSG_CHOOSE = _("Please choose an option.")
MSG_NOT_AN_OPTION = _("That option isn't in this poll: please choose from its list.")
MSG_ONE_ONLY = _("This poll takes one choice: please choose just one.")
END_MIN_MINUTES = 10
NO_POLL_CACHE_SECONDS = 300


def max_days() -> int:
    return int(getattr(settings, "VOICE_POLL_MAX_DAYS", 30))


def _cleaned_options(options) -> list[str]:
    """The options as typed, spaces tidied; blank boxes left out (the form offers more boxes than most polls
    need). A box of invisible characters is kept, so that it is refused with its reason."""
    return [" ".join(str(raw).split()) for raw in options if str(raw or "").strip()]


def _end(ends) -> datetime:
    """The end time: a datetime, or "YYYY-MM-DDTHH:MM" in the reader's time zone (commons.zones)."""
    if isinstance(ends, str):
        try:
            ends = datetime.fromisoformat(ends.strip())
        except ValueError:
            raise Refusal("invalid", str(MSG_END_MISSING)) from None
    if not isinstance(ends, datetime):
        raise Refusal("invalid", str(MSG_END_MISSING))
    if timezone.is_naive(ends):
        ends = timezone.make_aware(ends, timezone.get_current_timezone())
    now = timezone.now()
    if ends < now + timedelta(minutes=END_MIN_MINUTES):
        raise Refusal("invalid", str(MSG_END_PAST) % {"minutes": END_MIN_MINUTES})
    if ends > now + timedelta(days=max_days()):
        raise Refusal("invalid", str(MSG_END_FAR) % {"days": max_days()})
    return ends


def _validated(question: str, options) -> tuple[str, list[str]]:
    question = " ".join(str(question or "").split())
    try:
        validate_visible(question)
        labels = _cleaned_options(options or [])
        for label in labels:
            validate_visible(label)
    except ValidationError:
        raise Refusal("invalid", str(MSG_INVISIBLE)) from None
    if not question.strip():
        raise Refusal("invalid", str(MSG_QUESTION_EMPTY))
    if len(question) > POLL_QUESTION_MAX:
        raise Refusal("invalid", str(MSG_QUESTION_LONG) % {"max": POLL_QUESTION_MAX})
    if len(labels) < POLL_OPTIONS_MIN:
        raise Refusal("invalid", str(MSG_TOO_FEW) % {"min": POLL_OPTIONS_MIN})
    if len(labels) > POLL_OPTIONS_MAX:
        raise Refusal("invalid", str(MSG_TOO_MANY) % {"max": POLL_OPTIONS_MAX})
    seen = set()
    for label in labels:
        if len(label) > POLL_OPTION_MAX:
            raise Refusal("invalid", str(MSG_OPTION_LONG) % {"max": POLL_OPTION_MAX})
        if label.casefold() in seen:
            raise Refusal("invalid", str(MSG_OPTION_TWICE) % {"label": label})
        seen.add(label.casefold())
    return question, labels


def _may_write(peer: Peer) -> None:
    restriction = active_restriction(peer)
    if restriction is not None:
        raise Refusal("forbidden", restriction.message)


@transaction.atomic
def poll_create(*, thread: Thread, author: Peer, question: str, options, several: bool = False, ends) -> Poll:
    """Add a poll to `author`'s own thread. Refusal, storing nothing, for anyone else, a second poll, a locked
    thread, or a bad question, option or end."""
    if thread.author_id is None or thread.author_id != author.pk:
        raise Refusal("forbidden", str(MSG_NOT_AUTHOR))
    Thread.objects.select_for_update().filter(pk=thread.pk).first()  # two tabs at once: one poll
    if Poll.objects.filter(thread=thread).exists():
        raise Refusal("taken", str(MSG_ALREADY))
    if thread.locked:
        raise Refusal("closed", str(MSG_LOCKED))
    _may_write(author)
    question, labels = _validated(question, options)
    closes_at = _end(ends)
    if hold_codes("\n".join([question, *labels]), new_account=is_new_account(author)):
        # The poll shows to everyone who reads the thread at once; held words must not.
        raise Refusal("invalid", str(MSG_HELD))
    limit_use("voice_poll", author.pk)
    cache.delete(_no_poll_key(thread.pk))
    transaction.on_commit(lambda: cache.delete(_no_poll_key(thread.pk)))  # a read meanwhile may have remembered "none"
    poll = Poll.objects.create(thread=thread, question=question, several=bool(several), closes_at=closes_at)
    PollOption.objects.bulk_create(PollOption(poll=poll, position=i, label=label) for i, label in enumerate(labels, start=1))
    return poll


def _chosen(poll: Poll, option_ids) -> list[int]:
    ids = []
    for raw in option_ids or []:
        try:
            ids.append(int(str(raw).strip()))
        except ValueError:
            raise Refusal("invalid", str(MSG_NOT_AN_OPTION)) from None
    ids = sorted(set(ids))
    if not ids:
        raise Refusal("invalid", str(MSG_CHOOSE))
    if PollOption.objects.filter(poll=poll, pk__in=ids).count() != len(ids):
        raise Refusal("invalid", str(MSG_NOT_AN_OPTION))
    if len(ids) > 1 and not poll.several:
        raise Refusal("invalid", str(MSG_ONE_ONLY))
    return ids


@transaction.atomic
def poll_vote(*, poll_id: int, voter: Peer, option_ids) -> bool:
    """Cast or change a vote: True for a first vote, False for a change. Refusal, storing nothing, after the end,
    for an option of another poll or several options in a one-choice poll. Whether the voter may read the
    thread is the caller's check (voice.views: a thread they cannot see is a 404)."""
    poll = core.lock_open(Poll, poll_id, MSG_CLOSED)
    ids = _chosen(poll, option_ids)
    restriction = active_restriction(voter)
    if restriction is not None and restriction.blocks_connecting:  # suspended or banned: no vote meanwhile
        raise Refusal("forbidden", restriction.message)
    limit_use("voice_vote", voter.pk)
    mine = PollBallot.objects.filter(poll=poll, voter=voter)
    first = not mine.exists()
    mine.delete()
    PollBallot.objects.bulk_create(PollBallot(poll=poll, option_id=pk, voter=voter) for pk in ids)
    if first:
        core.count_voter(Poll, poll.pk)
    return first


def poll_close(*, poll_id: int, now=None) -> bool:
    """Close a due poll: write each option's total and delete the ballots, so only the totals remain. One
    winner when processes race (voice.core.claim); everyone else gets False and changes nothing."""
    now = now or timezone.now()
    with transaction.atomic():
        if not core.claim(Poll, poll_id, now=now, status=Poll.Status.CLOSED):
            return False
        ballots = PollBallot.objects.filter(poll_id=poll_id)
        options = list(PollOption.objects.filter(poll_id=poll_id))
        totals = core.tally(ballots, "option_id", [option.pk for option in options])
        for option in options:
            option.votes = totals[option.pk]
        PollOption.objects.bulk_update(options, ["votes"])
        ballots.delete()
    return True


def polls_close_due(*, now=None) -> int:
    """Close every due poll (manage.py voice_close); how many this process closed."""
    return core.close_due(Poll, lambda pk, when: poll_close(poll_id=pk, now=when), now=now)


# --- reads ----------------------------------------------------------------------------------------------


def poll_get(pk: int) -> Poll | None:
    return Poll.objects.select_related("thread").filter(pk=pk).first()


def _no_poll_key(thread_id: int) -> str:
    return f"voice:thread-without-poll:{thread_id}"


def poll_for_thread(thread_id: int) -> Poll | None:
    """The thread's poll as it stands now: a due one is closed first (the one write a GET makes on purpose).
    Most threads have none: that is remembered in the cache for NO_POLL_CACHE_SECONDS (forgotten when a poll is
    added), so the thread page of a thread without a poll makes no query more (tests/forum/test_queries.py)."""
    if cache.get(_no_poll_key(thread_id)):
        return None
    poll = Poll.objects.filter(thread_id=thread_id).first()
    if poll is None:
        cache.set(_no_poll_key(thread_id), True, NO_POLL_CACHE_SECONDS)
    poll = core.close_if_due(poll, lambda pk, now: poll_close(poll_id=pk, now=now), poll_get)
    return poll


def choices_of(poll: Poll, peer) -> set[int]:
    """The options the person chose, while the poll is open (only they see them)."""
    if not getattr(peer, "is_authenticated", False) or not poll.is_open:
        return set()
    return set(PollBallot.objects.filter(poll=poll, voter=peer).values_list("option_id", flat=True))


def results(poll: Poll) -> list[tuple[PollOption, int]]:
    """Each option with its share of voters in whole percent (after the close)."""
    options = list(poll.options.all())
    voters = poll.voted_count or 0
    return [(option, round(100 * option.votes / voters) if voters else 0) for option in options]

