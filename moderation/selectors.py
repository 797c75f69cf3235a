"""Reads for moderation pages, joined up front so no page runs a query per row."""

import statistics
from collections import Counter
from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import Count, Max, QuerySet, Sum
from django.db.models.functions import TruncDate
from django.utils import timezone
from django.utils.translation import gettext

from moderation import targets
from moderation.models import Action, Appeal, LogCompaction, LogEntry, QueueItem, Report, Sanction, SourcingPattern


def open_items() -> QuerySet[QueueItem]:
    return QueueItem.objects.filter(status=QueueItem.Status.OPEN).select_related("subject").prefetch_related("reports").order_by("created", "id")


@dataclass
class QueueRow:
    item: QueueItem
    target: object  # targets.Resolved or None (gone)
    reasons: list[str]
    history: dict


def author_histories(peer_ids) -> dict:
    """Per person: how many earlier moderator actions and sanctions they have had."""
    peer_ids = [pk for pk in set(peer_ids) if pk]
    actions = dict(LogEntry.objects.filter(subject_id__in=peer_ids).values_list("subject_id").annotate(n=Count("id")))
    sanctions = Counter()
    for peer_id, kind in Sanction.objects.filter(peer_id__in=peer_ids).values_list("peer_id", "kind"):
        sanctions[(peer_id, kind)] += 1
    return {
        pk: {"actions": actions.get(pk, 0), **{kind: sanctions[(pk, kind)] for kind in Sanction.Kind.values}}
        for pk in peer_ids
    }


def queue_rows(items: list[QueueItem]) -> list[QueueRow]:
    found = targets.resolve_many((item.target_kind, item.target_id) for item in items)
    histories = author_histories(i.subject_id for i in items)
    rows = []
    for item in items:
        reasons = [item.hold_reason] if item.hold_reason else []
        open_reports = [r for r in item.reports.all() if r.closed_at is None]
        counts = Counter(r.get_reason_display() for r in open_reports)
        reasons += [gettext("reported for %(reason)s") % {"reason": label} + (f" ×{n}" if n > 1 else "") for label, n in counts.items()]
        rows.append(QueueRow(item=item, target=found.get((item.target_kind, item.target_id)), reasons=reasons,
                             history=histories.get(item.subject_id, {})))
    return rows


def item_detail(item: QueueItem) -> dict:
    target = targets.resolve(item.target_kind, item.target_id, with_context=True)
    history_entries = []
    if item.subject_id:
        history_entries = list(LogEntry.objects.filter(subject_id=item.subject_id).select_related("actor")[:10])
    return {
        "target": target,
        "copy": getattr(item, "copy", None) if target is None else None,
        "reports": list(item.reports.select_related("reporter").order_by("created")),
        "history": author_histories([item.subject_id]).get(item.subject_id, {}),
        "history_entries": history_entries,
        "log_entries": list(item.log_entries.select_related("actor")),
    }


def open_report_targets(*, target_kind: str, target_ids) -> set[int]:
    """Which of these targets (ids, or a queryset of ids) are under a report nobody has closed yet."""
    return set(Report.objects.filter(target_kind=target_kind, target_id__in=target_ids, closed_at__isnull=True)
               .values_list("target_id", flat=True))


def has_open_report(*, target_kind: str, target_ids) -> bool:
    """Is any of these targets (ids, or a queryset of ids) under a report nobody has closed yet?"""
    return Report.objects.filter(target_kind=target_kind, target_id__in=target_ids, closed_at__isnull=True).exists()


def public_log() -> QuerySet[LogEntry]:
    """The public log's rows. Only the acting moderator is joined: the page never reaches the member acted on."""
    return LogEntry.objects.select_related("actor").order_by("-created", "-id")


def log_folded_summary() -> dict:
    """What compaction has folded into monthly counts so far (shown under the public log)."""
    summary = LogCompaction.objects.aggregate(entries=Sum("entries"), last_run=Max("ran_at"), newest=Max("newest"))
    return {"entries": summary["entries"] or 0, "last_run": summary["last_run"], "newest": summary["newest"]}


APPEALABLE = [Action.WARN, Action.MUTE, Action.SUSPEND, Action.BAN, Action.HIDE, Action.DELETE, Action.REDACT, Action.AUTO_HIDE]


def appealable_entries(peer) -> QuerySet[LogEntry]:
    return LogEntry.objects.filter(subject=peer, action__in=APPEALABLE).select_related("actor", "appeal").order_by("-created", "-id")


def decisions_about(peer) -> QuerySet[LogEntry]:
    """Every log entry about `peer`, newest first, with its appeal: for their own account only."""
    return LogEntry.objects.filter(subject=peer).select_related("actor", "appeal").order_by("-created", "-id")


def open_appeals() -> QuerySet[Appeal]:
    return Appeal.objects.filter(status=Appeal.Status.OPEN).select_related("appellant", "log_entry", "log_entry__actor").order_by("created")


def patterns() -> QuerySet[SourcingPattern]:
    return SourcingPattern.objects.select_related("updated_by").order_by("-is_active", "kind", "pattern")


# --- dashboard ---------------------------------------------------------------------------------

CHART_DAYS = 30
CHART_WIDTH, CHART_HEIGHT, CHART_PAD = 640, 200, 28


@dataclass(frozen=True)
class Bar:
    day: date
    count: int
    x: float
    y: float
    width: float
    height: float


def reports_per_day(*, days: int = CHART_DAYS, today: date | None = None) -> list[tuple[date, int]]:
    today = today or timezone.now().date()
    start = today - timedelta(days=days - 1)
    counts = dict(
        Report.objects.filter(created__date__gte=start).annotate(day=TruncDate("created")).values_list("day").annotate(n=Count("id"))
    )
    return [(start + timedelta(days=i), counts.get(start + timedelta(days=i), 0)) for i in range(days)]


def chart_bars(series: list[tuple[date, int]]) -> dict:
    """Geometry for a server-rendered SVG bar chart (no JavaScript)."""
    peak = max([count for _, count in series] + [1])
    inner_w, inner_h = CHART_WIDTH - 2 * CHART_PAD, CHART_HEIGHT - 2 * CHART_PAD
    slot = inner_w / max(len(series), 1)
    bars = []
    for index, (day, count) in enumerate(series):
        height = inner_h * count / peak
        bars.append(Bar(day=day, count=count, x=round(CHART_PAD + index * slot + slot * 0.15, 1),
                        y=round(CHART_PAD + inner_h - height, 1), width=round(slot * 0.7, 1), height=round(height, 1)))
    return {"bars": bars, "peak": peak, "width": CHART_WIDTH, "height": CHART_HEIGHT, "pad": CHART_PAD,
            "baseline": CHART_PAD + inner_h, "right": CHART_WIDTH - CHART_PAD, "total": sum(c for _, c in series),
            "first": series[0][0] if series else None, "last": series[-1][0] if series else None}


def median_first_review(*, days: int = CHART_DAYS) -> timedelta | None:
    since = timezone.now() - timedelta(days=days)
    rows = QueueItem.objects.filter(first_reviewed_at__gte=since).values_list("created", "first_reviewed_at")[:5000]
    waits = [(reviewed - created).total_seconds() for created, reviewed in rows if reviewed >= created]
    if not waits:
        return None
    return timedelta(seconds=round(statistics.median(waits)))


def duration_words(span: timedelta | None) -> str:
    """`timedelta(minutes=90)` -> "1 h 30 min"; plain enough for a dashboard tile."""
    if span is None:
        return gettext("no reviews yet")
    minutes = int(span.total_seconds() // 60)
    if minutes < 1:
        return gettext("under a minute")
    days, rest = divmod(minutes, 24 * 60)
    hours, minutes = divmod(rest, 60)
    parts = [gettext("%(count)s d") % {"count": days} if days else "", gettext("%(count)s h") % {"count": hours} if hours else "",
             gettext("%(count)s min") % {"count": minutes} if minutes and not days else ""]
    return " ".join(part for part in parts if part)


def dashboard() -> dict:
    return {
        "open_items": QueueItem.objects.filter(status=QueueItem.Status.OPEN).count(),
        "open_appeals": Appeal.objects.filter(status=Appeal.Status.OPEN).count(),
        "median_first_review": duration_words(median_first_review()),
        "chart": chart_bars(reports_per_day()),
    }


def peer_moderation_export(peer) -> dict:
    return {
        "reports_filed": [
            {"target": f"{r.target_kind}:{r.target_id}", "reason": r.reason, "text": r.text, "created": r.created.isoformat()}
            for r in Report.objects.filter(reporter=peer)
        ],
        "decisions_about_me": [
            {"action": e.action, "target": f"{e.target_kind}:{e.target_id}" if e.target_kind else "", "reason": e.reason,
             "until": e.until.isoformat() if e.until else None, "created": e.created.isoformat()}
            for e in LogEntry.objects.filter(subject=peer)
        ],
        "appeals": [
            {"decision": a.log_entry_id, "text": a.text, "status": a.status, "created": a.created.isoformat()}
            for a in Appeal.objects.filter(appellant=peer)
        ],
    }
