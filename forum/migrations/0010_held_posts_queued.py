"""Held posts enter the moderators' queue when they are held (issue 15); open a queue item for each held post
that has none yet (the queue page used to open them when a moderator looked)."""

from django.db import migrations

from moderation.queue import held_items_backfill


def queue_held_posts(apps, schema_editor):
    held_items_backfill(apps, model="forum.Post", kind="post")


class Migration(migrations.Migration):

    dependencies = [
        ("forum", "0009_stored_counts"),
        ("moderation", "0006_log_categories_and_monthly_counts"),
    ]

    operations = [migrations.RunPython(queue_held_posts, migrations.RunPython.noop)]
