"""Daily: forget the pseudonyms of accounts deleted more than PEERS_DELETED_PSEUDONYM_DAYS (90) days ago."""

from django.core.management.base import BaseCommand

from peers.deleted_pseudonyms import deleted_pseudonyms_purge


class Command(BaseCommand):
    help = "Forget deleted accounts' pseudonyms (keyed hashes) older than PEERS_DELETED_PSEUDONYM_DAYS."

    def handle(self, *args, **options):
        self.stdout.write(f"Forgot {deleted_pseudonyms_purge()} deleted accounts' pseudonyms.")
