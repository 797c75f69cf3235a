"""Recount the forum's stored counts from the posts themselves (forum.services.counters_recount_all).
Run it once after deploying migration 0009 if the old code kept taking posts while it ran, or whenever
a thread's or a board's pages look shifted."""

from django.core.management.base import BaseCommand

from forum.services import counters_recount_all


class Command(BaseCommand):
    help = "Recount every thread's replies, approved posts and latest activity, and every board's threads."

    def handle(self, *args, **options):
        counters_recount_all()
        if options["verbosity"]:
            self.stdout.write("Forum counts recounted.")
