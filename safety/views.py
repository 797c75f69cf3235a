import hashlib
import json
from functools import lru_cache

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.dateformat import format as date_format
from django.utils.text import slugify
from django.utils.translation import gettext, gettext_lazy as _
from django.views.decorators.http import require_POST

from checking import selectors as checking_selectors
from commons import extras
from commons.assets import asset
from commons.ids import parse_id
from commons.markup import render_markdown
from moderation.models import ModerationStatus
from safety import selectors, services
from safety.forms import AlertForm, ServiceForm
from safety.models import DrugAlert, ServiceEntry, ServiceKind, ServiceSuggestion
from safety.permissions import check_can_moderate, check_can_post_alert, check_can_take_part, is_established, publishes_alerts_directly

MSG_ALERT_PUBLISHED = _("Your alert is out: everyone online sees it now.")
MSG_SEEN_THANKS = _("Thanks for saying so. It helps others judge how widespread this is.")
MSG_SUGGESTION_THANKS = _("Thank you. A moderator will check your suggestion before it shows in the directory.")
MSG_UNKNOWN_ACTION = _("Unknown action.")
MSG_UNKNOWN_KIND = _("That kind of service isn't in the list. Showing every kind instead.")
MSG_ALERT_DECIDED = {"approve": _("Alert approved and sent to everyone online."), "reject": _("Alert rejected."),
                     "end": _("Alert ended and moved to the archive.")}
MSG_NOTHING_CHANGED = _("Nothing to change: someone already did this.")
ARCHIVE_PER_PAGE, SERVICES_PER_PAGE = 30, 40


def _refused(request, message: str, status: int):
    return render(request, "safety/refused.html", {"message": message}, status=status)


def alert_list(request):
    peer = request.user
    followed = selectors.followed_regions(request)
    context = {
        "alerts": selectors.followed_first(selectors.alerts_active_for(peer), followed),
        "followed": followed,
        "my_pending": selectors.alerts_pending_of(peer),
        "can_post": publishes_alerts_directly(peer) or is_established(peer),
        "pending": selectors.alerts_pending() if peer.is_authenticated and peer.is_moderator else None,
    }
    return render(request, "safety/alerts.html", context)


REGIONS_COOKIE_DAYS = 365
MSG_REGIONS_SAVED = _("Saved. Alerts from your regions now come first.")


def alert_regions(request):
    """Pick the regions whose alerts come first: a member's are stored, a visitor's kept in a cookie of region
    names only (no identifier: nothing to track)."""
    chosen = selectors.followed_regions(request)
    status = 200
    error = ""
    if request.method == "POST":
        try:
            regions = services.regions_clean(request.POST.getlist("region"))
            if request.user.is_authenticated:
                services.regions_follow(peer=request.user, regions=regions)
        except ValidationError as invalid:
            error, status = invalid.messages[0], 400
        else:
            messages.success(request, MSG_REGIONS_SAVED)
            response = redirect("safety:alerts")
            if not request.user.is_authenticated:
                if regions:
                    response.set_cookie(selectors.REGIONS_COOKIE, ".".join(slugify(region) for region in regions),
                                        max_age=REGIONS_COOKIE_DAYS * 86400, samesite="Lax", secure=request.is_secure(), httponly=True)
                else:
                    response.delete_cookie(selectors.REGIONS_COOKIE, samesite="Lax")
            return response
    return render(request, "safety/regions.html", {"regions": settings.SUPPLY_REGIONS, "chosen": chosen, "error": error}, status=status)


def alert_archive(request):
    page = Paginator(selectors.alerts_archived(), ARCHIVE_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "safety/archive.html", {"page": page})


def _from_result(request) -> tuple[dict, object]:
    """An alert raised from a drug-checking result (/alerts/new/?result=<id>): the form filled from it."""
    result_id = parse_id(request.GET.get("result", ""))
    result = checking_selectors.result_detail(result_id) if result_id is not None else None
    if result is None:
        return {}, None
    concerns = result.concerns_found() or [found.substance for found in result.found.all()[:2]]
    trace = gettext("trace")
    found = ", ".join(found.label + (f" ({trace})" if found.trace else f" ({found.amount})" if found.amount else "") for found in result.found.all())
    initial = {
        "substance": ", ".join(concerns).capitalize()[:100],
        "summary": gettext("Sold as {sold_as}, found: {found}. Checked {day} by {service}.").format(
            sold_as=result.sold_as_label, found=found, day=date_format(result.checked_on, "j M"), service=result.service)[:300],
        "region": result.region,
        "source": DrugAlert.Source.TEST_STRIP if result.method == "test_strip" else DrugAlert.Source.DRUG_CHECKING,
        "severity": DrugAlert.Severity.DANGER if result.concerns_found() else DrugAlert.Severity.WARNING,
        "results": str(result.pk),
    }
    return initial, result


@login_required
def alert_new(request):
    check_can_post_alert(request.user)
    initial, from_result = _from_result(request) if request.method == "GET" else ({}, None)
    form = AlertForm(request.POST or None, initial=initial)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                alert = services.alert_create(author=request.user, **form.cleaned_data)
            except ValidationError as invalid:
                form.add_error(None, invalid)
            else:
                messages.success(request, services.MSG_ALERT_HELD if alert.is_pending else MSG_ALERT_PUBLISHED)
                return redirect("safety:alerts")
        status = 400
    return render(request, "safety/alert_new.html", {"form": form, "direct": publishes_alerts_directly(request.user),
                                                     "from_result": from_result}, status=status)


@login_required
@require_POST
def alert_seen(request, alert_id: int):
    alert = get_object_or_404(DrugAlert, pk=alert_id)
    try:
        recorded = services.alert_mark_seen(alert=alert, peer=request.user)
    except ValidationError as invalid:
        return _refused(request, invalid.messages[0], 400)
    if not recorded:
        return _refused(request, services.MSG_ALREADY_SEEN, 409)
    messages.success(request, MSG_SEEN_THANKS)
    return redirect(alert.get_absolute_url())


@login_required
@require_POST
def alert_review(request, alert_id: int):
    check_can_moderate(request.user)
    alert = get_object_or_404(DrugAlert, pk=alert_id)
    action = request.POST.get("action", "")
    if action == "approve":
        changed = services.alert_moderate(alert=alert, status=ModerationStatus.APPROVED, by=request.user)
    elif action == "reject":
        reason = " ".join(request.POST.get("reason", "").split())[:500]
        try:
            changed = services.alert_moderate(alert=alert, status=ModerationStatus.REJECTED, by=request.user, reason=reason)
        except ValidationError as invalid:
            return _refused(request, invalid.messages[0], 400)
    elif action == "end":
        changed = services.alert_end(alert=alert, by=request.user)
    else:
        return _refused(request, MSG_UNKNOWN_ACTION, 400)
    if not changed:
        return _refused(request, MSG_NOTHING_CHANGED, 409)
    messages.success(request, MSG_ALERT_DECIDED[action])
    return redirect("safety:alerts")


# --- help pages ---


def overdose_help(request):
    return render(request, "safety/overdose.html")


@lru_cache(maxsize=4)
def _note_html(source: str) -> str:
    # The note comes from a setting, so it is rendered once per process, not per request.
    return render_markdown(source)


def good_samaritan(request):
    return render(request, "safety/good_samaritan.html", {"note_html": _note_html(settings.SAFETY_GOOD_SAMARITAN_NOTE)})


# What the two offline pages need, and nothing else (templates/safety/offline-sw.js).
OFFLINE_PAGES = ("/help/overdose/", "/help/good-samaritan/")
OFFLINE_ASSETS = (
    "css/site.css", "css/forum.css", "css/rooms.css", "css/moderation.css", "css/safety.css", "css/helpnow.css",
    "js/quick-exit.js", "js/local-time.js", "js/alerts.js", "js/offline.js", "favicon.svg", "manifest.webmanifest",
    "icons/icon-192.png",
)


@lru_cache(maxsize=1)
def _offline_worker_context() -> dict:
    assets = [asset(name) for name in OFFLINE_ASSETS]
    # A new version whenever an asset's (hashed) URL changes, so a deploy replaces the kept copies.
    version = hashlib.sha256(json.dumps([OFFLINE_PAGES, assets]).encode()).hexdigest()[:12]
    return {"pages": json.dumps(list(OFFLINE_PAGES)), "assets": json.dumps(assets), "version": version}


def offline_worker(request):
    """The service worker that keeps the overdose page and the Good Samaritan note for use offline."""
    response = render(request, "safety/offline-sw.js", _offline_worker_context(), content_type="text/javascript; charset=utf-8")
    response["Cache-Control"] = "no-cache"
    return response


def about(request):
    return render(request, "safety/about.html")


# --- services directory ---


def service_list(request):
    kind = request.GET.get("kind", "")
    region = " ".join(request.GET.get("region", "").split())[:100]
    status = 200
    if kind and kind not in ServiceKind.values:
        messages.warning(request, MSG_UNKNOWN_KIND)
        kind, status = "", 400
    entries = selectors.services_listing(kind=kind, region=region)
    page = Paginator(entries.select_related(None), SERVICES_PER_PAGE).get_page(request.GET.get("page"))
    # What other apps add to each service (members' ratings: voice), through a slot: safety imports none of them.
    page.object_list = list(page.object_list)
    extras_html = extras.render("safety.services", request, page.object_list)
    for entry in page.object_list:
        entry.extras_html = extras_html[entry.pk]
    context = {
        "page": page, "kinds": ServiceKind.choices, "regions": selectors.service_regions(),
        "kind": kind, "region": region, "filtered": bool(kind or region),
        "pending_count": selectors.suggestions_pending().count() if request.user.is_authenticated and request.user.is_moderator else 0,
    }
    return render(request, "safety/services.html", context, status=status)


def _suggestion_form(request, *, entry: ServiceEntry | None):
    check_can_take_part(request.user)
    initial = {}
    if entry is not None:
        initial = {field: getattr(entry, field) for field in ("kind", "name", "region", "contact", "hours", "notes")}
    form = ServiceForm(request.POST or None, initial=initial)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.service_suggest(author=request.user, entry=entry, **form.cleaned_data)
            except ValidationError as invalid:
                form.add_error(None, invalid)
            else:
                messages.success(request, MSG_SUGGESTION_THANKS)
                return redirect("safety:services")
        status = 400
    return render(request, "safety/service_suggest.html", {"form": form, "entry": entry}, status=status)


@login_required
def service_suggest(request):
    return _suggestion_form(request, entry=None)


@login_required
def service_correct(request, entry_id: int):
    return _suggestion_form(request, entry=get_object_or_404(ServiceEntry, pk=entry_id))


@login_required
def service_review(request):
    check_can_moderate(request.user)
    return render(request, "safety/service_review.html", {"suggestions": selectors.suggestions_pending()})


@login_required
@require_POST
def suggestion_decide(request, suggestion_id: int):
    check_can_moderate(request.user)
    suggestion = get_object_or_404(ServiceSuggestion, pk=suggestion_id)
    action = request.POST.get("action", "")
    if action == "accept":
        changed = services.suggestion_accept(suggestion=suggestion, by=request.user) is not None
    elif action == "decline":
        changed = services.suggestion_decline(suggestion=suggestion, by=request.user)
    else:
        return _refused(request, MSG_UNKNOWN_ACTION, 400)
    if not changed:
        return _refused(request, services.MSG_SUGGESTION_DONE, 409)
    messages.success(request, gettext("Suggestion accepted and marked verified today.") if action == "accept" else gettext("Suggestion declined."))
    return redirect("safety:service_review")


@login_required
@require_POST
def service_verify(request, entry_id: int):
    check_can_moderate(request.user)
    entry = get_object_or_404(ServiceEntry, pk=entry_id)
    if services.service_verify(entry=entry, by=request.user):
        messages.success(request, gettext("{name} is marked verified today.").format(name=entry.name))
    return redirect(entry.get_absolute_url())
