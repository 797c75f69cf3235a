"""Close every due vote (cron: every minute; README's scheduled jobs). Safe beside the web processes: each
vote is closed by one conditional UPDATE, so a page that closes it on first read and this command never both do."""

from django.core.management.base import BaseCommand

from voice.polls import polls_close_due
from voice.services import proposals_close_due


class Command(BaseCommand):
    help = "Close the votes (proposals and polls) whose window has passed, count them and make their outcomes take effect."

    def handle(self, *args, **options):
        closed = proposals_close_due() + polls_close_due()  # a poll is a vote too
        self.stdout.write(f"Closed {closed} vote{'s' if closed != 1 else ''}.")
