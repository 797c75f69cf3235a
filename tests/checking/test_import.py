"""CSV import of drug-checking results: a good file, every bad row, all or nothing, the row limit."""

from datetime import timedelta
from io import StringIO
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import CommandError, call_command
from django.utils import timezone

from checking import importing, services
from checking.importing import ImportRefused
from checking.models import Found, Result
from checking.permissions import MSG_CHECKERS_ONLY
from tests.checking.conftest import HEADER, csv_of

SAMPLE = Path(__file__).resolve().parents[2] / "docs" / "results-sample.csv"
GOOD = "2026-11-02,Downtown,down,fentanyl:12%;xylazine:trace;caffeine,ftir,Downtown drug checking,Stronger than usual"


def refused(data: str) -> list[str]:
    with pytest.raises(ImportRefused) as caught:
        services.results_import(by=None, data=data)
    return [str(error) for error in caught.value.errors]


def test_the_sample_file_imports_whole(db, checker):
    lines = SAMPLE.read_text().strip().splitlines()
    results = services.results_import(by=checker, data=SAMPLE.read_bytes())
    assert len(results) == Result.objects.count() == len(lines) - 1
    assert Found.objects.filter(substance="xylazine").exists()


def test_a_row_is_stored_with_its_substances_amounts_and_traces(db, checker):
    [result] = services.results_import(by=checker, data=csv_of(GOOD))
    result = Result.objects.get(pk=result.pk)
    assert (result.region, result.sold_as, result.method, result.service) == ("Downtown", "down", "ftir", "Downtown drug checking")
    assert [(f.substance, f.amount, f.trace) for f in result.found.all()] == [("fentanyl", "12%", False), ("xylazine", "", True), ("caffeine", "", False)]
    assert result.has_fentanyl and result.has_xylazine and not result.has_nitazenes


def test_a_named_substance_counts_for_its_group(db, checker):
    [result] = services.results_import(by=checker, data=csv_of("2026-11-02,Eastside,oxycodone,protonitazene;bromazolam:2 mg,lab,Eastside lab,"))
    assert Result.objects.get(pk=result.pk).concerns_found() == ["nitazenes", "benzodiazepines"]


@pytest.mark.parametrize("row, expected", [
    ("2026-11-02,Downtown,down,fentanil,ftir,S,", importing.MSG_SUBSTANCE_UNKNOWN.format(value="fentanil")),
    ("2026-11-02,Downtown,down,fentanyl,raman,S,", importing.MSG_METHOD_UNKNOWN.format(value="raman", known=", ".join(importing.Method.values))),
    ("2026-13-02,Downtown,down,fentanyl,ftir,S,", importing.MSG_DATE_BAD.format(value="2026-13-02")),
    ("2026-11-02,Atlantis,down,fentanyl,ftir,S,", None),
    ("2026-11-02,Downtown,pizza,fentanyl,ftir,S,", None),
    ("2026-11-02,Downtown,down,,ftir,S,", importing.MSG_FOUND_EMPTY),
    ("2026-11-02,Downtown,down,fentanyl;fentanyl,ftir,S,", importing.MSG_SUBSTANCE_TWICE.format(value="fentanyl")),
    ("2026-11-02,Downtown,down,fentanyl,ftir,,", importing.MSG_SERVICE_MISSING),
    ("2026-11-02,Downtown,down,fentanyl,ftir,S,call me on 0412 345 678", None),
    ("2026-11-02,Downtown,down,fentanyl,ftir,S,got it from the guy at 12 Smith Street", None),
])
def test_each_bad_row_is_named_by_its_line_and_nothing_is_stored(db, row, expected):
    errors = refused(csv_of(GOOD, GOOD, row, GOOD))
    assert len(errors) == 1 and errors[0].startswith("Line 4: ")
    if expected is not None:
        assert errors[0] == f"Line 4: {expected}"
    assert Result.objects.count() == 0 and Found.objects.count() == 0


def test_a_date_in_the_future_is_refused(db):
    tomorrow = (timezone.localdate() + timedelta(days=1)).isoformat()
    errors = refused(csv_of(GOOD, f"{tomorrow},Downtown,down,fentanyl,ftir,S,"))
    assert errors == [f"Line 3: {importing.MSG_DATE_FUTURE.format(value=tomorrow)}"]
    assert Result.objects.count() == 0


def test_a_region_not_configured_names_the_regions(db, settings):
    settings.SUPPLY_REGIONS = ["Harbour", "Hills"]
    errors = refused(csv_of("2026-11-02,Downtown,down,fentanyl,ftir,S,"))
    assert errors == ["Line 2: " + importing.MSG_REGION_UNKNOWN.format(value="Downtown", regions="Harbour, Hills")]


def test_every_bad_line_is_listed(db):
    errors = refused(csv_of("2026-11-02,Atlantis,down,fentanyl,ftir,S,", GOOD, "2026-11-02,Downtown,down,unobtainium,ftir,S,"))
    assert [error.split(":")[0] for error in errors] == ["Line 2", "Line 4"]


def test_a_missing_column_is_named(db):
    errors = refused("date,region,sold_as,found,service\n2026-11-02,Downtown,down,fentanyl,S\n")
    assert errors == [importing.MSG_MISSING_COLUMNS.format(missing="\u201cmethod\u201d", columns=", ".join(importing.COLUMNS))]
    assert Result.objects.count() == 0


@pytest.mark.parametrize("data, expected", [
    ("", importing.MSG_EMPTY.format(columns=", ".join(importing.COLUMNS))),
    (HEADER, importing.MSG_NO_ROWS),
    (b"\xff\xfe\x00garbage", importing.MSG_NOT_TEXT),
])
def test_an_empty_or_unreadable_file_is_refused(db, data, expected):
    assert refused(data) == [str(expected)]


def test_the_row_limit_is_accepted_and_one_more_is_refused_whole(db, settings):
    limit = settings.RESULTS_IMPORT_MAX_ROWS
    assert limit == 10_000
    at_limit = HEADER + (GOOD + "\n") * limit
    assert len(services.results_import(by=None, data=at_limit)) == limit
    Result.objects.all().delete()
    errors = refused(at_limit + GOOD + "\n")
    assert errors == [importing.MSG_TOO_MANY_ROWS.format(rows="10,001", limit="10,000")]
    assert Result.objects.count() == 0


def test_a_failure_while_storing_leaves_nothing(db, checker, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(services.Found.objects, "bulk_create", broken)
    with pytest.raises(RuntimeError):
        services.results_import(by=checker, data=csv_of(GOOD, GOOD))
    assert Result.objects.count() == 0


def test_a_member_cannot_import_or_publish(db, peer):
    with pytest.raises(PermissionDenied) as caught:
        services.results_import(by=peer, data=csv_of(GOOD))
    assert str(caught.value) == str(MSG_CHECKERS_ONLY)
    with pytest.raises(PermissionDenied):
        services.result_create(by=peer, checked_on="2026-11-02", region="Downtown", sold_as="down", found="fentanyl",
                               method="ftir", service="S")
    assert Result.objects.count() == 0


def test_the_command_imports_a_file_and_reports_bad_lines(db, tmp_path):
    good = tmp_path / "good.csv"
    good.write_text(csv_of(GOOD, GOOD))
    out = StringIO()
    call_command("results_import", str(good), stdout=out)
    assert "2 results imported" in out.getvalue()
    bad = tmp_path / "bad.csv"
    bad.write_text(csv_of(GOOD, "2026-11-02,Atlantis,down,fentanyl,ftir,S,"))
    with pytest.raises(CommandError) as caught:
        call_command("results_import", str(bad))
    assert "Line 3:" in str(caught.value) and "Nothing from this file was stored" in str(caught.value)
    assert Result.objects.count() == 2
    with pytest.raises(CommandError):
        call_command("results_import", str(tmp_path / "missing.csv"))
