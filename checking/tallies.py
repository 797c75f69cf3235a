"""The month tallies behind the month chart (checking.models.MonthTally): added to as results are published, taken
from as they are deleted, rebuilt from the results when asked (`manage.py results_tally`, after loading results
some other way)."""

from collections import Counter

from django.db import connection, transaction
from django.db.models import Count, Q
from django.db.models.functions import TruncMonth

from checking.models import MonthTally, Result
from checking.vocabulary import CONCERN_KEYS

COLUMNS = ("total", *CONCERN_KEYS)
BATCH = 500  # tallies per statement: 4,500 parameters, well within SQLite's limit


def _month(day):
    return day.replace(day=1)


def tally_add(results, sign: int = 1) -> None:
    """Count `results` in (sign 1) or out (sign -1). One upsert that adds to what is there, so two publications at
    once each add their own (the database serialises the rows they share; nothing is read and written back)."""
    counts: dict[tuple, Counter] = {}
    for result in results:
        row = counts.setdefault((_month(result.checked_on), result.region, result.sold_as), Counter())
        row["total"] += sign
        for key in CONCERN_KEYS:
            row[key] += sign * bool(getattr(result, f"has_{key}"))
    if not counts:
        return
    quote = connection.ops.quote_name
    table = quote(MonthTally._meta.db_table)
    columns = ", ".join(quote(name) for name in ("month", "region", "sold_as", *COLUMNS))
    adds = ", ".join(f"{quote(name)} = {table}.{quote(name)} + excluded.{quote(name)}" for name in COLUMNS)
    items = list(counts.items())
    with connection.cursor() as cursor:
        for start in range(0, len(items), BATCH):
            batch = items[start:start + BATCH]
            values = ", ".join(["(" + ", ".join(["%s"] * (3 + len(COLUMNS))) + ")"] * len(batch))
            params = [value for key, row in batch for value in (*key, *(row[name] for name in COLUMNS))]
            cursor.execute(f"INSERT INTO {table} ({columns}) VALUES {values} "
                           f"ON CONFLICT ({quote('month')}, {quote('region')}, {quote('sold_as')}) DO UPDATE SET {adds}", params)


@transaction.atomic
def tallies_rebuild() -> int:
    """Every tally counted again from the results; returns how many rows there are."""
    MonthTally.objects.all().delete()
    grouped = (Result.objects.annotate(month=TruncMonth("checked_on")).values("month", "region", "sold_as")
               .annotate(total=Count("id"), **{key: Count("id", filter=Q(**{f"has_{key}": True})) for key in CONCERN_KEYS}).order_by())
    rows = [MonthTally(**{**row, "month": row["month"].date() if hasattr(row["month"], "date") else row["month"]}) for row in grouped]
    MonthTally.objects.bulk_create(rows, batch_size=1000)
    return len(rows)
