"""The voting core that proposals and polls share (docs/voice.md, "Secrecy" and "Closing, on time and once").

A vote is a row with `status` ("open" while it is), `closes_at`, `closed_at` and `voted_count`
(voice.models.VoteWindow), and ballot rows that are the only link of a person to a choice while it is open.
- `lock_open`: a vote takes the row lock and checks the window under it, so it lands before the count or is
  refused after it, never lost in between;
- `claim`: the close is a conditional UPDATE (open and due); the one process whose UPDATE changed the row
  counts and deletes the ballots in the same transaction, every other gets False and changes nothing;
- `tally`: the totals, counted from the ballots just before they are deleted;
- `close_due` / `close_if_due`: the `voice_close` command's loop, and the first read of a due vote.
"""

from collections.abc import Callable, Iterable

from django.db.models import Count, F
from django.utils import timezone

from commons.refusals import Refusal

OPEN = "open"


def lock_open(model, pk: int, closed_message: str):
    """The open vote `pk`, locked until the caller's transaction ends; Refusal("closed") after its window."""
    vote = model.objects.select_for_update().filter(pk=pk).first()
    if vote is None or not vote.is_open or vote.is_due():
        raise Refusal("closed", str(closed_message))
    return vote


def count_voter(model, pk: int) -> None:
    """One more person has voted (a changed vote is not counted again)."""
    model.objects.filter(pk=pk).update(voted_count=F("voted_count") + 1)


def claim(model, pk: int, *, now, status: str) -> bool:
    """Claim the close of a due vote for this process: True for the one winner."""
    return bool(model.objects.filter(pk=pk, status=OPEN, closes_at__lte=now).update(status=status, closed_at=now))


def tally(ballots, field: str, values: Iterable) -> dict:
    """{value: how many ballots chose it} for every value, 0 included."""
    counts = dict(ballots.values_list(field).annotate(n=Count("pk")).values_list(field, "n"))
    return {value: counts.get(value, 0) for value in values}


def close_due(model, close: Callable, *, now=None) -> int:
    """Close every due vote of `model` with `close(pk, now) -> bool`; how many this process closed."""
    now = now or timezone.now()
    due = list(model.objects.filter(status=OPEN, closes_at__lte=now).values_list("pk", flat=True))
    return sum(bool(close(pk, now)) for pk in due)


def close_if_due(vote, close: Callable, reload: Callable):
    """The first read of a due vote closes it (the one write a GET makes on purpose, docs/voice.md), and
    returns it as it now stands; any other vote as it is."""
    if vote is not None and vote.is_due():
        close(vote.pk, None)
        return reload(vote.pk)
    return vote
