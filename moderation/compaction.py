"""The moderation log keeps each entry for MODERATION_LOG_DETAIL_DAYS (365), then only monthly counts.

`manage.py moderation_log_compact` (daily) folds older entries into LogMonth rows. How the audit trail
stays honest:
- Counts are conserved. In one transaction per batch, the batch's entries are counted into LogMonth (by
  month, action, kind of content and category, with how many were appealed and how many reversed) and
  exactly those entries are removed; if the number removed differs from the number counted, nothing is
  written. /transparency/ adds LogMonth to the detailed entries, so its figures are the same before and
  after a run (tests/moderation/test_compaction.py checks it).
- Every batch leaves a LogCompaction row (append-only: when, the cutoff, how many, oldest and newest),
  listed under the public log, so a gap in the detailed entries is always explained.
- Entries that still matter stay in detail past the cutoff: one with an open appeal (it is decided
  first) and one whose sanction is still in force (a ban, a mute not yet over), so the person can still
  see it and appeal it.
- Nothing else can remove an entry: LogEntry.delete() and LogEntry.objects.….delete() raise; only this
  module calls the queryset's _fold_delete().
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Count, DateField, F, Max, Min, Q
from django.db.models.functions import TruncMonth
from django.utils import timezone

from moderation.models import Appeal, LogCompaction, LogEntry, LogMonth, Sanction

BATCH_SIZE = 1000
IN_FORCE_KINDS = (Sanction.Kind.MUTE, Sanction.Kind.SUSPEND, Sanction.Kind.BAN)


class CountMismatch(Exception):
    """The entries removed were not the entries counted; the batch was rolled back."""


@dataclass(frozen=True)
class Compacted:
    entries: int
    batches: int
    cutoff: datetime


def detail_days() -> int:
    return int(getattr(settings, "MODERATION_LOG_DETAIL_DAYS", 365))


def compaction_cutoff(now: datetime | None = None) -> datetime:
    return (now or timezone.now()) - timedelta(days=detail_days())


def foldable(*, cutoff: datetime, now: datetime):
    """Entries written before `cutoff` that no longer matter in detail (see the module's notes)."""
    open_appeals = Appeal.objects.filter(status=Appeal.Status.OPEN).values("log_entry_id")
    in_force = (
        Sanction.objects.filter(log_entry__isnull=False, kind__in=IN_FORCE_KINDS, revoked_at__isnull=True)
        .filter(Q(ends__isnull=True) | Q(ends__gt=now))
        .values("log_entry_id")
    )
    return LogEntry.objects.filter(created__lt=cutoff).exclude(pk__in=open_appeals).exclude(pk__in=in_force)


def _fold_batch(*, cutoff: datetime, now: datetime, batch_size: int) -> int:
    """Count one batch into LogMonth and remove it, in the caller's transaction; returns how many."""
    ids = list(foldable(cutoff=cutoff, now=now).select_for_update().order_by("id").values_list("id", flat=True)[:batch_size])
    if not ids:
        return 0
    batch = LogEntry.objects.filter(pk__in=ids)
    groups = (
        batch.annotate(month=TruncMonth("created", output_field=DateField()))
        .values("month", "action", "target_kind", "category")
        .annotate(n=Count("id"), appealed=Count("appeal"), overturned=Count("appeal", filter=Q(appeal__status=Appeal.Status.OVERTURNED)))
        .order_by()
    )
    counted = 0
    for group in groups:
        key = {name: group[name] for name in ("month", "action", "target_kind", "category")}
        row, created = LogMonth.objects.select_for_update().get_or_create(
            **key, defaults={"count": group["n"], "appealed": group["appealed"], "overturned": group["overturned"]}
        )
        if not created:
            LogMonth.objects.filter(pk=row.pk).update(
                count=F("count") + group["n"], appealed=F("appealed") + group["appealed"], overturned=F("overturned") + group["overturned"]
            )
        counted += group["n"]
    span = batch.aggregate(oldest=Min("created"), newest=Max("created"))
    removed = batch._fold_delete()
    if removed != counted or counted != len(ids):
        raise CountMismatch(f"counted {counted} entries but removed {removed}")
    LogCompaction.objects.create(ran_at=now, cutoff=cutoff, entries=removed, oldest=span["oldest"], newest=span["newest"])
    return removed


def log_compact(*, now: datetime | None = None, batch_size: int = BATCH_SIZE) -> Compacted:
    """Fold every entry older than MODERATION_LOG_DETAIL_DAYS that may go into LogMonth counts, a batch
    per transaction. Running it again at once folds nothing."""
    now = now or timezone.now()
    cutoff = compaction_cutoff(now)
    total = batches = 0
    while True:
        with transaction.atomic():
            folded = _fold_batch(cutoff=cutoff, now=now, batch_size=batch_size)
        if not folded:
            return Compacted(entries=total, batches=batches, cutoff=cutoff)
        total += folded
        batches += 1
