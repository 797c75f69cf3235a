from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.utils.translation import gettext_noop
from django.views.decorators.http import require_POST

from commons.http import sign_in_first, sign_in_required
from commons.refusals import Refusal
from voice import eligibility, selectors, services
from voice.forms import ProposalForm, VoteForm
from voice.models import Kind

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
    if proposal.is_due():
        # The one write a GET makes on purpose (issue 16): the first look at a due vote closes it, so its page
        # never shows a window that has passed. proposal_close is safe under races (one winner); manage.py
        # voice_close does the same every minute. tests/forum/test_visibility_routes.py names this route.
        services.proposal_close(proposal_id=proposal.pk)
        proposal = selectors.proposal_get(proposal_id)
    return proposal


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
