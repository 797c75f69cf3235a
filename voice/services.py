"""Community voice: writes. Rules versions, proposals, votes, closing, outcomes, the organisers' brake.

Every refusal is a commons.refusals.Refusal with a sentence the person can act on, raised before anything is
stored (docs/voice.md has the rules of deciding and their settings).
"""

import math
import random
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from commons.limits import limit_use
from commons.refusals import Refusal
from commons.text import validate_visible
from forum import services as forum_services
from forum.models import Thread
from moderation.audit import audit_record
from moderation.models import Action, ModerationStatus, Target
from moderation.sanctions import active_restriction
from peers import roles
from peers import services as peer_services
from peers.models import Peer
from voice import core, eligibility
from voice.models import (
    RULE_TEXT_MAX, RULE_TITLE_MAX, Ballot, BlockReason, Candidacy, Choice, Electorate, Kind, Proposal, RulesVersion,
    RuleText,
)
from voice.selectors import current_rules, current_version

PROPOSALS_BOARD = ("proposals", "Proposals", "Every proposal to the community is discussed here while it is put to a vote.")
RULE_KINDS = (Kind.RULE_ADD, Kind.RULE_CHANGE, Kind.RULE_REMOVE)
PERSON_KINDS = (Kind.ELECTION, Kind.RECALL)
REASON_MAX = 500

MSG_KIND_UNKNOWN = gettext_noop("Please choose what kind of proposal this is.")
MSG_TITLE_EMPTY = gettext_noop("Please give the proposal a title.")
MSG_TITLE_LONG = gettext_noop("Please keep the title under {limit} characters.")
MSG_RULE_TEXT_EMPTY = gettext_noop("Please write the rule's exact new text: it is what people vote on.")
MSG_RULE_TEXT_LONG = gettext_noop("Please keep the rule's text under {limit} characters.")
MSG_TEXT_LONG = gettext_noop("Please keep the text under {limit} characters.")
MSG_RULE_UNKNOWN = gettext_noop("There is no rule with that number now: please pick one from the rules page.")
MSG_RULE_UNCHANGED = gettext_noop("That is how the rule reads already: change its title or text, or propose something else.")
MSG_NOMINEE_UNKNOWN = gettext_noop("There is no member with that pseudonym: please check the spelling.")
MSG_NOMINEE_NOT_STANDING = gettext_noop("{name} hasn't said they would stand for moderator. They can say so on the proposals page; then you can nominate them.")
MSG_NOMINEE_ALREADY = gettext_noop("{name} is a moderator already.")
MSG_RECALL_NOT_MODERATOR = gettext_noop("{name} isn't a moderator, so there is nobody to recall.")
MSG_ONE_OPEN = gettext_noop("You already have a proposal open to a vote (“{title}”). You can open another once it closes.")
MSG_NOT_ELIGIBLE = gettext_noop("Proposals and votes are open to accounts at least {days} days old with {posts} approved posts, "
                              "not suspended. Yours doesn't meet that yet; you can still take part in the discussion.")
MSG_NOT_IN_ELECTORATE = gettext_noop("You can't vote on this one: who may vote was fixed when it opened, and your account wasn't "
                                   "eligible then (at least {days} days old with {posts} approved posts). You can still join the discussion.")
MSG_VOTE_CLOSED = gettext_noop("This vote has closed, so nothing was stored. The result is on the proposal's page.")
MSG_CHOICE_UNKNOWN = gettext_noop("Please choose agree, abstain, disagree or block.")
MSG_BLOCK_NEEDS_REASON = gettext_noop("A block needs a reason: say what is wrong, so the proposer can change it. It is shown without your name.")
MSG_REASON_LONG = gettext_noop("Please keep the reason under {limit} characters.")
MSG_HELD = gettext_noop("Something in your proposal looks like contact details or selling talk, which would be held for a moderator. "
                      "A proposal is public as soon as it opens, so please take that out and send it again.")
MSG_ORGANISERS_ONLY = gettext_noop("Only organisers can suspend the outcome of a vote.")
MSG_NOTHING_TO_SUSPEND = gettext_noop("Only an adopted outcome that changed something (a rule or a moderator) can be suspended.")
MSG_SUSPEND_NEEDS_REASON = gettext_noop("Please give a reason: it goes into the public log.")
MSG_STAND_MODERATOR = gettext_noop("You are a moderator already.")


def _settings_number(name: str, default):
    return getattr(settings, name, default)


def window() -> timedelta:
    return timedelta(days=float(_settings_number("VOICE_WINDOW_DAYS", 7)))


def quorum_for(eligible: int) -> int:
    """The larger of VOICE_QUORUM_MIN people and VOICE_QUORUM_SHARE of those eligible."""
    share = float(_settings_number("VOICE_QUORUM_SHARE", 0.10))
    return max(int(_settings_number("VOICE_QUORUM_MIN", 10)), math.ceil(share * eligible - 1e-9))


def passes(*, agree: int, abstain: int, disagree: int, block: int, quorum: int) -> bool:
    """Turnout reaches the quorum, agree is at least VOICE_AGREE_SHARE of agree + disagree, and blocks are
    under VOICE_BLOCK_SHARE of the votes cast."""
    cast = agree + abstain + disagree + block
    agree_share = float(_settings_number("VOICE_AGREE_SHARE", 2 / 3))
    block_share = float(_settings_number("VOICE_BLOCK_SHARE", 0.10))
    return (cast >= quorum and agree + disagree > 0 and agree >= agree_share * (agree + disagree) - 1e-9
            and block < block_share * cast - 1e-9)


# --- the rules ----------------------------------------------------------------------------------------


def _rules_version_make(*, rules: list[tuple[int, str, str]], proposal: Proposal | None, summary: str) -> RulesVersion:
    """A new version of the rule book holding `rules` [(number, title, text)]. The caller holds a transaction."""
    last = RulesVersion.objects.aggregate(last=Max("number"))["last"] or 0
    version = RulesVersion.objects.create(number=last + 1, proposal=proposal, summary=summary[:300])
    RuleText.objects.bulk_create(RuleText(version=version, number=n, title=t, text=x) for n, t, x in sorted(rules))
    return version


@transaction.atomic
def rules_seed(*, rules: list[tuple[str, str]]) -> bool:
    """The first version of the rules, if there is none yet (seed_demo); False when rules exist."""
    if RulesVersion.objects.exists():
        return False
    _rules_version_make(rules=[(n, t, x) for n, (t, x) in enumerate(rules, start=1)], proposal=None,
                        summary="The community's first rules.")
    return True


def _next_rule_number() -> int:
    """Numbers are never reused, so an old decision's "rule 3" keeps its meaning."""
    return (RuleText.objects.aggregate(last=Max("number"))["last"] or 0) + 1


# --- standing for moderator -----------------------------------------------------------------------------


@transaction.atomic
def candidacy_set(*, peer: Peer, standing: bool) -> bool:
    """Say you would (or would no longer) stand for moderator; True when it changed."""
    if standing and peer.is_moderator:
        raise Refusal("invalid", _(MSG_STAND_MODERATOR))
    restriction = active_restriction(peer)
    if restriction is not None and standing:
        raise Refusal("forbidden", restriction.message)
    limit_use("voice_stand", peer.pk)
    if standing:
        return Candidacy.objects.get_or_create(peer=peer)[1]
    return Candidacy.objects.filter(peer=peer).delete()[0] > 0


# --- proposals ------------------------------------------------------------------------------------------


def _clean(text: str, *, limit: int, empty: str, long: str) -> str:
    text = (text or "").strip()
    if not text:
        raise Refusal("invalid", _(empty))
    if len(text) > limit:
        raise Refusal("invalid", _(long).format(limit=limit))
    try:
        validate_visible(text)
    except ValidationError:
        raise Refusal("invalid", _(empty)) from None
    return text


def _not_eligible() -> Refusal:
    return Refusal("forbidden", _(MSG_NOT_ELIGIBLE).format(days=eligibility.min_age_days(), posts=eligibility.min_posts()))


def _nominee(name: str, kind: str) -> Peer:
    nominee = Peer.objects.filter(username__iexact=(name or "").strip().lstrip("@"), is_active=True).first()
    if nominee is None:
        raise Refusal("invalid", _(MSG_NOMINEE_UNKNOWN))
    if kind == Kind.ELECTION:
        if nominee.is_moderator:
            raise Refusal("invalid", _(MSG_NOMINEE_ALREADY).format(name=nominee.username))
        if not Candidacy.objects.filter(peer=nominee).exists():
            raise Refusal("invalid", _(MSG_NOMINEE_NOT_STANDING).format(name=nominee.username))
    elif not nominee.is_moderator:
        raise Refusal("invalid", _(MSG_RECALL_NOT_MODERATOR).format(name=nominee.username))
    return nominee


def _validated(*, kind: str, title: str, text: str, rule: int | str | None, nominee: str) -> dict:
    """The proposal's fields, checked; Refusal on the first thing wrong."""
    if kind not in Kind.values:
        raise Refusal("invalid", _(MSG_KIND_UNKNOWN))
    fields: dict = {"kind": kind, "rule_number": None, "nominee": None}
    rules = {r.number: r for r in current_rules()}
    if kind in (Kind.RULE_CHANGE, Kind.RULE_REMOVE):
        try:
            number = int(str(rule).strip())
        except (TypeError, ValueError):
            number = None
        if number not in rules:
            raise Refusal("invalid", _(MSG_RULE_UNKNOWN))
        fields["rule_number"] = number
    if kind in (Kind.RULE_ADD, Kind.RULE_CHANGE):
        fields["title"] = _clean(title, limit=RULE_TITLE_MAX, empty=MSG_TITLE_EMPTY, long=MSG_TITLE_LONG)
        fields["text"] = _clean(text, limit=RULE_TEXT_MAX, empty=MSG_RULE_TEXT_EMPTY, long=MSG_RULE_TEXT_LONG)
        old = rules.get(fields["rule_number"])
        if old is not None and (old.title, old.text) == (fields["title"], fields["text"]):
            raise Refusal("invalid", _(MSG_RULE_UNCHANGED))
        return fields
    if kind in PERSON_KINDS:
        fields["nominee"] = _nominee(nominee, kind)
    if len((text or "").strip()) > RULE_TEXT_MAX:
        raise Refusal("invalid", _(MSG_TEXT_LONG).format(limit=RULE_TEXT_MAX))
    fields["text"] = (text or "").strip()
    if kind == Kind.QUESTION or (title or "").strip():
        fields["title"] = _clean(title, limit=RULE_TITLE_MAX, empty=MSG_TITLE_EMPTY, long=MSG_TITLE_LONG)
    elif kind == Kind.RULE_REMOVE:
        fields["title"] = _("Remove rule {number}: {title}").format(number=fields["rule_number"], title=rules[fields["rule_number"]].title)
    elif kind == Kind.ELECTION:
        fields["title"] = _("Elect {name} as a moderator").format(name=fields["nominee"].username)
    else:
        fields["title"] = _("Recall {name} as a moderator").format(name=fields["nominee"].username)
    return fields


def _thread_body(proposal: Proposal) -> str:
    lines = [_("**A proposal to the community: {kind}.** Vote and read how it stands at {url}").format(
        kind=proposal.get_kind_display(), url=proposal.get_absolute_url())]
    if proposal.rule_number:
        lines.append(_("Rule {number}.").format(number=proposal.rule_number))
    if proposal.nominee_id:
        lines.append(_("Nominee: @{name}").format(name=proposal.nominee.username))
    if proposal.text:
        lines.append(proposal.text)
    return "\n\n".join(lines)


def _open(*, author: Peer | None, fields: dict, reopens: Proposal | None = None, thread: Thread | None = None) -> Proposal:
    """Store the proposal with its electorate fixed now, and its discussion thread. Caller holds a transaction."""
    now = timezone.now()
    electorate = eligibility.eligible_ids()
    proposal = Proposal.objects.create(
        author=author, reopens=reopens, opened=now, closes_at=now + window(), eligible_count=len(electorate),
        quorum=quorum_for(len(electorate)), **fields,
    )
    Electorate.objects.bulk_create(Electorate(proposal=proposal, peer_id=pk) for pk in electorate)
    if thread is None:
        board = forum_services.board_ensure(slug=PROPOSALS_BOARD[0], title=PROPOSALS_BOARD[1], description=PROPOSALS_BOARD[2])
        try:
            thread = forum_services.thread_create(board=board, author=author, title=proposal.title, body=_thread_body(proposal))
        except (PermissionDenied, ValidationError) as refused:
            detail = refused.messages[0] if isinstance(refused, ValidationError) else str(refused)
            raise Refusal("forbidden" if isinstance(refused, PermissionDenied) else "invalid", detail) from None
        if thread.moderation_status != ModerationStatus.APPROVED:
            # A proposal is public the moment it opens; held words (contact details, selling) must not be.
            raise Refusal("invalid", _(MSG_HELD))
    proposal.thread = thread
    proposal.save(update_fields=["thread"])
    return proposal


@transaction.atomic
def proposal_create(*, author: Peer, kind: str, title: str = "", text: str = "", rule=None, nominee: str = "") -> Proposal:
    """Open a proposal to a vote, with its discussion on the Proposals board. Refusal, storing nothing, when
    `author` isn't eligible, already has one open, or a field is wrong."""
    if not eligibility.is_eligible(author):
        raise _not_eligible()
    # Serialise one author's proposals (two tabs at once): the unique constraint is the last word.
    Peer.objects.select_for_update().filter(pk=author.pk).first()
    already = Proposal.objects.filter(author=author, status=Proposal.Status.OPEN, reopens__isnull=True).first()
    if already is not None:
        raise Refusal("limit", _(MSG_ONE_OPEN).format(title=already.title))
    fields = _validated(kind=kind, title=title, text=text, rule=rule, nominee=nominee)
    limit_use("voice_propose", author.pk)
    return _open(author=author, fields=fields)


# --- voting ---------------------------------------------------------------------------------------------


@transaction.atomic
def vote_cast(*, proposal_id: int, voter: Peer, choice: str, reason: str = "") -> bool:
    """Cast or change a vote; True for a first vote, False for a change (one row per voter either way).
    Refusal, storing nothing, after the close, for someone outside the electorate, or a block without a reason."""
    # The row lock orders a vote against the close (proposal_close's conditional UPDATE): a vote either lands
    # before the count or is refused after it, never lost in between.
    proposal = core.lock_open(Proposal, proposal_id, _(MSG_VOTE_CLOSED))
    if choice not in Choice.values:
        raise Refusal("invalid", _(MSG_CHOICE_UNKNOWN))
    reason = (reason or "").strip()
    if choice == Choice.BLOCK and not reason:
        raise Refusal("invalid", _(MSG_BLOCK_NEEDS_REASON))
    if len(reason) > REASON_MAX:
        raise Refusal("invalid", _(MSG_REASON_LONG).format(limit=REASON_MAX))
    if not Electorate.objects.filter(proposal=proposal, peer=voter).exists():
        raise Refusal("forbidden", _(MSG_NOT_IN_ELECTORATE).format(days=eligibility.min_age_days(), posts=eligibility.min_posts()))
    restriction = active_restriction(voter)
    if restriction is not None and restriction.blocks_connecting:  # suspended or banned: no vote meanwhile
        raise Refusal("forbidden", restriction.message)
    limit_use("voice_vote", voter.pk)
    _ballot, created = Ballot.objects.update_or_create(
        proposal=proposal, voter=voter, defaults={"choice": choice, "reason": reason if choice == Choice.BLOCK else ""},
    )
    if created:
        core.count_voter(Proposal, proposal.pk)
    return created


# --- closing and outcomes -------------------------------------------------------------------------------


def _rules_now() -> dict[int, tuple[str, str]]:
    return {r.number: (r.title, r.text) for r in current_rules()}


def _rules_write(rules: dict[int, tuple[str, str]], *, proposal: Proposal | None, summary: str) -> None:
    _rules_version_make(rules=[(n, t, x) for n, (t, x) in rules.items()], proposal=proposal, summary=summary)


def _effect(proposal: Proposal) -> tuple[bool, str]:
    """Make an adopted proposal take effect; (took effect?, what happened, in words). Caller holds a transaction."""
    kind, number = proposal.kind, proposal.rule_number
    if kind in RULE_KINDS:
        rules = _rules_now()
        if kind != Kind.RULE_ADD and number not in rules:
            return False, _("Rule {number} no longer exists, so nothing changed.").format(number=number)
        if kind == Kind.RULE_ADD:
            number = _next_rule_number()
            Proposal.objects.filter(pk=proposal.pk).update(rule_number=number)
            proposal.rule_number = number
            rules[number] = (proposal.title, proposal.text)
            said = _("Rule {number} added: {title}.").format(number=number, title=proposal.title)
        elif kind == Kind.RULE_CHANGE:
            rules[number] = (proposal.title, proposal.text)
            said = _("Rule {number} changed: {title}.").format(number=number, title=proposal.title)
        else:
            said = _("Rule {number} removed: {title}.").format(number=number, title=rules.pop(number)[0])
        _rules_write(rules, proposal=proposal, summary=said)
        return True, said
    if kind in PERSON_KINDS:
        nominee = proposal.nominee
        if nominee is None or not nominee.is_active:
            return False, _("The nominee's account is gone, so nothing changed.")
        if kind == Kind.ELECTION:
            if not Candidacy.objects.filter(peer=nominee).exists():  # consent runs to the end of the vote
                return False, _("The nominee withdrew before the vote closed, so nothing changed.")
            peer_services.role_grant(peer=nominee, role=roles.MODERATOR)
            Candidacy.objects.filter(peer=nominee).delete()
            return True, _("A new moderator was elected.")
        peer_services.role_revoke(peer=nominee, role=roles.MODERATOR)
        return True, _("A moderator was recalled.")
    return True, _("The community agreed.")


def _announce(proposal: Proposal, text: str) -> None:
    """Post `text` in the proposal's thread as its author. A thread that is gone, locked or an author who may not
    post (gone, suspended, over a limit) leaves it out: the outcome stands and is in the public log."""
    if proposal.thread_id is None or proposal.author_id is None:
        return
    try:
        with transaction.atomic():
            forum_services.post_create(thread=proposal.thread, author=proposal.author,
                                       body=_("**Posted automatically by the vote.** {text} {url}").format(
                                           text=text, url=proposal.get_absolute_url()))
    except Exception:  # noqa: BLE001 (the post is a courtesy; any refusal leaves the outcome as it is)
        pass


def proposal_close(*, proposal_id: int, now=None) -> bool:
    """Close a due vote: count it, keep only the totals (the ballots are deleted), make an adopted outcome take
    effect, and post it in the public log and the thread. One winner when several processes race: the
    conditional UPDATE claims the row; everyone else gets False and changes nothing."""
    now = now or timezone.now()
    # The outcome is a public record (the proposal, the log, the thread): in the site's language, whoever's page
    # happened to close the vote.
    with translation.override(settings.LANGUAGE_CODE), transaction.atomic():
        if not core.claim(Proposal, proposal_id, now=now, status=Proposal.Status.NOT_ADOPTED):
            return False
        proposal = Proposal.objects.select_related("author", "nominee", "thread").get(pk=proposal_id)
        totals = core.tally(Ballot.objects.filter(proposal=proposal), "choice", Choice.values)
        reasons = list(Ballot.objects.filter(proposal=proposal, choice=Choice.BLOCK).values_list("reason", flat=True))
        random.shuffle(reasons)  # their order says nothing about who wrote them
        BlockReason.objects.bulk_create(BlockReason(proposal=proposal, text=r) for r in reasons)
        Ballot.objects.filter(proposal=proposal).delete()
        adopted = passes(quorum=proposal.quorum, **totals)
        cast = sum(totals.values())
        counted = _("{agree} agree, {abstain} abstain, {disagree} disagree, {block} block; {cast} of {eligible} voted, quorum {quorum}.").format(
            cast=cast, eligible=proposal.eligible_count, quorum=proposal.quorum, **totals)
        if adopted:
            took_effect, said = _effect(proposal)
            outcome = _("Adopted. {said}").format(said=said) if took_effect else _("Adopted, but {said}").format(said=said)
        else:
            outcome = _("Not adopted.") if cast >= proposal.quorum else _("Not adopted: too few voted to reach the quorum.")
        Proposal.objects.filter(pk=proposal.pk).update(
            status=Proposal.Status.ADOPTED if adopted else Proposal.Status.NOT_ADOPTED, voted_count=cast,
            outcome=outcome[:300], **totals)
        public = _("Proposal #{id} ({kind}): {outcome} {counted}").format(id=proposal.pk, kind=proposal.get_kind_display(),
                                                                          outcome=outcome, counted=counted)
        audit_record(actor=None, action=Action.VOTE_OUTCOME, kind=Target.PROPOSAL, target_id=proposal.pk, reason=public)
        _announce(proposal, f"{outcome} {counted}")
        if proposal.author_id:
            peer_services.notification_send(recipient=proposal.author, kind="voice",
                                            text=_("The vote on your proposal “{title}” closed. {outcome}").format(
                                                title=proposal.title, outcome=outcome), url=proposal.get_absolute_url())
    return True


def proposals_close_due(*, now=None) -> int:
    """Close every due vote (manage.py voice_close); how many this process closed."""
    return core.close_due(Proposal, lambda pk, when: proposal_close(proposal_id=pk, now=when), now=now)


# --- the organisers' emergency brake ---------------------------------------------------------------------


def _undo(proposal: Proposal) -> str:
    """Reverse an adopted outcome; what happened, in words. Caller holds a transaction."""
    kind, number = proposal.kind, proposal.rule_number
    if kind in RULE_KINDS:
        rules = _rules_now()
        made = RulesVersion.objects.filter(proposal=proposal).order_by("number").first()
        before = {}
        if made is not None:
            before = {r.number: (r.title, r.text) for r in RuleText.objects.filter(version__number=made.number - 1)}
        if kind == Kind.RULE_ADD:
            rules.pop(number, None)
        elif number in before:
            rules[number] = before[number]
        said = _("Rule {number} is back as it was before the vote.").format(number=number)
        _rules_write(rules, proposal=None, summary=said)
        return said
    nominee = proposal.nominee
    if nominee is not None and kind == Kind.ELECTION:
        peer_services.role_revoke(peer=nominee, role=roles.MODERATOR)
        return _("The elected moderator's role is on hold.")
    if nominee is not None:
        peer_services.role_grant(peer=nominee, role=roles.MODERATOR)
        return _("The recalled moderator's role is back meanwhile.")
    return ""


@transaction.atomic
def outcome_suspend(*, proposal_id: int, organiser: Peer, reason: str) -> Proposal:
    """An organiser's emergency brake: reverse an adopted outcome, say why in the public log, and open a new vote
    on the same proposal at once. Returns the new vote."""
    if not organiser.is_organiser:
        raise Refusal("forbidden", _(MSG_ORGANISERS_ONLY))
    reason = (reason or "").strip()
    if not reason:
        raise Refusal("invalid", _(MSG_SUSPEND_NEEDS_REASON))
    if len(reason) > REASON_MAX:
        raise Refusal("invalid", _(MSG_REASON_LONG).format(limit=REASON_MAX))
    claimed = Proposal.objects.filter(pk=proposal_id, status=Proposal.Status.ADOPTED).exclude(kind=Kind.QUESTION).update(
        status=Proposal.Status.SUSPENDED, suspended_reason=reason)
    if not claimed:
        raise Refusal("closed", _(MSG_NOTHING_TO_SUSPEND))
    proposal = Proposal.objects.select_related("author", "nominee", "thread").get(pk=proposal_id)
    undone = _undo(proposal)
    fields = {"kind": proposal.kind, "title": proposal.title, "text": proposal.text, "nominee": proposal.nominee,
              "rule_number": proposal.rule_number if proposal.kind != Kind.RULE_ADD else None}
    again = _open(author=proposal.author, fields=fields, reopens=proposal, thread=proposal.thread)
    audit_record(actor=organiser, action=Action.OUTCOME_SUSPENDED, kind=Target.PROPOSAL, target_id=proposal.pk,
                 reason=_("Proposal #{id}: {undone} Why: {reason} A new vote is open: proposal #{again}.").format(
                     id=proposal.pk, undone=undone, reason=reason, again=again.pk))
    _announce(proposal, _("An organiser suspended this outcome: {reason} A new vote is open.").format(reason=reason))
    return again
