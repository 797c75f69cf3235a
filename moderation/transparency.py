"""The figures of /transparency/: moderator actions per month by kind, the median time from a report to
its decision, and appeals against each month's decisions with how many were reversed. Detailed log
entries and the monthly counts left by moderation.compaction add up the same, so a compaction run never
changes a figure. The charts are drawn here as SVG geometry (no JavaScript, nothing from another host)."""

import statistics
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.db.models import Count, DateField, Min, Q, Sum
from django.db.models.functions import TruncMonth
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from moderation.models import Action, Appeal, LogEntry, LogMonth, QueueItem
from moderation.selectors import duration_words

MONTHS = 12

# Kinds of action in the chart, its table and its legend, in stacking order (bottom first).
# (key, label, the table's short heading, the actions counted)
ACTION_KINDS = [
    ("approved", _("approved"), _("Approved"), (Action.APPROVE,)),
    ("removed", _("hidden or removed"), _("Removed"), (Action.HIDE, Action.DELETE, Action.AUTO_HIDE)),
    ("redacted", _("personal information edited out"), _("Edited"), (Action.REDACT,)),
    ("sanctions", _("warnings, mutes, suspensions and bans"), _("Sanctions"), (Action.WARN, Action.MUTE, Action.SUSPEND, Action.BAN)),
    ("dismissed", _("reports dismissed"), _("Dismissed"), (Action.DISMISS,)),
]
KIND_OF_ACTION = {action: key for key, _, _, actions in ACTION_KINDS for action in actions}


@dataclass
class Month:
    start: date
    actions: dict = field(default_factory=dict)  # kind key -> count
    median_wait: timedelta | None = None
    decided_reports: int = 0
    appealed: int = 0
    overturned: int = 0

    @property
    def total(self) -> int:
        return sum(self.actions.values())

    @property
    def wait_words(self) -> str:
        return duration_words(self.median_wait)

    @property
    def key(self) -> str:
        return f"{self.start:%Y-%m}"

    def counts(self) -> list[tuple[str, str, str, int]]:
        """(key, label, short label, count) for each kind of action, in the chart's order."""
        return [(key, label, short, self.actions.get(key, 0)) for key, label, short, _ in ACTION_KINDS]


def month_start(moment) -> date:
    local = timezone.localtime(moment) if timezone.is_aware(moment) else moment
    return date(local.year, local.month, 1)


def months_back(today: date, count: int) -> list[date]:
    """The first days of the last `count` months, oldest first, this month last."""
    year, month = today.year, today.month
    starts = []
    for _ in range(count):
        starts.append(date(year, month, 1))
        year, month = (year - 1, 12) if month == 1 else (year, month - 1)
    return starts[::-1]


def _aware_start(day: date):
    return timezone.make_aware(datetime.combine(day, time.min))


def monthly_figures(*, months: int = MONTHS, now=None) -> list[Month]:
    now = now or timezone.now()
    starts = months_back(month_start(now), months)
    by_start = {start: Month(start=start) for start in starts}
    since = _aware_start(starts[0])

    def add(start, kind, n):
        if start in by_start and kind:
            figures = by_start[start]
            figures.actions[kind] = figures.actions.get(kind, 0) + n

    detailed = (
        LogEntry.objects.filter(created__gte=since).annotate(month=TruncMonth("created", output_field=DateField()))
        .values_list("month", "action").annotate(n=Count("id")).order_by()
    )
    for start, action, n in detailed:
        add(start, KIND_OF_ACTION.get(action), n)
    folded = LogMonth.objects.filter(month__gte=starts[0]).values_list("month", "action").annotate(n=Sum("count")).order_by()
    for start, action, n in folded:
        add(start, KIND_OF_ACTION.get(action), n)

    appeals = (
        Appeal.objects.filter(log_entry__created__gte=since)
        .annotate(month=TruncMonth("log_entry__created", output_field=DateField()))
        .values_list("month").annotate(n=Count("id"), reversed=Count("id", filter=Q(status=Appeal.Status.OVERTURNED))).order_by()
    )
    folded_appeals = LogMonth.objects.filter(month__gte=starts[0]).values_list("month").annotate(
        n=Sum("appealed"), reversed=Sum("overturned")).order_by()
    for start, n, reversed_ in [*appeals, *folded_appeals]:
        if start in by_start:
            by_start[start].appealed += n or 0
            by_start[start].overturned += reversed_ or 0

    waits = defaultdict(list)
    decided = (
        QueueItem.objects.filter(report_count__gt=0, resolved_at__gte=since, status=QueueItem.Status.RESOLVED)
        .annotate(first_report=Min("reports__created")).values_list("created", "first_report", "resolved_at")
    )
    for created, first_report, resolved_at in decided:
        reported = first_report or created
        if resolved_at >= reported:
            waits[month_start(resolved_at)].append((resolved_at - reported).total_seconds())
    for start, seconds in waits.items():
        if start in by_start:
            by_start[start].median_wait = timedelta(seconds=round(statistics.median(seconds)))
            by_start[start].decided_reports = len(seconds)
    return [by_start[start] for start in starts]


# --- SVG geometry ------------------------------------------------------------------------------
# The viewBox is about a phone's width, so its text stays legible at 390 px; wider screens scale it up.
WIDTH, HEIGHT = 360, 240
LEFT, RIGHT, TOP, BOTTOM = 8, 8, 22, 44


def short_wait(span: timedelta | None) -> str:
    """A waiting time short enough to stand above a bar: "43m", "5h", "3d"."""
    if span is None:
        return ""
    minutes = span.total_seconds() / 60
    if minutes < 60:
        return gettext("%(count)sm") % {"count": max(1, round(minutes))}
    if minutes < 48 * 60:
        return gettext("%(count)sh") % {"count": round(minutes / 60)}
    return gettext("%(count)sd") % {"count": round(minutes / (24 * 60))}


@dataclass(frozen=True)
class Rect:
    key: str
    label: str
    count: int
    x: float
    y: float
    width: float
    height: float
    text: str = ""  # the number as the table shows it, when that isn't the count itself (a waiting time)
    value_label: str = ""  # what stands above a bar drawn side by side ("" for stacked bars: their total does)
    value_x: float = 0
    value_y: float = 0


@dataclass
class Column:
    month: Month
    rects: list
    label: str
    year: str
    label_x: float
    total: int
    total_y: float


def _columns(months: list[Month], values, *, stacked: bool) -> dict:
    """Bars for each month: `values(month)` gives [(key, label, count, text, value_label)], stacked or side by side."""
    inner_w, inner_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    baseline = TOP + inner_h
    series = [values(month) for month in months]
    if stacked:
        peak = max([sum(part[2] for part in parts) for parts in series] + [1])
    else:
        peak = max([part[2] for parts in series for part in parts] + [1])
    slot = inner_w / max(len(months), 1)
    columns = []
    for index, (month, parts) in enumerate(zip(months, series)):
        x0 = LEFT + index * slot
        rects, y = [], baseline
        bar_w = slot * 0.7 if stacked else slot * 0.8 / max(len(parts), 1)
        for position, (key, label, n, text, value_label) in enumerate(parts):
            height = round(inner_h * n / peak, 1)
            if stacked:
                y = round(y - height, 1)
                x = x0 + slot * 0.15
            else:
                y = round(baseline - height, 1)
                x = x0 + slot * 0.1 + position * bar_w
            rects.append(Rect(key=key, label=label, count=n, x=round(x, 1), y=y, width=round(bar_w, 1), height=height, text=text,
                              value_label=value_label if not stacked and n else "", value_x=round(x + bar_w / 2, 1), value_y=round(y - 3, 1)))
        top = min([r.y for r in rects] + [baseline])
        columns.append(Column(month=month, rects=rects, label=date_format(month.start, "M"),
                              year=month.start.strftime("%Y") if index == 0 or month.start.month == 1 else "",
                              label_x=round(x0 + slot / 2, 1), total=sum(r.count for r in rects) if stacked else 0,
                              total_y=round(top - 4, 1)))
    return {"columns": columns, "width": WIDTH, "height": HEIGHT, "baseline": baseline, "left": LEFT, "right": WIDTH - RIGHT,
            "label_y": baseline + 14, "year_y": baseline + 28, "peak": peak}


def actions_chart(months: list[Month]) -> dict:
    return _columns(months, lambda month: [(key, label, n, "", "") for key, label, _, n in month.counts()], stacked=True)


def waits_chart(months: list[Month]) -> dict:
    """The median wait per month, in minutes (its words in each bar's title, a short form above it)."""
    def wait(month):
        minutes = max(1, round(month.median_wait.total_seconds() / 60)) if month.median_wait is not None else 0
        return [("wait", gettext("median time from report to decision"), minutes, month.wait_words if month.median_wait else "",
                 short_wait(month.median_wait))]

    return _columns(months, wait, stacked=False)


def appeals_chart(months: list[Month]) -> dict:
    return _columns(months, lambda month: [("appealed", gettext("appeals"), month.appealed, "", str(month.appealed)),
                                           ("overturned", gettext("reversed"), month.overturned, "", str(month.overturned))], stacked=False)
