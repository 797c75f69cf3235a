"""Writes for drug-checking results: publishing (one or a whole file), members' sample reports, the role."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from checking.importing import ImportRefused, ResultRow, parse_date, parse_found, parse_method, parse_region, parse_results, parse_row, parse_sold_as, parse_text
from checking.models import Found, Result, SampleReport
from checking.permissions import check_can_give_checker_role, check_can_publish_results, check_can_report_sample
from checking.selectors import results_changed
from checking.tallies import tally_add
from checking.vocabulary import CONCERN_KEYS, substance_group
from commons.limits import limit_use
from moderation.screening import held_message, hold_codes
from peers import roles
from peers.models import Peer
from peers.services import role_grant, role_revoke

MSG_REPORT_DECIDED = _("A checker has already decided on this report.")
MSG_NO_SUCH_MEMBER = _("There is no member called “{name}”.")
MSG_SERVICE_REPORTED = _("reported by a member, confirmed by a checker")


def _result_from(row: ResultRow) -> Result:
    groups = {substance_group(found.substance) for found in row.found}
    return Result(checked_on=row.checked_on, region=row.region, sold_as=row.sold_as, method=row.method,
                  service=row.service, note=row.note, **{f"has_{key}": key in groups for key in CONCERN_KEYS})


@transaction.atomic
def results_publish(*, by: Peer | None, rows: list[ResultRow]) -> list[Result]:
    """Store checked rows as published results, all or none. `by` None: the operator's command line."""
    if by is not None:
        check_can_publish_results(by)
        limit_use("results_publish", by.pk)
    results = Result.objects.bulk_create([_result_from(row) for row in rows], batch_size=500)
    Found.objects.bulk_create(
        [Found(result=result, substance=found.substance, group=substance_group(found.substance), amount=found.amount, trace=found.trace,
               checked_on=result.checked_on)
         for result, row in zip(results, rows, strict=True) for found in row.found],
        batch_size=1000,
    )
    tally_add(results)
    results_changed()
    return results


def results_import(*, by: Peer | None, data: bytes | str) -> list[Result]:
    """A CSV file of results (docs/supply.md): every row stored, or none and ImportRefused naming the bad lines."""
    if by is not None:
        check_can_publish_results(by)  # before reading: a non-checker learns nothing about the file
    return results_publish(by=by, rows=parse_results(data))


def result_create(*, by: Peer, checked_on: str, region: str, sold_as: str, found: str, method: str, service: str, note: str = "") -> Result:
    """One result from the checkers' form: the same checks as a CSV row; ValidationError with the problem."""
    check_can_publish_results(by)
    try:
        row = parse_row({"date": checked_on, "region": region, "sold_as": sold_as, "found": found, "method": method,
                         "service": service, "note": note})
    except ValueError as problem:
        raise ValidationError(str(problem), code="invalid") from None
    return results_publish(by=by, rows=[row])[0]


@transaction.atomic
def sample_report(*, author: Peer, checked_on: str, region: str, sold_as: str, found: str, method: str, note: str = "") -> SampleReport:
    """A member reports a sample for a checker to confirm; nothing public until one does."""
    check_can_report_sample(author)
    try:
        values = {
            "checked_on": parse_date(checked_on), "region": parse_region(region), "sold_as": parse_sold_as(sold_as),
            "method": parse_method(method), "note": parse_text(note, field="note", limit=1000),
        }
        parse_found(found)
    except ValueError as problem:
        raise ValidationError(str(problem), code="invalid") from None
    limit_use("sample_report", author.pk)
    codes = hold_codes(values["note"], new_account=False, always_links=True)
    return SampleReport.objects.create(author=author, found="; ".join(part.strip() for part in found.split(";") if part.strip()),
                                       screening_reason=held_message(codes)[:500] if codes else "", **values)


@transaction.atomic
def sample_confirm(*, report: SampleReport, by: Peer, service: str, note: str) -> Result | None:
    """A checker confirms a member's report as a result (naming the service, editing the note). None if decided."""
    check_can_publish_results(by)
    report = SampleReport.objects.select_for_update().get(pk=report.pk)
    if report.status != SampleReport.Status.PENDING:
        return None
    result = result_create(by=by, checked_on=report.checked_on.isoformat(), region=report.region, sold_as=report.sold_as,
                           found=report.found, method=report.method, service=service or str(MSG_SERVICE_REPORTED), note=note)
    report.status, report.result, report.decided_at = SampleReport.Status.CONFIRMED, result, timezone.now()
    report.save(update_fields=["status", "result", "decided_at"])
    return result


@transaction.atomic
def sample_decline(*, report: SampleReport, by: Peer) -> bool:
    check_can_publish_results(by)
    return bool(SampleReport.objects.filter(pk=report.pk, status=SampleReport.Status.PENDING).update(
        status=SampleReport.Status.DECLINED, decided_at=timezone.now()))


def sample_reports_delete(*, author: Peer) -> int:
    """Delete every sample report by `author` (their account is being deleted); returns how many."""
    return SampleReport.objects.filter(author=author).delete()[0]


def _member(name: str) -> Peer:
    peer = Peer.objects.filter(username__iexact=(name or "").strip()).first()
    if peer is None:
        raise ValidationError(MSG_NO_SUCH_MEMBER.format(name=name), code="unknown")
    return peer


@transaction.atomic
def checker_grant(*, name: str, by: Peer) -> bool:
    """An organiser gives the checker role; False if the member had it."""
    check_can_give_checker_role(by)
    return role_grant(peer=_member(name), role=roles.CHECKER)


@transaction.atomic
def checker_revoke(*, name: str, by: Peer) -> bool:
    check_can_give_checker_role(by)
    return role_revoke(peer=_member(name), role=roles.CHECKER)


__all__ = ["ImportRefused", "results_import", "results_publish", "result_create", "sample_report", "sample_confirm",
           "sample_decline", "checker_grant", "checker_revoke"]
