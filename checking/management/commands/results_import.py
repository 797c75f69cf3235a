"""`manage.py results_import FILE`: drug-checking results from a CSV file (docs/supply.md), all or nothing."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from checking import services
from checking.importing import MSG_REFUSED, ImportRefused


class Command(BaseCommand):
    help = "Import drug-checking results from a CSV file (format: docs/supply.md). A bad row stores nothing."

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)

    def handle(self, *args, file: Path, **options):
        try:
            data = file.read_bytes()
        except OSError as problem:
            raise CommandError(f"Can't read {file}: {problem.strerror}.") from None
        try:
            results = services.results_import(by=None, data=data)
        except ImportRefused as refused:
            raise CommandError("\n".join([str(MSG_REFUSED), *map(str, refused.errors)])) from None
        self.stdout.write(self.style.SUCCESS(f"{len(results)} results imported."))
