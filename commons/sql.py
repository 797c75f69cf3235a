"""Plain SQL for the few hot reads where the ORM's own work costs more than the query.

On the thread page, building, compiling and turning into model instances the ORM queries for one page
of posts took about three times as long as PostgreSQL took to answer them (docs/performance.md). The
SQL written by hand stays portable (PostgreSQL and SQLite) and takes every value as a parameter; column
lists come from the models, so a renamed field fails loudly instead of reading the wrong column.
"""

from datetime import UTC, datetime

from django.core.exceptions import EmptyResultSet, FullResultSet
from django.db import connection, models


def fetch_all(sql: str, params: list) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def aware(value: datetime | None) -> datetime | None:
    """A datetime column as the ORM gives it: SQLite hands back naive UTC datetimes, PostgreSQL aware ones."""
    if value is not None and value.tzinfo is None:
        return value.replace(tzinfo=UTC)
    return value


def _boolean(field: models.Field, value):
    """SQLite hands back 0 and 1 for an expression such as EXISTS; the ORM gives booleans."""
    if isinstance(field, models.BooleanField) and value is not None:
        return bool(value)
    return value


def epoch(column: str) -> str:
    """SQL for a datetime column as seconds since 1970, to read with `from_epoch`. Faster to load than the
    datetime itself: on PostgreSQL Django's own timestamp loader is plain Python (~13 µs a value, 30
    on a thread page), on SQLite the text is parsed by a regular expression. Good to the millisecond."""
    if connection.vendor == "postgresql":
        return f"EXTRACT(EPOCH FROM {column})::float8"
    return f"((julianday({column}) - 2440587.5) * 86400.0)"


def from_epoch(seconds: float | None) -> datetime | None:
    # Rounded to the millisecond: SQLite's julianday arithmetic can land a hair before the true time,
    # which would show a post made at 10:00:00.000 as 09:59.
    return None if seconds is None else datetime.fromtimestamp(round(seconds, 3), UTC)


def columns(model: type[models.Model], alias: str) -> str:
    """The SELECT list of every column of `model`, in the order `instance_from_row` expects."""
    quote = connection.ops.quote_name
    return ", ".join(f"{alias}.{quote(field.column)}" for field in model._meta.concrete_fields)


def instance_from_row(model: type[models.Model], values: tuple | list) -> models.Model:
    """A model instance from the columns `columns(model, ...)` selected, as the ORM would have built it."""
    values = [
        aware(value) if isinstance(field, models.DateTimeField) else _boolean(field, value)
        for field, value in zip(model._meta.concrete_fields, values, strict=True)
    ]
    return model.from_db(connection.alias, None, values)


def where_sql(model: type[models.Model], condition) -> tuple[str, list]:
    """A filter written once as a `Q` (say, who may see a post), as SQL on `model`'s own table under its own
    name ("forum_post"."moderation_status" = %s), for hand-written SQL that reads `FROM <table>` unaliased.
    "1 = 1" when the filter is empty. Only conditions on the table's own columns (no joins)."""
    query = model.objects.filter(condition).query
    if sum(1 for count in query.alias_refcount.values() if count) > 1:
        raise ValueError("where_sql takes conditions on the model's own columns only")
    try:
        sql, params = query.get_compiler(connection=connection).compile(query.where)
    except FullResultSet:  # no condition: every row
        return "1 = 1", []
    except EmptyResultSet:
        return "1 = 0", []
    return sql or "1 = 1", list(params)
