"""Plain SQL for the few hot reads where the ORM's own work costs more than the query.

Today only the signed-in person's row (peers.backends) is read this way. SQL written by hand stays
portable (PostgreSQL and SQLite) and takes every value as a parameter; column lists come from the models,
so a renamed field fails loudly instead of reading the wrong column.
"""

from datetime import UTC, datetime

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
