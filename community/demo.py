"""Demo content that crosses apps, for `manage.py seed_demo`."""

import csv
import io
from datetime import date, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from checking import selectors as checking_selectors
from checking import services as checking_services

from forum import services as forum_services
from safety.guides import GUIDES
from voice import services as voice_services

# The rules /about/ implies, as the community's first version (voice: members change them by vote).
RULES = [
    ("No sourcing or selling", "Don't ask where to buy, offer to sell, trade or give drugs, or point anyone to a seller. "
     "It puts people at risk and can shut this place down."),
    ("No personal information", "Keep names, phone numbers, addresses, photos and anything else that could identify "
     "someone out of what you write, your own included."),
    ("Respect", "Treat everyone as the expert on their own life. No harassment, threats or slurs."),
    ("No shaming", "Nobody is shamed for using, for how they use, for cutting down or stopping, or for getting help. "
     "Talk about people, not \"addicts\" or \"abusers\"."),
]


def rules_seed() -> bool:
    """The first version of the rules, unless there are rules already."""
    return voice_services.rules_seed(rules=RULES)


@transaction.atomic
def guides_seed(*, board, author) -> int:
    """Post each guide that isn't there yet as a pinned, locked thread by `author` (a moderator); returns how many were added."""
    existing = set(board.threads.values_list("title", flat=True))
    added = 0
    for title, body in GUIDES:
        if title in existing:
            continue
        thread = forum_services.thread_create(board=board, author=author, title=title, body=body)
        forum_services.thread_pin(thread=thread, by=author)
        forum_services.thread_lock(thread=thread, by=author)
        added += 1
    return added


DEMO_RESULTS_FILE = settings.BASE_DIR / "docs" / "results-sample.csv"


@transaction.atomic
def results_seed() -> int:
    """The sample results file (docs/results-sample.csv), moved in time so its newest result is yesterday: the
    charts of the last months have something to show whenever the demo is loaded. Once: nothing if any result exists."""
    if checking_selectors.results_exist():
        return 0
    rows = list(csv.DictReader(io.StringIO(DEMO_RESULTS_FILE.read_text(encoding="utf-8"))))
    newest = max(date.fromisoformat(row["date"]) for row in rows)
    shift = timezone.localdate() - timedelta(days=1) - newest
    for row in rows:
        row["date"] = (date.fromisoformat(row["date"]) + shift).isoformat()
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]))
    writer.writeheader()
    writer.writerows(rows)
    return len(checking_services.results_import(by=None, data=out.getvalue()))
