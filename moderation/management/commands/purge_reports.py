"""Delete reports (and the copies of reported content kept for moderators) MODERATION_REPORT_RETENTION_DAYS after
their item was resolved. Run it from cron, e.g. daily."""

from django.core.management.base import BaseCommand

from moderation.queue import reports_purge


class Command(BaseCommand):
    help = "Delete reports and copies of reported content MODERATION_REPORT_RETENTION_DAYS after their item was resolved."

    def handle(self, *args, **options):
        reports, copies = reports_purge()
        if options["verbosity"]:
            self.stdout.write(f"Deleted {reports} report(s) and {copies} copy(ies) of reported content.")
