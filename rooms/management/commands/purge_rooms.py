"""Delete room messages older than their room's retention (default 72 hours). Run it from cron, e.g. hourly."""

from django.core.management.base import BaseCommand

from rooms.services import messages_purge


class Command(BaseCommand):
    help = "Delete live-room messages older than each room's retention period."

    def handle(self, *args, **options):
        deleted = messages_purge()
        if options["verbosity"]:
            self.stdout.write(f"Deleted {deleted} room message(s) past their room's retention.")
