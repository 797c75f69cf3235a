"""/transparency/: monthly figures for everyone, as SVG drawn on the server with the same numbers in tables."""

import re
from datetime import timedelta
from html.parser import HTMLParser

import pytest
from django.test import Client
from django.utils import timezone

from moderation import services, transparency
from moderation.models import Action, Appeal, LogEntry, LogMonth, QueueItem, Report, ReportReason, Target

pytestmark = pytest.mark.django_db


class Figures(HTMLParser):
    """The numbers a person can read: each SVG bar's data-count, and each table cell's text, by month and kind."""

    def __init__(self):
        super().__init__()
        self.svg, self.table, self.totals = {}, {}, {}
        self._chart = self._table = self._month = self._kind = None
        self._text = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "svg":
            self._chart = a.get("data-chart")
        elif tag == "g" and "data-month" in a:
            self._month = a["data-month"]
        elif tag == "rect" and "data-count" in a:
            self.svg[(self._chart, self._month, a["data-kind"])] = a.get("data-text") or a["data-count"]
        elif tag == "text" and "data-total" in a:
            self.totals[(self._chart, self._month)] = int(a["data-total"])
        elif tag == "table":
            self._table = a.get("data-table")
        elif tag == "tr" and "data-month" in a:
            self._month = a["data-month"]
        elif tag == "td" and "data-kind" in a:
            self._kind, self._text = a["data-kind"], ""

    def handle_data(self, data):
        if self._text is not None:
            self._text += data

    def handle_endtag(self, tag):
        if tag == "td" and self._text is not None:
            self.table[(self._table, self._month, self._kind)] = self._text.strip()
            self._text = None
        elif tag == "svg":
            self._chart = None


def _entry(action, *, days_ago=0, kind=Target.POST):
    entry = LogEntry.objects.create(action=action, target_kind=kind, target_id=1, category=ReportReason.SPAM)
    LogEntry.objects.filter(pk=entry.pk).update(created=timezone.now() - timedelta(days=days_ago))
    return entry


@pytest.fixture
def history(db, other_peer):
    """This month: 3 hidden, 1 approved, 2 warnings, 1 dismissal; about two months ago: 2 deleted (one appealed
    and reversed); a year and a half ago: 4 hides folded into counts already."""
    for action in [Action.HIDE] * 2 + [Action.AUTO_HIDE, Action.APPROVE, Action.WARN, Action.WARN, Action.DISMISS]:
        _entry(action)
    first = _entry(Action.DELETE, days_ago=62)
    _entry(Action.DELETE, days_ago=62)
    LogEntry.objects.filter(pk=first.pk).update(subject=other_peer)
    Appeal.objects.create(log_entry=first, appellant=other_peer, text="please", status=Appeal.Status.OVERTURNED)
    old = transparency.months_back(transparency.month_start(timezone.now()), 18)[0]
    LogMonth.objects.create(month=old, action=Action.HIDE, target_kind=Target.POST, category=ReportReason.SPAM, count=4)


def _page(client=None):
    response = (client or Client()).get("/transparency/")
    assert response.status_code == 200
    return response.content.decode()


def test_everyone_can_read_it_and_it_loads_nothing_from_another_host(history):
    page = _page()
    assert "<svg" in page
    assert not re.search(r"""src=["']https?://|<link[^>]+href=["']https?://|url\(""", page)  # loads: scripts, images, styles
    assert "<script" not in page.split('<main id="main"', 1)[1].split("</main>")[0]


def test_the_svg_holds_the_tables_numbers(history):
    figures = Figures()
    figures.feed(_page())
    assert figures.svg, "no bars drawn"
    for (chart, month, kind), count in figures.svg.items():
        assert figures.table[(chart, month, kind)] == count, (chart, month, kind)
    for (chart, month, kind), count in figures.table.items():
        if kind == "total":
            assert str(figures.totals.get((chart, month), 0)) == count
        elif count not in ("0", "—"):
            assert figures.svg[(chart, month, kind)] == count, (chart, month, kind)
        else:
            assert (chart, month, kind) not in figures.svg  # nothing drawn for nothing


def test_the_figures_are_right(history):
    months = {m.key: m for m in transparency.monthly_figures()}
    now = months[f"{timezone.now():%Y-%m}"]
    assert now.actions == {"removed": 3, "approved": 1, "sanctions": 2, "dismissed": 1} and now.total == 7
    earlier = months[f"{timezone.now() - timedelta(days=62):%Y-%m}"]
    assert earlier.actions == {"removed": 2} and (earlier.appealed, earlier.overturned) == (1, 1)
    older = {m.key: m for m in transparency.monthly_figures(months=24)}
    assert sum(m.actions.get("removed", 0) for m in older.values()) == 9  # 4 folded + 2 + 3


def test_the_waiting_times_chart_holds_the_tables_words(moderator, peer, other_peer, post_factory):
    post = post_factory(author=other_peer)
    services.report_create(reporter=peer, target_ref=f"post:{post.pk}", reason="spam")
    item = QueueItem.objects.get(status="open")
    Report.objects.filter(item=item).update(created=timezone.now() - timedelta(hours=5, minutes=12))
    services.item_decide(item=item, moderator=moderator, content_action=Action.DISMISS)
    figures = Figures()
    figures.feed(_page())
    key = ("waits", f"{timezone.now():%Y-%m}", "wait")
    assert figures.svg[key] == figures.table[key] == "5 h 12 min"
    assert ">5h</text>" in _page()


def test_median_time_from_report_to_decision(moderator, peer, other_peer, post_factory):
    waits = [10, 30, 90]
    for minutes in waits:
        post = post_factory(author=other_peer)
        services.report_create(reporter=peer, target_ref=f"post:{post.pk}", reason="spam")
        item = QueueItem.objects.get(status="open")
        Report.objects.filter(item=item).update(created=timezone.now() - timedelta(minutes=minutes))
        services.item_decide(item=item, moderator=moderator, content_action=Action.DISMISS)
    month = transparency.monthly_figures()[-1]
    assert month.median_wait == timedelta(minutes=30) and month.decided_reports == 3
    assert "30 min" in _page()


def test_an_empty_year_draws_an_empty_chart(db):
    page = _page()
    assert page.count('data-month="') >= 12 and "data-count" not in page


def test_the_page_costs_a_fixed_number_of_queries(history, django_assert_max_num_queries):
    with django_assert_max_num_queries(8):
        _page()


def test_the_geometry_scales_to_the_busiest_month():
    months = [transparency.Month(start=transparency.months_back(timezone.now().date(), 2)[i]) for i in range(2)]
    months[0].actions = {"removed": 2}
    months[1].actions = {"removed": 4, "approved": 4}
    chart = transparency.actions_chart(months)
    first, second = chart["columns"]
    removed = {c.month.key: next(r for r in c.rects if r.key == "removed") for c in (first, second)}
    assert removed[months[1].key].height == 2 * removed[months[0].key].height
    assert second.total == 8 and chart["peak"] == 8
