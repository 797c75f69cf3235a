"""Reading drug-checking results from CSV (docs/supply.md has the format; docs/results-sample.csv is one).

`parse_results(text)` checks every row and returns them all, or raises ImportRefused listing each bad row by
its line number: a file is stored whole or not at all. Reading stores nothing.
"""

import csv
import io
from dataclasses import dataclass, field
from datetime import date

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from checking.models import Method
from checking.vocabulary import SOLD_AS, SUBSTANCES, region_named
from commons.text import validate_visible
from moderation.screening import HOLD_REASONS, hold_codes

COLUMNS = ("date", "region", "sold_as", "found", "method", "service", "note")
REQUIRED_COLUMNS = ("date", "region", "sold_as", "found", "method", "service")
MAX_ERRORS_LISTED = 20
SERVICE_MAX, NOTE_MAX, AMOUNT_MAX, FOUND_MAX = 120, 1000, 40, 20
TRACE = "trace"

MSG_EMPTY = _("The file is empty: the first line must name the columns ({columns}).")
MSG_NOT_TEXT = _("The file isn't readable text: save it as CSV in UTF-8.")
MSG_MISSING_COLUMNS = _("The first line has no column {missing}. The columns are: {columns}.")
MSG_TOO_MANY_ROWS = _("The file has {rows} rows; at most {limit} rows can be imported at once. Nothing was stored: split it into smaller files.")
MSG_NO_ROWS = _("The file has no results under its first line.")
MSG_LINE = _("Line {line}: {problem}")
MSG_REFUSED = _("Nothing from this file was stored. Please correct these lines and try again:")
MSG_MORE_ERRORS = _("… and {count} more lines with problems.")

MSG_DATE_BAD = _("the date “{value}” isn't a date written YYYY-MM-DD.")
MSG_DATE_FUTURE = _("the date {value} is in the future.")
MSG_REGION_UNKNOWN = _("the region “{value}” isn't one of this site's regions ({regions}).")
MSG_SOLD_AS_UNKNOWN = _("“{value}” isn't in the list of what samples are sold as ({known}).")
MSG_SUBSTANCE_UNKNOWN = _("the substance “{value}” isn't in the list of substances (docs/supply.md).")
MSG_SUBSTANCE_TWICE = _("the substance “{value}” is listed twice.")
MSG_FOUND_EMPTY = _("no substance found is listed: name at least one (for example “heroin”).")
MSG_FOUND_TOO_MANY = _("at most {limit} substances per result.")
MSG_AMOUNT_TOO_LONG = _("an amount can have at most {limit} characters.")
MSG_METHOD_UNKNOWN = _("the method “{value}” isn't one of {known}.")
MSG_SERVICE_MISSING = _("the service that checked it is missing.")
MSG_TOO_LONG = _("the {field} can have at most {limit} characters.")
MSG_NOTE_SCREENED = _("the note was held back because {reasons}. Results are public: leave out people's details and sourcing.")
MSG_INVISIBLE = _("the {field} holds only invisible characters.")


class ImportRefused(Exception):
    """The file, or some of its rows, can't be imported; `errors` are sentences a person reads."""

    def __init__(self, errors: list[str]):
        self.errors = [str(error) for error in errors]
        super().__init__("; ".join(self.errors))


@dataclass
class FoundRow:
    substance: str
    amount: str = ""
    trace: bool = False


@dataclass
class ResultRow:
    checked_on: date
    region: str
    sold_as: str
    method: str
    service: str
    note: str = ""
    found: list[FoundRow] = field(default_factory=list)


def max_rows() -> int:
    return int(settings.RESULTS_IMPORT_MAX_ROWS)


def parse_found(value: str) -> list[FoundRow]:
    """`fentanyl:12%; xylazine:trace; caffeine` -> FoundRows; raises ValueError with a readable problem."""
    items = [item.strip() for item in (value or "").split(";") if item.strip()]
    if not items:
        raise ValueError(MSG_FOUND_EMPTY)
    if len(items) > FOUND_MAX:
        raise ValueError(MSG_FOUND_TOO_MANY.format(limit=FOUND_MAX))
    found, seen = [], set()
    for item in items:
        name, _sep, amount = item.partition(":")
        key = " ".join(name.split()).lower().replace(" ", "-")
        if key not in SUBSTANCES:
            raise ValueError(MSG_SUBSTANCE_UNKNOWN.format(value=name.strip()))
        if key in seen:
            raise ValueError(MSG_SUBSTANCE_TWICE.format(value=name.strip()))
        seen.add(key)
        amount = " ".join(amount.split())
        if len(amount) > AMOUNT_MAX:
            raise ValueError(MSG_AMOUNT_TOO_LONG.format(limit=AMOUNT_MAX))
        trace = amount.lower() == TRACE
        found.append(FoundRow(substance=key, amount="" if trace else amount, trace=trace))
    return found


def parse_date(value: str) -> date:
    try:
        parsed = date.fromisoformat((value or "").strip())
    except ValueError:
        raise ValueError(MSG_DATE_BAD.format(value=value)) from None
    if parsed > timezone.localdate():
        raise ValueError(MSG_DATE_FUTURE.format(value=parsed.isoformat()))
    return parsed


def parse_region(value: str) -> str:
    region = region_named(value)
    if region is None:
        raise ValueError(MSG_REGION_UNKNOWN.format(value=value, regions=", ".join(settings.SUPPLY_REGIONS)))
    return region


def parse_sold_as(value: str) -> str:
    key = " ".join((value or "").split()).lower()
    if key not in SOLD_AS:
        raise ValueError(MSG_SOLD_AS_UNKNOWN.format(value=value, known=", ".join(SOLD_AS)))
    return key


def parse_method(value: str) -> str:
    key = " ".join((value or "").split()).lower().replace(" ", "_")
    if key not in Method.values:
        raise ValueError(MSG_METHOD_UNKNOWN.format(value=value, known=", ".join(Method.values)))
    return key


def parse_text(value: str, *, field: str, limit: int, required_message: str | None = None, screened: bool = False) -> str:
    value = " ".join((value or "").split()) if field != "note" else (value or "").strip()
    if not value and required_message:
        raise ValueError(required_message)
    if len(value) > limit:
        raise ValueError(MSG_TOO_LONG.format(field=field, limit=limit))
    try:
        validate_visible(value)
    except Exception:  # commons.text raises ValidationError; a row reports it as a sentence
        raise ValueError(MSG_INVISIBLE.format(field=field)) from None
    if screened:
        codes = hold_codes(value, new_account=False, always_links=True)
        if codes:
            raise ValueError(MSG_NOTE_SCREENED.format(reasons=" and ".join(HOLD_REASONS[code] for code in codes)))
    return value


def parse_row(row: dict) -> ResultRow:
    """One row's values (keys of COLUMNS) -> a ResultRow, or ValueError naming the first problem."""
    return ResultRow(
        checked_on=parse_date(row.get("date", "")),
        region=parse_region(row.get("region", "")),
        sold_as=parse_sold_as(row.get("sold_as", "")),
        found=parse_found(row.get("found", "")),
        method=parse_method(row.get("method", "")),
        service=parse_text(row.get("service", ""), field="service", limit=SERVICE_MAX, required_message=MSG_SERVICE_MISSING),
        note=parse_text(row.get("note", "") or "", field="note", limit=NOTE_MAX, screened=True),
    )


def parse_results(data: bytes | str) -> list[ResultRow]:
    """Every row of a results CSV, checked; ImportRefused lists the bad lines (by line number) if any."""
    if isinstance(data, bytes):
        try:
            data = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise ImportRefused([MSG_NOT_TEXT]) from None
    data = data.lstrip("\ufeff")
    reader = csv.DictReader(io.StringIO(data, newline=""))
    header = [(name or "").strip().lower() for name in (reader.fieldnames or [])]
    if not header:
        raise ImportRefused([MSG_EMPTY.format(columns=", ".join(COLUMNS))])
    missing = [column for column in REQUIRED_COLUMNS if column not in header]
    if missing:
        raise ImportRefused([MSG_MISSING_COLUMNS.format(missing=", ".join(f"“{m}”" for m in missing), columns=", ".join(COLUMNS))])
    reader.fieldnames = header
    limit = max_rows()
    rows, errors, bad = [], [], 0
    try:
        for raw in reader:
            if len(rows) + bad >= limit:
                total = len(rows) + bad + 1 + sum(1 for _row in reader)
                raise ImportRefused([MSG_TOO_MANY_ROWS.format(rows=f"{total:,}", limit=f"{limit:,}")])
            values = {key: (value if isinstance(value, str) else "") for key, value in raw.items() if key}
            if not any(values.values()):
                continue  # a blank line
            try:
                rows.append(parse_row(values))
            except ValueError as problem:
                bad += 1
                if len(errors) < MAX_ERRORS_LISTED:
                    errors.append(MSG_LINE.format(line=reader.line_num, problem=problem))
    except csv.Error as problem:
        raise ImportRefused([MSG_LINE.format(line=reader.line_num, problem=problem)]) from None
    if bad > len(errors):
        errors.append(MSG_MORE_ERRORS.format(count=bad - len(errors)))
    if errors:
        raise ImportRefused(errors)
    if not rows:
        raise ImportRefused([MSG_NO_ROWS])
    return rows
