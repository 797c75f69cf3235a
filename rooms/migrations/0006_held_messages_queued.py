"""Held room messages enter the moderators' queue when they are held (issue 15); open a queue item for each
held message that has none yet (the queue page used to open them when a moderator looked)."""

from django.db import migrations

from moderation.queue import held_items_backfill


def queue_held_messages(apps, schema_editor):
    held_items_backfill(apps, model="rooms.Message", kind="message")


class Migration(migrations.Migration):

    dependencies = [
        ("rooms", "0005_room_bounds_constraints"),
        ("moderation", "0006_log_categories_and_monthly_counts"),
    ]

    operations = [migrations.RunPython(queue_held_messages, migrations.RunPython.noop)]
