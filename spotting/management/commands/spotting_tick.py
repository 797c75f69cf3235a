from django.conf import settings
from django.core.management.base import BaseCommand

from spotting.services import spotting_tick


class Command(BaseCommand):
    help = ("Spot me, every minute from cron: raise the alarm of each missed check-in whose grace has passed (once, "
            "however many processes run), end unclaimed requests at their limit, delete sessions 24 hours after they end.")

    def handle(self, *args, **options):
        if not settings.SPOTTING_ENABLED:
            return
        done = spotting_tick()
        self.stdout.write(f"spotting: {done['alarms']} alarm(s) raised, {done['unclaimed_ended']} unclaimed request(s) ended, "
                          f"{done['purged']} session(s) deleted")
