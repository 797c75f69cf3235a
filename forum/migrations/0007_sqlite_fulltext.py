"""SQLite only: the FTS5 index for search (forum/sqlite_search.py). Nothing on PostgreSQL."""

from django.db import migrations


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        from forum import sqlite_search

        sqlite_search.install(schema_editor.connection)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        from forum import sqlite_search

        sqlite_search.uninstall(schema_editor.connection)


class Migration(migrations.Migration):
    dependencies = [("forum", "0006_board_moderators_only")]
    operations = [migrations.RunPython(forwards, backwards)]
