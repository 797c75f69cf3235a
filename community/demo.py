"""Demo content that crosses apps, for `manage.py seed_demo`."""

from django.db import transaction

from forum import services as forum_services
from safety.guides import GUIDES


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
