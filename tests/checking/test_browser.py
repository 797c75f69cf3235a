"""The supply journey in a real browser: a checker imports the sample CSV, /results/ shows its chart, a moderator
raises an alert from a result, and a page open meanwhile receives the alert with its evidence link. Set
SUPPLY_SCREENSHOTS=<folder> (screenshots/ is git-ignored) to also save /results/ and its chart at 390 and 1280 px."""

import csv
import os
from datetime import date
from pathlib import Path

import pytest

from checking.models import Result
from checking.selectors import CHART_MONTHS, _months_back
from peers import roles
from tests.browser import DESKTOP, PHONE, csp_problems, open_page
from tests.conftest import make_peer, session_key_for

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SAMPLE = Path(__file__).resolve().parents[2] / "docs" / "results-sample.csv"
SHOTS = os.environ.get("SUPPLY_SCREENSHOTS")


def _shot(page, name: str, selector: str | None = None) -> None:
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        target = page.locator(selector).first if selector else page
        options = {} if selector else {"full_page": True}
        target.screenshot(path=str(Path(SHOTS) / f"supply-{name}.png"), **options)


def _sample_rows_in_chart_window() -> int:
    from django.utils import timezone

    start = _months_back(timezone.localdate(), CHART_MONTHS)[0]
    with SAMPLE.open() as sample:
        return sum(1 for row in csv.DictReader(sample) if date.fromisoformat(row["date"]) >= start)


def test_checker_imports_the_sample_and_a_moderator_raises_an_alert_an_open_page_receives(asgi_server, browser):
    from playwright.sync_api import expect

    checker = open_page(browser, base_url=asgi_server, session_key=session_key_for(make_peer(roles.CHECKER)))
    checker.goto(asgi_server + "/results/upload/")
    checker.set_input_files("#id_file", str(SAMPLE))
    checker.click("main form button[type=submit]")
    checker.wait_for_load_state()
    assert checker.url == asgi_server + "/results/", checker.inner_text("main")
    rows = sum(1 for _ in SAMPLE.open()) - 1
    expect(checker.locator(".messages")).to_contain_text(f"{rows} results imported")

    chart = checker.locator('svg[data-chart="by-month"]')
    expect(chart).to_be_visible()
    totals = [int(value) for value in chart.locator("g[data-group]").evaluate_all("gs => gs.map(g => g.dataset.total)")]
    assert len(totals) == CHART_MONTHS and sum(totals) == _sample_rows_in_chart_window()
    assert checker.locator('table[data-table="by-month"] tbody tr').count() == CHART_MONTHS
    assert not csp_problems(checker) and not checker.problems, checker.problems

    viewer = open_page(browser)
    viewer.goto(asgi_server + "/results/")
    expect(viewer.locator("#alert-banner")).to_have_attribute("data-socket", "open", timeout=10_000)
    viewer.evaluate("window.__notReloaded = true")

    result = Result.objects.filter(has_fentanyl=True).order_by("id").first()
    moderator = open_page(browser, base_url=asgi_server, session_key=session_key_for(make_peer(roles.MODERATOR)))
    moderator.goto(asgi_server + result.get_absolute_url())
    moderator.click("text=Raise an alert from this result")
    moderator.wait_for_load_state()
    assert moderator.input_value("#id_region") == result.region
    moderator.click("main form button[type=submit]")
    moderator.wait_for_load_state()
    assert moderator.url == asgi_server + "/alerts/", moderator.inner_text("main")
    expect(moderator.locator(f'a.evidence__link[href="/results/{result.pk}/"]')).to_be_visible()

    item = viewer.locator(".alert-banner__item").first
    expect(item).to_contain_text(result.region, timeout=10_000)
    expect(item.locator("a.alert-banner__evidence")).to_have_attribute("href", f"/results/{result.pk}/")
    assert viewer.evaluate("window.__notReloaded") is True
    item.locator("a.alert-banner__evidence").click()
    viewer.wait_for_load_state()
    assert viewer.url == asgi_server + f"/results/{result.pk}/"

    for name, viewport in (("390", PHONE), ("1280", DESKTOP)):
        page = open_page(browser, viewport=viewport)
        page.goto(asgi_server + "/results/?sold_as=down")
        _shot(page, f"results-{name}")
        if SHOTS:
            page.screenshot(path=str(Path(SHOTS) / f"supply-results-{name}-first-screen.png"))
            page.locator("section.sc-charts").nth(1).screenshot(path=str(Path(SHOTS) / f"supply-region-chart-{name}.png"))
        _shot(page, f"chart-{name}", "section.sc-charts")
