"""Delete room messages older than their room's retention (default 72 hours). Run it from cron, e.g. hourly."""

from django.core.management.base import BaseCommand

from rooms.services import messages_purge


class Command(BaseCommand):
    help = "Delete live-room messages older than each room's retention period (reported ones are copied for the moderators)."

    def handle(self, *args, **options):
        purged = messages_purge()
        if options["verbosity"]:
            self.stdout.write(f"Deleted {purged.deleted} room message(s) past their room's retention; "
                              f"{purged.copied} under an open report copied for the moderators.")
        if purged.failed:
            self.stderr.write(f"{purged.failed} room(s) could not be purged this time; the others were. See the error log.")
