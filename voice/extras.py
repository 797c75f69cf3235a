"""What voice adds to other apps' pages through commons.extras (registered in VoiceConfig.ready): a thread's
poll on forum's thread page, and the members' ratings on safety's services directory. Forum and safety name
only the slot; they never import voice."""

from django.template.loader import render_to_string

from voice import polls, ratings


def thread_poll(request, threads) -> dict:
    """The thread's poll (a due one is closed on this first read), or, for the thread's author while it has
    none, the way to add one. The thread page lists only threads the reader may see (forum's one rule)."""
    found = {}
    peer = request.user
    for thread in threads:
        poll = polls.poll_for_thread(thread.pk)
        if poll is not None:
            found[thread.pk] = render_to_string("voice/_poll.html", poll_context(request, poll), request=request)
        elif peer.is_authenticated and thread.author_id == peer.pk and not thread.locked:
            found[thread.pk] = render_to_string("voice/_poll_add.html", {"thread_id": thread.pk}, request=request)
    return found


def poll_context(request, poll, *, error: str = "") -> dict:
    peer = request.user
    return {
        "poll": poll, "thread_id": poll.thread_id, "options": list(poll.options.all()), "chosen": polls.choices_of(poll, peer),
        "results": polls.results(poll) if not poll.is_open else (), "error": error, "signed_in": peer.is_authenticated,
    }


def service_ratings(request, entries) -> dict:
    """Each service's ratings (once five people have rated) and the way to rate it."""
    summaries = ratings.summaries(entries, request.user)
    return {
        entry.pk: render_to_string("voice/_service_ratings.html", {"entry": entry, "summary": summaries[entry.pk],
                                                                   "min_raters": ratings.min_raters()}, request=request)
        for entry in entries
    }
