import uuid
from datetime import timedelta

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.utils.translation import gettext_noop
from django.views.decorators.http import require_POST

from commons.http import sign_in_first, sign_in_required
from commons.refusals import Refusal
from forum import selectors as forum_selectors
from forum.models import Thread
from forum.permissions import check_can_read_board
from safety.models import ServiceEntry
from voice import core, eligibility, extras, polls, ratings, selectors, services
from voice.forms import ProposalForm, VoteForm
from voice.models import POLL_OPTIONS_MAX, RATING_COMMENT_MAX, Kind

MSG_SIGN_IN_PROPOSE = gettext_noop("Please log in to make a proposal.")
MSG_SIGN_IN_VOTE = gettext_noop("Please log in to vote.")
MSG_SIGN_IN_STAND = gettext_noop("Please log in first.")
MSG_VOTED = gettext_noop("Your vote is in. You can change it until the vote closes.")
MSG_VOTE_CHANGED = gettext_noop("Your vote is changed. You can change it again until the vote closes.")
MSG_OPENED = gettext_noop("Your proposal is open to a vote. Its discussion is in the Proposals board.")
MSG_STANDING = gettext_noop("Thank you: members can now nominate you for moderator.")
MSG_NOT_STANDING = gettext_noop("You're no longer standing for moderator.")
MSG_SUSPENDED = gettext_noop("The outcome is suspended, the reason is in the public log, and a new vote is open.")


def _refused(request, refusal: Refusal):
    return render(request, "voice/refused.html", {"message": refusal.detail}, status=refusal.http_status)


def _rules_context() -> dict:
    return {"version": selectors.current_version(), "rules": selectors.current_rules()}


def rules(request):
    return render(request, "voice/rules.html", _rules_context())


def rules_history(request):
    return render(request, "voice/rules_history.html", {"history": selectors.rules_history()})


def proposals(request):
    peer = request.user
    return render(request, "voice/proposals.html", {
        "open": selectors.proposals_open(), "closed": selectors.proposals_closed()[:50],
        "eligible": eligibility.is_eligible(peer), "standing": selectors.is_standing(peer),
        "candidates": selectors.candidates(), "min_age_days": eligibility.min_age_days(), "min_posts": eligibility.min_posts(),
    })


@sign_in_required(gettext_lazy(MSG_SIGN_IN_PROPOSE))
def proposal_new(request):
    rules = selectors.current_rules()
    form = ProposalForm(request.POST or None, rules=rules, initial={"kind": request.GET.get("kind", Kind.RULE_ADD),
                                                                    "rule": request.GET.get("rule", "")})
    status, error = 200, ""
    if request.method == "POST":
        data = request.POST
        try:
            proposal = services.proposal_create(author=request.user, kind=data.get("kind", ""), title=data.get("title", ""),
                                                text=data.get("text", ""), rule=data.get("rule"), nominee=data.get("nominee", ""))
        except Refusal as refusal:
            status, error = refusal.http_status, refusal.detail
        else:
            messages.success(request, _(MSG_OPENED))
            return redirect(proposal)
    return render(request, "voice/proposal_new.html", {
        "form": form, "error": error, "rules": rules, "eligible": eligibility.is_eligible(request.user),
        "min_age_days": eligibility.min_age_days(), "min_posts": eligibility.min_posts(),
    }, status=status)


def _proposal_or_404(proposal_id: int):
    proposal = selectors.proposal_get(proposal_id)
    if proposal is None:
        raise Http404(_("There is no such proposal."))
    # The one write a GET makes on purpose (issue 16): the first look at a due vote closes it, so its page
    # never shows a window that has passed. proposal_close is safe under races (one winner); manage.py
    # voice_close does the same every minute. tests/forum/test_visibility_routes.py names this route.
    return core.close_if_due(proposal, lambda pk, now: services.proposal_close(proposal_id=pk, now=now), selectors.proposal_get)


def _proposal_context(request, proposal, form=None) -> dict:
    peer = request.user
    ballot = selectors.ballot_of(proposal, peer)
    if form is None:
        form = VoteForm(initial={"choice": ballot.choice, "reason": ballot.reason} if ballot else None)
    return {
        "proposal": proposal, "ballot": ballot, "form": form, "can_vote": proposal.is_open and selectors.in_electorate(proposal, peer),
        "block_reasons": proposal.block_reasons.all() if not proposal.is_open else (),
        "rule_now": next((r for r in selectors.current_rules() if r.number == proposal.rule_number), None),
        "can_suspend": peer.is_authenticated and peer.is_organiser and proposal.status == proposal.Status.ADOPTED
        and proposal.kind != Kind.QUESTION,
    }


def proposal(request, proposal_id: int):
    proposal = _proposal_or_404(proposal_id)
    return render(request, "voice/proposal.html", _proposal_context(request, proposal))


def vote(request, proposal_id: int):
    proposal = _proposal_or_404(proposal_id)
    if (response := sign_in_first(request, _(MSG_SIGN_IN_VOTE))) is not None:
        return response
    if request.method != "POST":
        return render(request, "voice/vote.html", _proposal_context(request, proposal))
    form = VoteForm(request.POST)
    try:
        first = services.vote_cast(proposal_id=proposal.pk, voter=request.user, choice=request.POST.get("choice", ""),
                                   reason=request.POST.get("reason", ""))
    except Refusal as refusal:
        context = _proposal_context(request, selectors.proposal_get(proposal.pk), form=form)
        return render(request, "voice/vote.html", {**context, "error": refusal.detail}, status=refusal.http_status)
    messages.success(request, _(MSG_VOTED if first else MSG_VOTE_CHANGED))
    return redirect(proposal)


@require_POST
def stand(request):
    if (response := sign_in_first(request, _(MSG_SIGN_IN_STAND))) is not None:
        return response
    standing = request.POST.get("standing") == "1"
    try:
        services.candidacy_set(peer=request.user, standing=standing)
    except Refusal as refusal:
        return _refused(request, refusal)
    messages.success(request, _(MSG_STANDING if standing else MSG_NOT_STANDING))
    return redirect("voice:proposals")


@require_POST
def suspend(request, proposal_id: int):
    if selectors.proposal_get(proposal_id) is None:
        raise Http404(_("There is no such proposal."))
    if (response := sign_in_first(request)) is not None:
        return response
    try:
        again = services.outcome_suspend(proposal_id=proposal_id, organiser=request.user, reason=request.POST.get("reason", ""))
    except Refusal as refusal:
        return _refused(request, refusal)
    messages.success(request, _(MSG_SUSPENDED))
    return redirect(again)


# --- polls in threads (docs/voice.md, "Polls in threads") -------------------------------------------------

MSG_SIGN_IN_POLL = gettext_lazy("Please log in to vote in this poll.")
MSG_SIGN_IN_ADD_POLL = gettext_lazy("Please log in to add a poll.")
MSG_NO_POLL = gettext_lazy("This thread has no poll.")
MSG_POLL_ADDED = gettext_lazy("Your poll is on the thread. You can't change it now, so people's votes keep their meaning.")
MSG_POLL_VOTED = gettext_lazy("Your vote is in. You can change it until the poll ends.")
MSG_POLL_CHANGED = gettext_lazy("Your vote is changed. You can change it again until the poll ends.")


def _thread_or_404(request, thread_id: int):
    """The thread if the reader may see it (forum's one rule); a thread they cannot see is "no such thread"."""
    try:
        thread = forum_selectors.thread_get(thread_id=thread_id, peer=request.user)
        check_can_read_board(request.user, thread.board)
    except (Thread.DoesNotExist, PermissionDenied):
        raise Http404(_("There is no such thread.")) from None
    return thread


def _poll_or_404(thread):
    poll = polls.poll_for_thread(thread.pk)  # a due poll closes on this first read
    if poll is None:
        raise Http404(str(MSG_NO_POLL))
    return poll


def poll_new(request, thread_id: int):
    thread = _thread_or_404(request, thread_id)
    if (response := sign_in_first(request, str(MSG_SIGN_IN_ADD_POLL))) is not None:
        return response
    data = request.POST
    form = {"question": data.get("question", ""), "options": data.getlist("option") or ["", "", ""],
            "several": data.get("several") == "1", "ends": data.get("ends", "")}
    status, error = 200, ""
    if thread.author_id != request.user.pk:
        status, error = 403, str(polls.MSG_NOT_AUTHOR)
    elif request.method == "POST":
        try:
            polls.poll_create(thread=thread, author=request.user, question=form["question"], options=form["options"],
                              several=form["several"], ends=form["ends"])
        except Refusal as refusal:
            status, error = refusal.http_status, refusal.detail
        else:
            messages.success(request, str(MSG_POLL_ADDED))
            return redirect(thread.get_absolute_url() + "#poll")
    if not form["ends"]:
        form["ends"] = timezone.localtime(timezone.now() + timedelta(days=7)).strftime("%Y-%m-%dT%H:%M")
    return render(request, "voice/poll_new.html", {
        "thread": thread, "form": form, "error": error, "may_add": thread.author_id == request.user.pk,
        "options_max": POLL_OPTIONS_MAX, "max_days": polls.max_days(),
    }, status=status)


def poll(request, thread_id: int):
    thread = _thread_or_404(request, thread_id)
    poll = _poll_or_404(thread)
    return render(request, "voice/poll.html", {**extras.poll_context(request, poll), "thread": thread})


def poll_vote(request, thread_id: int):
    thread = _thread_or_404(request, thread_id)
    poll = _poll_or_404(thread)
    if (response := sign_in_first(request, str(MSG_SIGN_IN_POLL))) is not None:
        return response
    if request.method != "POST":
        return redirect("voice:poll", thread_id=thread.pk)
    try:
        first = polls.poll_vote(poll_id=poll.pk, voter=request.user, option_ids=request.POST.getlist("option"))
    except Refusal as refusal:
        context = extras.poll_context(request, polls.poll_get(poll.pk), error=refusal.detail)
        return render(request, "voice/poll.html", {**context, "thread": thread}, status=refusal.http_status)
    messages.success(request, str(MSG_POLL_VOTED if first else MSG_POLL_CHANGED))
    return redirect(thread.get_absolute_url() + "#poll")


# --- ratings of services (docs/voice.md, "Your voice on services") -----------------------------------------

MSG_SIGN_IN_RATE = gettext_lazy("Please log in to rate a service. Joining takes a pseudonym and a password.")
MSG_RATED = gettext_lazy("Thank you: your rating is in, without your name. Averages show once enough people have rated.")
MSG_RATED_HELD = gettext_lazy("Thank you: your rating is in, without your name. Your comment waits for a moderator, "
                       "because it may hold contact details or selling talk; it shows once approved.")
MSG_MODERATORS_ONLY = gettext_lazy("Only moderators can review comments.")
MSG_COMMENT_DONE = gettext_lazy("That comment was reviewed already.")


def service_rate(request, entry_id: int):
    entry = ServiceEntry.objects.filter(pk=entry_id).first()
    if entry is None:
        raise Http404(str(ratings.MSG_UNKNOWN_SERVICE))
    if (response := sign_in_first(request, str(MSG_SIGN_IN_RATE))) is not None:
        return response
    data = request.POST
    status, error = 200, ""
    if request.method == "POST":
        try:
            held = ratings.rating_add(rater=request.user, service_id=entry.pk, respect=data.get("respect"),
                                      access=data.get("access"), wait=data.get("wait"), comment=data.get("comment", ""))
        except Refusal as refusal:
            status, error = refusal.http_status, refusal.detail
        else:
            messages.success(request, str(MSG_RATED_HELD if held else MSG_RATED))
            return redirect(f"{reverse('safety:services')}#service-{entry.pk}")
    summary = ratings.summaries([entry], request.user)[entry.pk]
    return render(request, "voice/service_rate.html", {"entry": entry, "summary": summary, "error": error, "data": data,
                                                      "scale": range(1, 6), "comment_max": RATING_COMMENT_MAX}, status=status)


def rating_review(request):
    if (response := sign_in_first(request)) is not None:
        return response
    if not request.user.is_moderator:
        return render(request, "voice/refused.html", {"message": str(MSG_MODERATORS_ONLY)}, status=403)
    if request.method == "POST":
        action = request.POST.get("action", "")
        rating_id = request.POST.get("rating", "")
        try:
            rating_id = uuid.UUID(rating_id)
        except ValueError:
            rating_id = None
        if action not in ("approve", "hide") or rating_id is None:
            return render(request, "voice/refused.html", {"message": _("That action isn't possible here.")}, status=400)
        if not ratings.comment_moderate(rating_id=rating_id, approve=action == "approve"):
            return render(request, "voice/refused.html", {"message": str(MSG_COMMENT_DONE)}, status=409)
        return redirect("voice:rating_review")
    return render(request, "voice/rating_review.html", {"waiting": ratings.comments_waiting()})
