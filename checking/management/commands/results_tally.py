"""`manage.py results_tally`: count the month chart's tallies again from the results (after results were loaded or
changed without the site's services, say by SQL). The site keeps them itself otherwise."""

from django.core.management.base import BaseCommand

from checking import tallies
from checking.selectors import results_changed


class Command(BaseCommand):
    help = "Count the results charts' month tallies again from the results."

    def handle(self, *args, **options):
        rows = tallies.tallies_rebuild()
        results_changed()
        self.stdout.write(self.style.SUCCESS(f"{rows} month tallies counted."))
