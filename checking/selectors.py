"""Reads for drug-checking results: the filtered list, one result, and the numbers behind the charts."""

import hashlib
import time
from urllib.parse import urlencode
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.core.cache import cache
from django.utils.dateformat import format as date_format
from django.db import transaction
from django.db.models import Count, Q, QuerySet, Sum
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from checking.models import Found, MonthTally, Result, SampleReport
from checking.vocabulary import CONCERN_KEYS, SOLD_AS, SUBSTANCES, region_named
from peers import roles
from peers.models import Peer

GROUPS = frozenset(group for _label, group in SUBSTANCES.values())

CHART_MONTHS = 12
REGION_DAYS = 90
CHARTS_VERSION_KEY = "checking:charts:version"
CHARTS_CACHE_SECONDS = 10 * 60

MSG_FILTER_REGION = _("“{value}” isn't one of this site's regions, so that filter was left out.")
MSG_FILTER_SOLD_AS = _("“{value}” isn't in the list of what samples are sold as, so that filter was left out.")
MSG_FILTER_FOUND = _("“{value}” isn't a substance in the list, so that filter was left out.")
MSG_FILTER_DATE = _("“{value}” isn't a date written YYYY-MM-DD, so that filter was left out.")
MSG_FILTER_DATES_ORDER = _("The “from” date is after the “to” date, so no result can match.")


@dataclass
class ResultFilters:
    region: str = ""
    sold_as: str = ""
    found: str = ""
    since: date | None = None
    until: date | None = None
    problems: list[str] = field(default_factory=list)

    def as_query(self) -> dict:
        values = {"region": self.region, "sold_as": self.sold_as, "found": self.found,
                  "since": self.since.isoformat() if self.since else "", "until": self.until.isoformat() if self.until else ""}
        return {key: value for key, value in values.items() if value}


def _date_or_problem(value: str, problems: list[str]) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value.strip())
    except ValueError:
        problems.append(MSG_FILTER_DATE.format(value=value))
        return None


def filters_from(query) -> ResultFilters:
    """The filters of a query string; a value that isn't known is left out and said so in `problems`."""
    filters = ResultFilters()
    region, sold_as, found = (query.get(name, "").strip() for name in ("region", "sold_as", "found"))
    if region:
        filters.region = region_named(region) or ""
        if not filters.region:
            filters.problems.append(MSG_FILTER_REGION.format(value=region))
    if sold_as:
        if sold_as.lower() in SOLD_AS:
            filters.sold_as = sold_as.lower()
        else:
            filters.problems.append(MSG_FILTER_SOLD_AS.format(value=sold_as))
    if found:
        key = found.lower()
        if key in SUBSTANCES or key in CONCERN_KEYS:
            filters.found = key
        else:
            filters.problems.append(MSG_FILTER_FOUND.format(value=found))
    filters.since = _date_or_problem(query.get("since", ""), filters.problems)
    filters.until = _date_or_problem(query.get("until", ""), filters.problems)
    if filters.since and filters.until and filters.since > filters.until:
        filters.problems.append(MSG_FILTER_DATES_ORDER)
    return filters


def result_ids_matching(filters: ResultFilters) -> QuerySet:
    """The ids of the filtered results, newest first (a flat values_list: count it, or slice a page of it)."""
    if filters.found and filters.found not in CONCERN_KEYS:
        return _ids_by_substance(filters)
    results = Result.objects.all()
    if filters.region:
        results = results.filter(region=filters.region)
    if filters.sold_as:
        results = results.filter(sold_as=filters.sold_as)
    if filters.found:
        # A chart's group ("fentanyl", "nitazenes": analogues included) is the result's own has_<group> column, with a
        # partial index each (checking.models; docs/performance.md, "Results and feeds": /results/?found=xylazine).
        results = results.filter(**{f"has_{filters.found}": True})
    if filters.since:
        results = results.filter(checked_on__gte=filters.since)
    if filters.until:
        results = results.filter(checked_on__lte=filters.until)
    return results.order_by("-checked_on", "-id").values_list("id", flat=True)


def _ids_by_substance(filters: ResultFilters) -> QuerySet:
    """Any other substance or group: the page comes from checking_found's (substance or group, date, result) index,
    newest first, joined to the result only for a region or "sold as" filter. A result holds a substance once (the
    import refuses it twice) and each group outside the charts' five is a single substance, so no result comes twice."""
    column = "group" if filters.found in GROUPS else "substance"
    found = Found.objects.filter(**{column: filters.found})
    if filters.region:
        found = found.filter(result__region=filters.region)
    if filters.sold_as:
        found = found.filter(result__sold_as=filters.sold_as)
    if filters.since:
        found = found.filter(checked_on__gte=filters.since)
    if filters.until:
        found = found.filter(checked_on__lte=filters.until)
    return found.order_by("-checked_on", "-result_id").values_list("result_id", flat=True)


def results_count(filters: ResultFilters) -> int:
    """How many results match, kept until results change (the charts' version) or for CHARTS_CACHE_SECONDS: a COUNT
    over 100,000 rows on every page of /results/ cost 1-20 ms by filter (docs/performance.md). A number per filter,
    so even many date ranges keep little."""
    key = f"checking:count:{charts_version()}:{urlencode(filters.as_query())}"
    count = cache.get(key)
    if count is None:
        count = result_ids_matching(filters).count()
        cache.set(key, count, CHARTS_CACHE_SECONDS)
    return count


def results_rows(ids: list[int], render) -> list[str]:
    """The list's rows as HTML, in the order of `ids`, kept per page of ids and language until results change: a
    result is never edited, so rows drawn once serve every reader of that page. The 30 rows took over a third of
    /results/'s time, in Spanish most of it translating labels (docs/performance.md, "Results and feeds"). One entry
    per page, not per result: 30 entries a page filled Django's in-memory cache (300 entries) in a few pages, and
    every page then drew its rows and charts again (bench/supply.py: 90-130 ms a page)."""
    digest = hashlib.sha1(",".join(map(str, ids)).encode()).hexdigest()
    key = f"checking:rows:{charts_version()}:{get_language()}:{digest}"
    rows = cache.get(key)
    if rows is None:
        results = Result.objects.filter(pk__in=ids).prefetch_related("found").in_bulk()
        rows = [render(results[pk]) for pk in ids if pk in results]
        cache.set(key, rows, CHARTS_CACHE_SECONDS)
    return rows


def result_detail(result_id: int) -> Result | None:
    return Result.objects.prefetch_related("found").filter(pk=result_id).first()


def results_recent(limit: int) -> QuerySet[Result]:
    return Result.objects.prefetch_related("found").order_by("-created", "-id")[:limit]


def results_exist() -> bool:
    return Result.objects.exists()


def results_by_ids(ids) -> list[Result]:
    return list(Result.objects.filter(pk__in=list(ids)).order_by("-checked_on", "-id"))


def sample_reports_pending() -> QuerySet[SampleReport]:
    return SampleReport.objects.filter(status=SampleReport.Status.PENDING).select_related("author")


def sample_reports_of(peer) -> QuerySet[SampleReport]:
    if peer is None or not peer.is_authenticated:
        return SampleReport.objects.none()
    return SampleReport.objects.filter(author=peer).order_by("-created")[:20]


# --- the charts' numbers -----------------------------------------------------------------------------

def results_changed() -> None:
    """Results were added: the charts' cached numbers are stale. A new version now, and again after commit, so
    that a page drawn in between from the old rows is not kept under the new version."""
    _bump()
    transaction.on_commit(_bump)


def _bump() -> None:
    cache.set(CHARTS_VERSION_KEY, time.time_ns(), None)


def _concern_counts():
    return {"total": Count("id"), **{key: Count("id", filter=Q(**{f"has_{key}": True})) for key in CONCERN_KEYS}}


def _rows(grouped, label_of, short_of=None) -> list[dict]:
    rows = []
    for row in grouped:
        total = row["total"]
        rows.append({
            "key": row["key"], "label": label_of(row["key"]), "short": (short_of or label_of)(row["key"]), "total": total,
            "concerns": [{"key": key, "count": row[key], "share": round(100 * row[key] / total) if total else 0} for key in CONCERN_KEYS],
        })
    return rows


def _month_start(day: date) -> date:
    return day.replace(day=1)


def _months_back(today: date, count: int) -> list[date]:
    months, month = [], _month_start(today)
    for _i in range(count):
        months.append(month)
        month = _month_start(month - timedelta(days=1))
    return months[::-1]


def charts_version() -> int:
    return cache.get(CHARTS_VERSION_KEY, 0)


def charts_cache_key(filters: ResultFilters) -> str:
    """What the charts depend on: the results (a version bumped by every change), the filters and the day.
    /results/ keeps its rendered charts under this key (a template fragment cache, CHARTS_CACHE_SECONDS): drawing
    them took most of the page's time, and their two grouped queries over 100,000 results the rest
    (docs/supply.md, figures)."""
    version = charts_version()
    return f"{version}:{filters.sold_as}:{filters.region}:{timezone.localdate().isoformat()}"


def chart_numbers(filters: ResultFilters) -> dict:
    """Per month (the last CHART_MONTHS) the share of samples, sold as the filter's kind (or all) in the filter's
    region (or all), in which each concern was found; per region, the same over the last REGION_DAYS days."""
    return _chart_numbers(filters)


def _chart_numbers(filters: ResultFilters) -> dict:
    today = timezone.localdate()
    months = _months_back(today, CHART_MONTHS)
    base = Result.objects.all()
    if filters.sold_as:
        base = base.filter(sold_as=filters.sold_as)
    tallies = MonthTally.objects.filter(month__gte=months[0], month__lte=today)
    if filters.sold_as:
        tallies = tallies.filter(sold_as=filters.sold_as)
    if filters.region:
        tallies = tallies.filter(region=filters.region)
    counted = {row["month"]: row for row in tallies.values("month").annotate(**{name: Sum(name) for name in ("total", *CONCERN_KEYS)}).order_by()}
    empty = {"total": 0, **dict.fromkeys(CONCERN_KEYS, 0)}
    by_month = _rows(
        [{**counted.get(month, empty), "key": month.isoformat()[:7]} for month in months],
        lambda key: date_format(date.fromisoformat(key + "-01"), "M Y"),  # month names in the reader's language
        lambda key: date_format(date.fromisoformat(key + "-01"), "M y"),
    )
    since = today - timedelta(days=REGION_DAYS - 1)
    regions = base.filter(checked_on__gte=since, checked_on__lte=today).values("region").annotate(**_concern_counts()).order_by("region")
    by_region = _rows([{**row, "key": row["region"]} for row in regions], lambda key: key)
    return {"by_month": by_month, "by_region": by_region, "since": since, "today": today}


# --- feeds ---

FEED_ITEMS = 50


def results_for_feed() -> list[Result]:
    """The newest results, as published (by `created`: a file of old results shows up when it is imported)."""
    return list(Result.objects.prefetch_related("found").order_by("-created", "-id")[:FEED_ITEMS])


def results_feed_version() -> tuple:
    """(latest publication, highest id): both read from an index, even over 100,000 results."""
    newest = Result.objects.order_by("-created", "-id").values_list("created", "id").first()
    return newest or (None, 0)


def checker_names() -> list[str]:
    """Pseudonyms of everyone with the checker role, for the organisers' page."""
    return list(Peer.objects.filter(groups__name=roles.CHECKER).order_by("username").values_list("username", flat=True))
