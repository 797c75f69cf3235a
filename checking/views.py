"""Thin views for drug-checking results: parse, check, call one service, answer."""

import functools

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils.functional import SimpleLazyObject
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from django.views.decorators.http import require_POST

from checking import charts, selectors, services
from checking.forms import CheckerRoleForm, ConfirmForm, ResultForm, ResultsUploadForm, SampleReportForm
from checking.importing import COLUMNS, MSG_REFUSED, ImportRefused, max_rows
from checking.models import Method, SampleReport
from checking.permissions import check_can_give_checker_role, check_can_publish_results, check_can_report_sample, is_checker
from checking.vocabulary import CONCERNS, SOLD_AS, SUBSTANCES, regions
from commons.http import sign_in_first, sign_in_required

RESULTS_PER_PAGE = 30
MSG_PUBLISHED = gettext_noop("Result published.")
MSG_IMPORTED = gettext_noop("{count} results imported.")
MSG_REPORT_THANKS = gettext_noop("Thank you. A checker will look at your report; if they confirm it, it shows in the results (without your name).")
MSG_CONFIRMED = gettext_noop("Confirmed: the result is published.")
MSG_DECLINED = gettext_noop("Report declined.")
MSG_ROLE_GIVEN = gettext_noop("{name} is now a checker.")
MSG_ROLE_TAKEN = gettext_noop("{name} is no longer a checker.")
MSG_NOTHING_CHANGED = gettext_noop("Nothing to change.")
MSG_UNKNOWN_ACTION = gettext_noop("Unknown action.")


def _refused(request, message: str, status: int):
    return render(request, "checking/refused.html", {"message": message}, status=status)


class _CountedPaginator(Paginator):
    """A paginator told its count (selectors.results_count keeps it) instead of asking the database each page."""

    def __init__(self, object_list, per_page, count: int):
        super().__init__(object_list, per_page)
        self.__dict__["count"] = count  # Paginator.count is a cached_property: this is its value


def _result_row(result) -> str:
    return render_to_string("checking/_result_row.html", {"result": result})


@functools.cache
def _filter_choices(language: str) -> dict:
    """The filter form's choices with their labels in `language` (the active one), worked out once per language: as
    lazy labels they were translated again on every page, about 50 each time, a fifth of /results/'s own time
    (docs/performance.md, "Results and feeds")."""
    return {"sold_as_choices": [(key, str(label)) for key, label in SOLD_AS.items()],
            "substances": [(key, (str(label), group)) for key, (label, group) in SUBSTANCES.items()],
            "concerns": tuple((key, str(label)) for key, label in CONCERNS)}


def result_list(request):
    filters = selectors.filters_from(request.GET)
    ids = selectors.result_ids_matching(filters)
    page = _CountedPaginator(ids, RESULTS_PER_PAGE, selectors.results_count(filters)).get_page(request.GET.get("page"))
    context = {
        "page": page, "rows": selectors.results_rows(list(page.object_list), _result_row), "filters": filters, "query": filters.as_query(),
        "regions": regions(), **_filter_choices(get_language()),
        # Read only when the template's fragment cache (keyed by charts_key) misses.
        "charts": SimpleLazyObject(lambda: _charts(filters)), "charts_key": selectors.charts_cache_key(filters),
        "charts_seconds": selectors.CHARTS_CACHE_SECONDS,
        "sold_as_label": SOLD_AS.get(filters.sold_as, ""), "is_checker": is_checker(request.user),
    }
    return render(request, "checking/results.html", context, status=400 if filters.problems else 200)


def _charts(filters) -> dict:
    numbers = selectors.chart_numbers(filters)
    return {**numbers, "month_chart": charts.grouped_bars(numbers["by_month"]), "region_chart": charts.grouped_bars(numbers["by_region"])}


def result_page(request, result_id: int):
    result = selectors.result_detail(result_id)
    if result is None:
        raise Http404
    return render(request, "checking/result.html", {"result": result, "concerns": CONCERNS})


@sign_in_required()
def result_new(request):
    check_can_publish_results(request.user)
    form = ResultForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                result = services.result_create(by=request.user, **form.cleaned_data)
            except ValidationError as invalid:
                form.add_error(None, invalid)
            else:
                messages.success(request, _(MSG_PUBLISHED))
                return redirect(result.get_absolute_url())
        status = 400
    return render(request, "checking/result_new.html", {"form": form}, status=status)


@sign_in_required()
def results_upload(request):
    check_can_publish_results(request.user)
    form = ResultsUploadForm(request.POST or None, request.FILES or None)
    errors, status = [], 200
    if request.method == "POST":
        if form.is_valid():
            try:
                imported = services.results_import(by=request.user, data=form.cleaned_data["file"].read())
            except ImportRefused as refused:
                errors = [str(error) for error in refused.errors]
            else:
                messages.success(request, _(MSG_IMPORTED).format(count=len(imported)))
                return redirect("checking:results")
        status = 400
    return render(request, "checking/upload.html", {"form": form, "errors": errors, "refused": MSG_REFUSED, "columns": COLUMNS,
                                                    "max_rows": max_rows(), "methods": Method.values, "sold_as": SOLD_AS,
                                                    "substances": SUBSTANCES, "regions": regions()}, status=status)


@sign_in_required()
def sample_report_new(request):
    check_can_report_sample(request.user)
    form = SampleReportForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.sample_report(author=request.user, **form.cleaned_data)
            except ValidationError as invalid:
                form.add_error(None, invalid)
            else:
                messages.success(request, _(MSG_REPORT_THANKS))
                return redirect("checking:results")
        status = 400
    return render(request, "checking/report.html", {"form": form, "mine": selectors.sample_reports_of(request.user)}, status=status)


@sign_in_required()
def sample_reports(request):
    check_can_publish_results(request.user)
    return render(request, "checking/reports.html", {"reports": selectors.sample_reports_pending()})


@require_POST
def sample_decide(request, report_id: int):
    report = get_object_or_404(SampleReport, pk=report_id)
    if (response := sign_in_first(request)) is not None:
        return response
    check_can_publish_results(request.user)
    action = request.POST.get("action", "")
    if action == "confirm":
        form = ConfirmForm(request.POST)
        form.is_valid()
        try:
            result = services.sample_confirm(report=report, by=request.user, service=form.cleaned_data.get("service", ""),
                                             note=form.cleaned_data.get("note", ""))
        except ValidationError as invalid:
            return _refused(request, invalid.messages[0], 400)
        if result is None:
            return _refused(request, str(services.MSG_REPORT_DECIDED), 409)
        messages.success(request, _(MSG_CONFIRMED))
        return redirect(result.get_absolute_url())
    if action == "decline":
        if not services.sample_decline(report=report, by=request.user):
            return _refused(request, str(services.MSG_REPORT_DECIDED), 409)
        messages.success(request, _(MSG_DECLINED))
        return redirect("checking:reports")
    return _refused(request, _(MSG_UNKNOWN_ACTION), 400)


@sign_in_required()
def checkers(request):
    check_can_give_checker_role(request.user)
    form = CheckerRoleForm(request.POST or None)
    status = 200
    if request.method == "POST":
        action = request.POST.get("action", "")
        if action not in ("grant", "revoke"):
            return _refused(request, _(MSG_UNKNOWN_ACTION), 400)
        if form.is_valid():
            act = services.checker_grant if action == "grant" else services.checker_revoke
            try:
                changed = act(name=form.cleaned_data["name"], by=request.user)
            except ValidationError as invalid:
                form.add_error("name", invalid)
            else:
                done = MSG_ROLE_GIVEN if action == "grant" else MSG_ROLE_TAKEN
                messages.success(request, _(done).format(name=form.cleaned_data["name"]) if changed else _(MSG_NOTHING_CHANGED))
                return redirect("checking:checkers")
        status = 400
    return render(request, "checking/checkers.html", {"form": form, "checkers": selectors.checker_names()}, status=status)


SAMPLE_CSV = settings.BASE_DIR / "docs" / "results-sample.csv"


def sample_csv(request):
    """docs/results-sample.csv, for checkers to start from."""
    return HttpResponse(SAMPLE_CSV.read_bytes(), content_type="text/csv; charset=utf-8",
                        headers={"Content-Disposition": 'attachment; filename="results-sample.csv"'})
