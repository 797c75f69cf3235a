"""Reads for safety, already joined so a page costs a fixed number of queries."""

from django.core.cache import cache
from django.db.models import Count, Exists, Max, OuterRef, Q, QuerySet, Subquery
from django.utils import timezone

from moderation.models import ModerationStatus
from checking.vocabulary import region_for_slug
from safety.models import AlertSighting, DrugAlert, FollowedRegion, ServiceEntry, ServiceSuggestion

BANNER_CACHE_KEY_NAME = "safety:banner:v2"
BANNER_MAX_ALERTS = 3
BANNER_CACHE_SECONDS = 60
_SEVERITY_RANK = {DrugAlert.Severity.DANGER: 0, DrugAlert.Severity.WARNING: 1, DrugAlert.Severity.INFO: 2}


def alerts_active() -> QuerySet[DrugAlert]:
    return DrugAlert.objects.approved().filter(expires_at__gt=timezone.now()).order_by("-created")


def alerts_active_for(peer) -> QuerySet[DrugAlert]:
    """Active alerts with `seen_by_me` for the reader (False for visitors)."""
    alerts = alerts_active().select_related("author").prefetch_related("results")
    if peer is not None and peer.is_authenticated:
        return alerts.annotate(seen_by_me=Exists(AlertSighting.objects.filter(alert=OuterRef("pk"), peer=peer)))
    return alerts


def alerts_archived() -> QuerySet[DrugAlert]:
    """Expired alerts stay readable: the archive, newest first."""
    return DrugAlert.objects.approved().filter(expires_at__lte=timezone.now()).select_related("author").prefetch_related("results").order_by("-expires_at")


def alerts_pending() -> QuerySet[DrugAlert]:
    return DrugAlert.objects.filter(moderation_status=ModerationStatus.PENDING).select_related("author").prefetch_related("results").order_by("created")


def alerts_pending_of(peer) -> QuerySet[DrugAlert]:
    """An author's own alerts still waiting for a moderator (shown only to them)."""
    if peer is None or not peer.is_authenticated:
        return DrugAlert.objects.none()
    return alerts_pending().filter(author=peer)


# The first drug-checking result an alert rests on, linked from the banner as its evidence (same query).
_first_result = DrugAlert.results.through.objects.filter(drugalert_id=OuterRef("pk")).order_by("result_id").values("result_id")[:1]


def banner_alerts(followed: list[str] = ()) -> list[dict]:
    """The few most urgent active alerts for the banner on every page, those of the reader's `followed` regions
    first; cached, at most one small query.

    The cached list keeps each alert's expiry, so an alert leaves the banner on time even
    while the cache entry is still warm; services delete the entry when alerts change.
    """
    cached = cache.get(BANNER_CACHE_KEY_NAME)
    if cached is None:
        rows = list(
            alerts_active().annotate(evidence_id=Subquery(_first_result)).values(
                "id", "substance", "summary", "region", "severity", "expires_at", "evidence_id")[:20]
        )
        rows.sort(key=lambda row: (_SEVERITY_RANK.get(row["severity"], 3), -row["id"]))
        cached = rows
        for row in cached:
            row["evidence"] = f"/results/{row['evidence_id']}/" if row["evidence_id"] else ""
        cache.set(BANNER_CACHE_KEY_NAME, cached, BANNER_CACHE_SECONDS)
    now = timezone.now()
    rows = [row for row in cached if row["expires_at"] > now]
    if followed:
        mine = {region.casefold() for region in followed}
        rows = sorted(rows, key=lambda row: row["region"].casefold() not in mine)  # stable: urgency kept within each part
    return rows[:BANNER_MAX_ALERTS]


# --- regions a reader follows (members: stored; visitors: a cookie of region slugs, no identifier) ---

REGIONS_COOKIE = "hrc_regions"
REGIONS_CACHE_KEY = "safety:regions:{peer_id}"


def regions_from_cookie(value: str) -> list[str]:
    """The configured regions named in the visitors' cookie (`downtown.west-end`); anything else is ignored."""
    found = [region_for_slug(slug) for slug in (value or "").split(".")[:50]]
    return sorted({region for region in found if region})


def followed_regions_of(peer) -> list[str]:
    """A member's regions, cached (every page's banner asks); services forget the entry when they change."""
    key = REGIONS_CACHE_KEY.format(peer_id=peer.pk)
    regions = cache.get(key)
    if regions is None:
        regions = list(FollowedRegion.objects.filter(peer=peer).values_list("region", flat=True))
        cache.set(key, regions, 60 * 60)
    return regions


def followed_regions(request) -> list[str]:
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return followed_regions_of(user)
    return regions_from_cookie(request.COOKIES.get(REGIONS_COOKIE, ""))


def followed_first(alerts, followed: list[str]) -> list:
    """Alerts of the followed regions first, each part in its own order."""
    mine = {region.casefold() for region in followed}
    return sorted(alerts, key=lambda alert: alert.region.casefold() not in mine)



def services_listing(*, kind: str = "", region: str = "") -> QuerySet[ServiceEntry]:
    entries = ServiceEntry.objects.all()
    if kind:
        entries = entries.filter(kind=kind)
    if region:
        entries = entries.filter(region__iexact=region)
    return entries.order_by("region", "kind", "name")


def service_regions() -> list[str]:
    return sorted(set(ServiceEntry.objects.values_list("region", flat=True)), key=str.lower)


def suggestions_pending() -> QuerySet[ServiceSuggestion]:
    return ServiceSuggestion.objects.filter(status=ServiceSuggestion.Status.PENDING).select_related("author", "entry")


# --- feeds ---

FEED_ITEMS = 50


def alerts_for_feed(region: str | None) -> list[DrugAlert]:
    """The newest published alerts (active or ended), of one region or all, with their evidence."""
    alerts = DrugAlert.objects.approved()
    if region:
        alerts = alerts.filter(region__iexact=region)
    return list(alerts.prefetch_related("results").order_by("-created", "-id")[:FEED_ITEMS])


def alerts_feed_version(region: str | None) -> tuple:
    """(latest change, count): an alert published, approved, ended early or rejected changes one of them."""
    alerts = DrugAlert.objects.approved()
    if region:
        alerts = alerts.filter(region__iexact=region)
    now = timezone.now()
    numbers = alerts.aggregate(created=Max("created"), moderated=Max("moderated_at"), ended=Max("expires_at", filter=Q(expires_at__lte=now)),
                               count=Count("id"))
    latest = max((value for value in (numbers["created"], numbers["moderated"], numbers["ended"]) if value), default=None)
    return latest, numbers["count"]
