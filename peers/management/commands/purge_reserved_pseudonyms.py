"""Daily: forget the pseudonyms of accounts deleted more than PEERS_PSEUDONYM_RESERVED_DAYS (90) days ago."""

from django.core.management.base import BaseCommand

from peers.reservations import reservations_purge


class Command(BaseCommand):
    help = "Forget reserved pseudonyms (keyed hashes) older than PEERS_PSEUDONYM_RESERVED_DAYS."

    def handle(self, *args, **options):
        self.stdout.write(f"Forgot {reservations_purge()} reserved pseudonyms.")
