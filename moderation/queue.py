"""The moderators' queue on the ground floor: items opened and closed for held or reported content, and what a
report keeps. Content apps (rooms, helpnow, moderation.profiles) call these in their own transactions; this
module imports nothing but moderation's models, so it closes no import circle."""

from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from moderation.models import QueueItem, Report, ReportedCopy


def open_item_for(*, kind: str, target_id: int, subject, created=None, held: bool = False, hold_reason: str = "") -> QueueItem:
    """The open queue item for a target, created if there is none; the caller holds a transaction."""
    item = QueueItem.objects.select_for_update().filter(target_kind=kind, target_id=target_id, status=QueueItem.Status.OPEN).first()
    if item is not None:
        return item
    try:
        with transaction.atomic():
            return QueueItem.objects.create(
                target_kind=kind, target_id=target_id, subject=subject, held=held, hold_reason=hold_reason[:500],
                created=created or timezone.now(),
            )
    except IntegrityError:  # created by a concurrent report a moment ago
        return QueueItem.objects.select_for_update().get(target_kind=kind, target_id=target_id, status=QueueItem.Status.OPEN)


def held_item_open(*, kind: str, target_id: int, subject, reason: str) -> QueueItem:
    """Put held content in the moderators' queue, in the transaction that holds it (the caller's)."""
    return open_item_for(kind=kind, target_id=target_id, subject=subject, held=True, hold_reason=reason)


def held_item_close(*, kind: str, target_id: int) -> int:
    """The held content was decided elsewhere (edited until it passed, a room host approved it, deleted,
    purged): its open queue item closes, unless someone reported it too. Returns how many closed."""
    return held_items_close(kind=kind, target_ids=[target_id])


def held_items_close(*, kind: str, target_ids) -> int:
    """held_item_close for many targets (ids, or a queryset of ids: content about to be deleted)."""
    return QueueItem.objects.filter(target_kind=kind, target_id__in=target_ids, status=QueueItem.Status.OPEN, held=True,
                                    report_count=0).update(status=QueueItem.Status.RESOLVED, resolved_at=timezone.now(),
                                                           resolution="elsewhere")


def reported_copies_keep(*, kind: str, originals: list[dict]) -> int:
    """Content under an open report is about to be deleted by its retention: keep a copy for the moderators
    on its queue item (`originals`: dicts of id, author_name, where, body, body_html, written). The original
    goes as planned. Returns how many copies were made; the caller holds a transaction."""
    made = 0
    for original in originals:
        item = QueueItem.objects.filter(target_kind=kind, target_id=original["id"], status=QueueItem.Status.OPEN).first()
        if item is None or ReportedCopy.objects.filter(item=item).exists():
            continue
        ReportedCopy.objects.create(item=item, author_name=original["author_name"][:100], where=original["where"][:300],
                                    body=original["body"], body_html=original["body_html"], written=original["written"])
        made += 1
    return made


def reported_copies_keep_of(*, kind: str, objects, where) -> int:
    """reported_copies_keep for those of `objects` (posts or room messages: author, body, body_html, created)
    that are under an open report; `where(obj)` names the place each was written. The caller holds a transaction."""
    reported = set(Report.objects.filter(target_kind=kind, target_id__in=[o.pk for o in objects], closed_at__isnull=True)
                   .values_list("target_id", flat=True))
    originals = [
        {"id": o.pk, "author_name": o.author.username if o.author_id else "former member", "where": where(o),
         "body": o.body, "body_html": o.body_html, "written": o.created}
        for o in objects if o.pk in reported
    ]
    return reported_copies_keep(kind=kind, originals=originals) if originals else 0


def _report_retention() -> timedelta:
    return timedelta(days=int(getattr(settings, "MODERATION_REPORT_RETENTION_DAYS", 90)))


@transaction.atomic
def reports_purge(*, now=None) -> tuple[int, int]:
    """Reports of items resolved longer ago than MODERATION_REPORT_RETENTION_DAYS go, with the reporters'
    words and any copy of the content kept for the moderators (the queue item itself stays, without
    content, for the monthly figures). Returns (reports deleted, copies deleted)."""
    before = (now or timezone.now()) - _report_retention()
    old_items = QueueItem.objects.filter(status=QueueItem.Status.RESOLVED, resolved_at__lt=before)
    copies, _ = ReportedCopy.objects.filter(item__in=old_items).delete()
    reports, _ = Report.objects.filter(item__in=old_items).delete()
    return reports, copies


def held_items_backfill(apps, *, model: str, kind: str) -> int:
    """For a data migration of the app owning `model` ("forum.Post"): an open queue item for each held row that
    has none (before issue 15 the queue page opened them when a moderator looked). Historical models only."""
    Held, Item = apps.get_model(model), apps.get_model("moderation", "QueueItem")
    queued = set(Item.objects.filter(target_kind=kind, status="open").values_list("target_id", flat=True))
    rows = Held.objects.filter(moderation_status="pending").exclude(pk__in=queued).values_list("pk", "author_id", "created", "moderation_reason")
    Item.objects.bulk_create([Item(target_kind=kind, target_id=pk, subject_id=author_id, held=True, hold_reason=reason[:500], created=created)
                              for pk, author_id, created, reason in rows])
    return len(rows)
