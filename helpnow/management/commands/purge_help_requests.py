"""Delete private help conversations 24 hours after they ended, unless reported. Run it from cron, e.g. hourly."""

from django.core.management.base import BaseCommand

from helpnow.services import requests_purge


class Command(BaseCommand):
    help = "Delete help requests and their private rooms HELPNOW_DELETE_AFTER_HOURS after they ended, unless a message in them is reported."

    def handle(self, *args, **options):
        deleted, kept = requests_purge()
        if options["verbosity"]:
            self.stdout.write(f"Deleted {deleted} ended help conversation(s); kept {kept} with an open report.")
