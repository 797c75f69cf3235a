"""Push requests that have waited too long to every available supporter again.

Every open supporters' board already runs this check; run the command from cron (every minute)
too, so escalation happens even when no board is open. Safe to run alongside them.
"""

from django.core.management.base import BaseCommand

from helpnow.services import requests_escalate


class Command(BaseCommand):
    help = "Escalate help requests waiting longer than HELPNOW_ESCALATE_AFTER_SECONDS."

    def handle(self, *args, **options):
        pushed = requests_escalate()
        if options["verbosity"]:
            self.stdout.write(f"Pushed {pushed} waiting request(s) to the supporters on duty again.")
