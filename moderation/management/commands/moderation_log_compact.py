"""Daily: fold moderation log entries older than MODERATION_LOG_DETAIL_DAYS into monthly counts."""

from django.core.management.base import BaseCommand

from moderation.compaction import log_compact


class Command(BaseCommand):
    help = "Keep moderation log entries older than MODERATION_LOG_DETAIL_DAYS (365) only as monthly counts."

    def handle(self, *args, **options):
        result = log_compact()
        self.stdout.write(f"Folded {result.entries} log entries written before {result.cutoff:%Y-%m-%d} into monthly counts.")
