"""Writes for drug alerts and the services directory."""

from datetime import timedelta

from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone, translation
from django.utils.text import format_lazy
from django.utils.translation import gettext, gettext_lazy as _

from checking import selectors as checking_selectors
from commons.channels import ALERTS_GROUP
from commons.languages import language_of
from commons.limits import limit_use
from commons.realtime import group_send_on_commit
from commons.text import validate_visible
from moderation.models import Action, ModerationStatus, Target
from moderation.screening import held_message, hold_codes, screen
from moderation.audit import audit_record
from peers.services import notification_send
from peers.models import Peer
from checking.vocabulary import region_named
from safety.models import ALERT_DEFAULT_DAYS, ALERT_MAX_DAYS, AlertSighting, DrugAlert, FollowedRegion, ServiceEntry, ServiceKind, ServiceSuggestion
from safety.permissions import (
    check_can_count_sighting, check_can_moderate, check_can_post_alert, check_can_take_part, publishes_alerts_directly,
)
from safety.selectors import BANNER_CACHE_KEY_NAME as BANNER_CACHE_KEY
from safety.selectors import REGIONS_CACHE_KEY

MSG_SUBSTANCE_REQUIRED = _("Please name the substance (for example \"fentanyl\" or \"pressed pills\").")
MSG_SUMMARY_REQUIRED = _("Please say what was found, in a sentence or two.")
MSG_REGION_REQUIRED = _("Please say where: a city, area or neighbourhood is enough.")
MSG_TOO_LONG = _("{field} can have at most {limit} characters.")
MSG_BAD_CHOICE = _("Please pick one of the listed options for {field}.")
MSG_DAYS_RANGE = format_lazy(_("An alert lasts from 1 to {days} days."), days=ALERT_MAX_DAYS)
MSG_ALERT_HELD = _("Thanks. Your alert is waiting for a moderator, who will check it soon; then everyone online sees it.")
MSG_ALERT_NOT_ACTIVE = _("This alert has ended or is not published, so it can't take a \"seen it too\".")
MSG_ALREADY_SEEN = _("You've already said you've seen this one. Thank you.")
MSG_SERVICE_FIELD_REQUIRED = _("Please fill in the {field}.")
MSG_SUGGESTION_DONE = _("This suggestion has already been handled.")
MSG_RESULT_UNKNOWN = _("One of the results this alert points to doesn't exist. Please pick it again from /results/.")
MSG_TOO_MANY_RESULTS = _("An alert can point to at most {limit} results.")
ALERT_MAX_RESULTS = 20

PRE_MODERATION_REASON = "pre-moderation: alerts from members are checked by a moderator before they go out"


def _clean_text(value: str, *, field: str, limit: int, required_message: str | None) -> str:
    value = " ".join((value or "").split())
    if not value and required_message:
        raise ValidationError(required_message, code="required")
    if len(value) > limit:
        raise ValidationError(MSG_TOO_LONG.format(field=field, limit=limit), code="too_long")
    validate_visible(value)
    return value


def _clean_choice(value: str, *, choices, field: str) -> str:
    if value not in choices.values:
        raise ValidationError(MSG_BAD_CHOICE.format(field=field), code="invalid_choice")
    return value


def alert_frame(alert: DrugAlert) -> dict:
    """The `alert` frame of CONTRACTS.md, sent to every room socket and every /ws/alerts/ socket."""
    return {
        "type": "alert",
        "id": alert.pk,
        "substance": alert.substance,
        "summary": alert.summary,
        "region": alert.region,
        "severity": alert.severity,
        "expires": alert.expires_at.isoformat(),
        # Its evidence (issue 19): where it comes from, and the results it rests on.
        "source": alert.source,
        "source_label": alert.get_source_display(),
        "evidence": [result.get_absolute_url() for result in alert.results.all()],
    }


def _clean_results(results) -> list:
    """Result ids (ints or digit strings) -> the results; ValidationError if any is unknown."""
    ids = sorted({int(value) for value in results if str(value).isdigit()})
    if len(ids) != len({str(value) for value in results}):
        raise ValidationError(MSG_RESULT_UNKNOWN, code="unknown_result")
    if len(ids) > ALERT_MAX_RESULTS:
        raise ValidationError(MSG_TOO_MANY_RESULTS.format(limit=ALERT_MAX_RESULTS), code="too_many_results")
    found = checking_selectors.results_by_ids(ids)
    if len(found) != len(ids):
        raise ValidationError(MSG_RESULT_UNKNOWN, code="unknown_result")
    return found


def _banner_changed() -> None:
    transaction.on_commit(lambda: cache.delete(BANNER_CACHE_KEY))


def _publish(alert: DrugAlert) -> None:
    _banner_changed()
    group_send_on_commit(ALERTS_GROUP, {"type": "alert.published", "frame": alert_frame(alert)})


@transaction.atomic
def alert_create(
    *, author, substance: str, summary: str, region: str, severity: str, source: str, days: int = ALERT_DEFAULT_DAYS,
    results=(),
) -> DrugAlert:
    """Post a drug alert. Moderators' and organisers' alerts go out at once; other established members' wait.
    `results`: ids of the drug-checking results it rests on (its evidence, linked from the alert)."""
    check_can_post_alert(author)
    substance = _clean_text(substance, field=_("Substance"), limit=100, required_message=MSG_SUBSTANCE_REQUIRED)
    summary = _clean_text(summary, field=_("What was found"), limit=300, required_message=MSG_SUMMARY_REQUIRED)
    region = _clean_text(region, field=_("Where"), limit=100, required_message=MSG_REGION_REQUIRED)
    severity = _clean_choice(severity, choices=DrugAlert.Severity, field="severity")
    source = _clean_choice(source, choices=DrugAlert.Source, field="source")
    if not isinstance(days, int) or not 1 <= days <= ALERT_MAX_DAYS:
        raise ValidationError(MSG_DAYS_RANGE, code="days")
    evidence = _clean_results(results)
    limit_use("alert_post", author.pk)
    screening = screen(author=author, text=f"{substance}\n{summary}\n{region}", kind="alert")
    reasons = list(screening.reasons)
    status = screening.status
    if not publishes_alerts_directly(author) and status == ModerationStatus.APPROVED:
        status = ModerationStatus.PENDING
        reasons.append(PRE_MODERATION_REASON)
    alert = DrugAlert.objects.create(
        author=author, substance=substance, summary=summary, region=region, severity=severity, source=source,
        expires_at=timezone.now() + timedelta(days=days),
        moderation_status=status, moderation_reason="; ".join(reasons)[:500],
    )
    if evidence:
        alert.results.set(evidence)
    if status == ModerationStatus.APPROVED:
        _publish(alert)
    else:
        _notify_moderators_of_held(alert)
    return alert


MODERATORS_TO_NOTIFY = 50


def _notify_moderators_of_held(alert: DrugAlert) -> None:
    """A held drug alert is urgent: tell the moderators directly rather than wait for someone to open the queue."""
    moderators = (
        Peer.objects.filter(is_active=True, groups__permissions__codename="moderate", groups__permissions__content_type__app_label="peers")
        .exclude(pk=alert.author_id).distinct()[:MODERATORS_TO_NOTIFY]
    )
    for moderator in moderators:
        with translation.override(language_of(moderator)):
            text = gettext("A drug alert about {substance} in {region} is waiting for a moderator.").format(
                substance=alert.substance, region=alert.region)
        notification_send(recipient=moderator, kind="alert_held", text=text, url=alert.get_absolute_url())


@transaction.atomic
def alert_moderate(*, alert: DrugAlert, status: str, by, reason: str = "") -> bool:
    """Approve or reject an alert (moderation's queue calls this); approving publishes it live. False if unchanged."""
    check_can_moderate(by)
    validate_visible(reason)
    limit_use("moderator_action", by.pk)
    alert = DrugAlert.objects.select_for_update().get(pk=alert.pk)
    if alert.moderation_status == status:
        return False
    alert.moderation_status = status
    alert.moderation_reason = reason[:500]
    alert.moderated_by = by
    alert.moderated_at = timezone.now()
    alert.save(update_fields=["moderation_status", "moderation_reason", "moderated_by", "moderated_at"])
    audit_record(
        actor=by, action=Action.APPROVE if status == ModerationStatus.APPROVED else Action.HIDE,
        kind=Target.ALERT, target_id=alert.pk, subject=alert.author, reason=alert.moderation_reason,
    )
    if status == ModerationStatus.APPROVED and alert.expires_at > timezone.now():
        _publish(alert)
    else:
        _banner_changed()
    # In the author's own language (their account's choice), not the moderator's.
    with translation.override(language_of(alert.author)):
        if status == ModerationStatus.APPROVED:
            text = gettext("Your drug alert about {substance} was approved and sent to everyone online. Thank you.").format(substance=alert.substance)
        else:
            text = gettext("Your drug alert about {substance} was not published.").format(substance=alert.substance) + (
                " " + gettext("Reason: {reason}").format(reason=alert.moderation_reason) if alert.moderation_reason else "")
    notification_send(recipient=alert.author, kind="moderation", text=text, url=alert.get_absolute_url())
    return True


def alert_approve(*, alert: DrugAlert, by) -> bool:
    return alert_moderate(alert=alert, status=ModerationStatus.APPROVED, by=by)


@transaction.atomic
def alert_end(*, alert: DrugAlert, by) -> bool:
    """End an alert early (a moderator); it moves to the archive. False if it had already ended."""
    check_can_moderate(by)
    limit_use("moderator_action", by.pk)
    now = timezone.now()
    changed = DrugAlert.objects.filter(pk=alert.pk, expires_at__gt=now).update(expires_at=now)
    if changed:
        _banner_changed()
    return bool(changed)


@transaction.atomic
def alert_mark_seen(*, alert: DrugAlert, peer) -> bool:
    """Record "seen it too" once per person per active alert; False if this person already said so. A muted
    member may (safety.permissions.check_can_count_sighting)."""
    check_can_count_sighting(peer)
    if not DrugAlert.objects.filter(pk=alert.pk).approved().filter(expires_at__gt=timezone.now()).exists():
        raise ValidationError(MSG_ALERT_NOT_ACTIVE, code="not_active")
    if AlertSighting.objects.filter(alert=alert, peer=peer).exists():
        return False
    limit_use("alert_seen", peer.pk)
    try:
        with transaction.atomic():
            AlertSighting.objects.create(alert=alert, peer=peer)
    except IntegrityError:  # a double click racing itself
        return False
    DrugAlert.objects.filter(pk=alert.pk).update(seen_count=F("seen_count") + 1)
    _banner_changed()
    return True


MSG_REGION_UNKNOWN = _("“{region}” isn't one of this site's regions.")


def regions_clean(names) -> list[str]:
    """Configured regions by name (case aside); ValidationError naming the first unknown one."""
    regions = []
    for name in names:
        region = region_named(name)
        if region is None:
            raise ValidationError(MSG_REGION_UNKNOWN.format(region=name), code="unknown_region")
        regions.append(region)
    return sorted(set(regions))


@transaction.atomic
def regions_follow(*, peer, regions) -> bool:
    """Set the regions a member follows (an empty list follows none). False if nothing changed."""
    check_can_count_sighting(peer)  # a setting, not words: anyone signed in and not suspended
    wanted = set(regions_clean(regions))
    current = set(FollowedRegion.objects.filter(peer=peer).values_list("region", flat=True))
    if wanted == current:
        return False
    FollowedRegion.objects.filter(peer=peer).exclude(region__in=wanted).delete()
    FollowedRegion.objects.bulk_create([FollowedRegion(peer=peer, region=region) for region in sorted(wanted - current)])
    key = REGIONS_CACHE_KEY.format(peer_id=peer.pk)
    cache.delete(key)
    transaction.on_commit(lambda: cache.delete(key))
    return True


# --- services directory ---

SERVICE_FIELDS = {
    "name": (_("Name"), 120, True),
    "region": (_("Region"), 100, True),
    "contact": (_("Contact"), 200, True),
    "hours": (_("Hours"), 200, False),
    "notes": (_("Notes"), 1000, False),
}


def _clean_service(data: dict) -> dict:
    cleaned = {"kind": _clean_choice(data.get("kind", ""), choices=ServiceKind, field=_("kind of service"))}
    for field, (label, limit, required) in SERVICE_FIELDS.items():
        value = data.get(field, "")
        if field == "notes":
            value = (value or "").strip()
            if len(value) > limit:
                raise ValidationError(MSG_TOO_LONG.format(field=label, limit=limit), code="too_long")
            validate_visible(value)
        else:
            value = _clean_text(value, field=label, limit=limit,
                                required_message=MSG_SERVICE_FIELD_REQUIRED.format(field=label.lower()) if required else None)
        cleaned[field] = value
    return cleaned


@transaction.atomic
def service_suggest(*, author, entry: ServiceEntry | None = None, comment: str = "", **fields) -> ServiceSuggestion:
    """A member suggests a new entry (entry None) or a correction; nothing public changes until a moderator accepts."""
    check_can_take_part(author)
    cleaned = _clean_service(fields)
    comment = _clean_text(comment, field=_("Comment"), limit=500, required_message=None)
    limit_use("service_suggest", author.pk)
    screened = "\n".join([cleaned[name] for name in ("name", "region", "hours", "notes")] + [comment])
    codes = hold_codes(screened, new_account=False)
    return ServiceSuggestion.objects.create(author=author, entry=entry, comment=comment, **cleaned,
                                            screening_reason=held_message(codes)[:500] if codes else "")


@transaction.atomic
def suggestion_accept(*, suggestion: ServiceSuggestion, by) -> ServiceEntry | None:
    """A moderator accepts: the entry is created or corrected and marked verified today. None if already handled."""
    check_can_moderate(by)
    limit_use("moderator_action", by.pk)
    suggestion = ServiceSuggestion.objects.select_for_update().get(pk=suggestion.pk)
    if suggestion.status != ServiceSuggestion.Status.PENDING:
        return None
    now = timezone.now()
    values = {field: getattr(suggestion, field) for field in ("kind", *SERVICE_FIELDS)}
    if suggestion.entry_id is None:
        entry = ServiceEntry.objects.create(verified_at=now, verified_by=by, **values)
        suggestion.entry = entry
    else:
        entry = ServiceEntry.objects.select_for_update().get(pk=suggestion.entry_id)
        for field, value in values.items():
            setattr(entry, field, value)
        entry.verified_at, entry.verified_by = now, by
        entry.save()
    suggestion.status, suggestion.reviewed_by, suggestion.reviewed_at = ServiceSuggestion.Status.ACCEPTED, by, now
    suggestion.save(update_fields=["entry", "status", "reviewed_by", "reviewed_at"])
    return entry


@transaction.atomic
def suggestion_decline(*, suggestion: ServiceSuggestion, by) -> bool:
    check_can_moderate(by)
    limit_use("moderator_action", by.pk)
    changed = ServiceSuggestion.objects.filter(pk=suggestion.pk, status=ServiceSuggestion.Status.PENDING).update(
        status=ServiceSuggestion.Status.DECLINED, reviewed_by=by, reviewed_at=timezone.now()
    )
    return bool(changed)


@transaction.atomic
def service_verify(*, entry: ServiceEntry, by) -> bool:
    """A moderator confirms an entry is still right today. False if it was already verified today."""
    check_can_moderate(by)
    now = timezone.now()
    if entry.verified_at.date() == now.date() and entry.verified_by_id == by.pk:
        return False
    limit_use("moderator_action", by.pk)
    ServiceEntry.objects.filter(pk=entry.pk).update(verified_at=now, verified_by=by)
    return True
