"""Moderation pages: parse input, check, call one service or selector, respond."""

from functools import wraps

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from commons.languages import said as _  # noqa: N812 (a str shown in the reader's language; see commons.languages.Said)
from commons.http import safe_next, sign_in_required
from moderation import registry, selectors, services, targets, transparency
from moderation.compaction import detail_days
from moderation.forms import AppealDecisionForm, AppealForm, DecisionForm, PatternForm, ReportForm
from moderation.models import Appeal, LogEntry, QueueItem, SourcingPattern
from moderation.permissions import check_can_moderate

MSG_DECIDED = _("Done. The decision is in the moderation log.")
MSG_APPEAL_SENT = _("Your appeal is sent. A moderator who didn't take the decision will look at it.")
MSG_APPEAL_DONE = _("Appeal decided. The person is told, and the log shows it.")
MSG_PATTERN_ADDED = _("Pattern added. New posts and messages are checked against it from now on.")
ITEMS_PER_PAGE, LOG_PER_PAGE = 25, 50


def moderators_only(view):
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        check_can_moderate(request.user)
        return view(request, *args, **kwargs)

    return wrapped


# A visitor's GET goes to the log-in page, a visitor's POST (a report) is refused in words.
members_only = sign_in_required(services.MSG_SIGN_IN_TO_REPORT)


@members_only
def report(request):
    ref = request.POST.get("target") or request.GET.get("target", "")
    form = ReportForm(request.POST if request.method == "POST" else None, initial={"target": ref})
    target = None
    try:
        target = targets.parse(ref, reader=request.user)  # nothing about what the reader can't see
    except ValidationError:
        pass
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                services.report_create(reporter=request.user, target_ref=form.cleaned_data["target"],
                                       reason=form.cleaned_data["reason"], text=form.cleaned_data["text"])
            except PermissionDenied as refusal:
                form.add_error(None, str(refusal))
                status = 403
            except ValidationError as invalid:
                form.add_error(None, invalid)
            else:
                messages.success(request, services.MSG_REPORT_THANKS)
                return redirect(safe_next(request, target.url if target else "/"))
    missing = targets.MSG_BAD_TARGET if ref and target is None and request.method != "POST" else ""
    return render(request, "moderation/report.html",
                  {"form": form, "target": target, "missing": missing, "next": safe_next(request, "")}, status=status)


@moderators_only
def queue(request):
    page = Paginator(selectors.open_items(), ITEMS_PER_PAGE).get_page(request.GET.get("page"))
    rows = selectors.queue_rows(list(page.object_list))
    # What waits on other apps' own review pages (drug alerts, directory suggestions): moderation.registry.
    return render(request, "moderation/queue.html", {"page": page, "rows": rows, **registry.queue_notices()})


@moderators_only
def item(request, item_id: int):
    queue_item = get_object_or_404(QueueItem.objects.select_related("subject", "resolved_by"), pk=item_id)
    form = DecisionForm(request.POST if request.method == "POST" else None)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.item_decide(item=queue_item, moderator=request.user, content_action=data["content_action"],
                                     sanction=data["sanction"], reason=data["reason"], hours=data["hours"],
                                     redacted_body=data["redacted_body"], category=data["category"], rule=data["rule"])
            except services.AlreadyResolved as already:
                form.add_error(None, str(already))
                status = 409
            except ValidationError as invalid:
                form.add_error(None, invalid)
            except PermissionDenied as refusal:
                form.add_error(None, str(refusal))
                status = 403
            else:
                messages.success(request, MSG_DECIDED)
                return redirect("moderation:queue")
        queue_item.refresh_from_db()
    context = selectors.item_detail(queue_item)
    if request.method != "POST":
        form.initial["category"] = services.category_suggest(queue_item)
        if context["target"] is not None:
            form.initial["redacted_body"] = services.redact_suggestion(context["target"].body)
    return render(request, "moderation/item.html", {"item": queue_item, "form": form, **context}, status=status)


def log(request):
    """The public log: open to everyone, signed in or not. It names the acting moderator, never the member."""
    page = Paginator(selectors.public_log(), LOG_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "moderation/log.html", {"page": page, "folded": selectors.log_folded_summary(),
                                                   "detail_days": detail_days()})


def transparency_page(request):
    """Monthly figures for everyone, as server-drawn SVG charts with the same numbers in tables."""
    months = transparency.monthly_figures()
    return render(request, "moderation/transparency.html", {
        "months": months, "kinds": transparency.ACTION_KINDS, "actions_chart": transparency.actions_chart(months),
        "waits_chart": transparency.waits_chart(months), "appeals_chart": transparency.appeals_chart(months),
        "detail_days": detail_days(),
    })


@moderators_only
def dashboard(request):
    return render(request, "moderation/dashboard.html", selectors.dashboard())


@never_cache  # a personal page: never kept in a browser's cache (shared devices)
@members_only
def my_decisions(request):
    entries = list(selectors.appealable_entries(request.user)[:50])
    return render(request, "moderation/my_decisions.html", {"entries": entries, "form": AppealForm()})


@members_only
@require_POST
def appeal_create(request, entry_id: int):
    entry = get_object_or_404(LogEntry, pk=entry_id)
    form = AppealForm(request.POST)
    status = 400
    if form.is_valid():
        try:
            services.appeal_create(appellant=request.user, log_entry=entry, text=form.cleaned_data["text"])
        except PermissionDenied as refusal:
            form.add_error(None, str(refusal))
            status = 403
        except ValidationError as invalid:
            form.add_error(None, invalid)
        else:
            messages.success(request, MSG_APPEAL_SENT)
            return redirect("moderation:my_decisions")
    entries = list(selectors.appealable_entries(request.user)[:50])
    return render(request, "moderation/my_decisions.html", {"entries": entries, "form": form, "failed_entry": entry.pk}, status=status)


@moderators_only
def appeals(request):
    return render(request, "moderation/appeals.html", {"appeals": list(selectors.open_appeals()), "form": AppealDecisionForm()})


@moderators_only
@require_POST
def appeal_decide(request, appeal_id: int):
    appeal_obj = get_object_or_404(Appeal.objects.select_related("log_entry", "appellant"), pk=appeal_id)
    form = AppealDecisionForm(request.POST)
    status = 400
    if form.is_valid():
        try:
            services.appeal_decide(appeal=appeal_obj, moderator=request.user, overturn=form.cleaned_data["outcome"] == "overturn",
                                   reason=form.cleaned_data["reason"])
        except services.AlreadyResolved as already:
            form.add_error(None, str(already))
            status = 409
        except PermissionDenied as refusal:
            form.add_error(None, str(refusal))
            status = 403
        except ValidationError as invalid:
            form.add_error(None, invalid)
        else:
            messages.success(request, MSG_APPEAL_DONE)
            return redirect("moderation:appeals")
    return render(request, "moderation/appeals.html",
                  {"appeals": list(selectors.open_appeals()), "form": form, "failed_appeal": appeal_obj.pk}, status=status)


@moderators_only
def patterns(request):
    form = PatternForm(request.POST if request.method == "POST" else None)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                services.pattern_add(moderator=request.user, **form.cleaned_data)
            except ValidationError as invalid:
                form.add_error(None, invalid)
            else:
                messages.success(request, MSG_PATTERN_ADDED)
                return redirect("moderation:patterns")
    return render(request, "moderation/patterns.html", {"form": form, "patterns": list(selectors.patterns())}, status=status)


@moderators_only
@require_POST
def pattern_toggle(request, pattern_id: int):
    pattern = get_object_or_404(SourcingPattern, pk=pattern_id)
    services.pattern_toggle(moderator=request.user, pattern=pattern, active=request.POST.get("active") == "1")
    return redirect("moderation:patterns")
