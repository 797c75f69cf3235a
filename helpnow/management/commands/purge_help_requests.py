"""Delete private help conversations 24 hours after they ended. Run it from cron, e.g. hourly."""

from django.core.management.base import BaseCommand

from helpnow.services import requests_purge


class Command(BaseCommand):
    help = ("Delete help requests and their private rooms HELPNOW_DELETE_AFTER_HOURS after they ended; "
            "a message under an open report is copied for the moderators first.")

    def handle(self, *args, **options):
        deleted, copied = requests_purge()
        if options["verbosity"]:
            self.stdout.write(f"Deleted {deleted} ended help conversation(s); {copied} reported message(s) copied for the moderators.")
