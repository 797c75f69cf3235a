"""Demo entries for the services directory, loaded by `manage.py seed_demo` (idempotent)."""

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from safety import services
from safety.models import ServiceEntry, ServiceKind

DEMO_SERVICES = [
    dict(kind=ServiceKind.NALOXONE, name="Harbour Street Outreach", region="Downtown", contact="Walk in at 12 Harbour Street, or call 555-0140",
         hours="Mon–Sat 10:00–18:00", notes="Free naloxone kits and training in ten minutes. No ID, no questions."),
    dict(kind=ServiceKind.SYRINGE, name="Harbour Street Outreach (syringe services)", region="Downtown", contact="12 Harbour Street, side door",
         hours="Mon–Sat 10:00–18:00", notes="New gear, sharps bins, wound care nurse on Tuesdays."),
    dict(kind=ServiceKind.SUPERVISED, name="The Landing", region="Downtown", contact="40 Canal Row, 555-0199",
         hours="Every day 09:00–23:00", notes="Supervised consumption, oxygen and naloxone on site, drug checking on weekdays."),
    dict(kind=ServiceKind.DRUG_CHECKING, name="Check It Community Lab", region="Eastside", contact="Mobile van, schedule at 555-0123",
         hours="Thu and Fri 14:00–20:00", notes="Results in about 15 minutes. Anonymous."),
    dict(kind=ServiceKind.BUPRENORPHINE, name="Eastside Family Health", region="Eastside", contact="3 Mill Lane, 555-0177",
         hours="Mon–Fri 08:30–17:00", notes="Same-week buprenorphine starts, including micro-dosing. Telehealth possible."),
    dict(kind=ServiceKind.METHADONE, name="Riverside Opioid Treatment Programme", region="Riverside", contact="88 Quay Road, 555-0166",
         hours="Mon–Sun 06:30–13:00", notes="Call for an intake appointment."),
    dict(kind=ServiceKind.MUTUAL_AID, name="Tuesday Night Peer Recovery Circle", region="Riverside", contact="Library community room, 2 Quay Road",
         hours="Tuesdays 19:00", notes="All pathways welcome, including people on medication."),
    dict(kind=ServiceKind.SHELTER, name="Northgate Night Shelter", region="Northgate", contact="17 Gate Street, 555-0111",
         hours="Doors 19:00–08:00", notes="Low-barrier: partners and pets welcome."),
]
STALE_DEMO_NAME = "Northgate Night Shelter"


@transaction.atomic
def directory_seed(*, moderator) -> int:
    """Add the demo services that aren't there yet, verified by `moderator`; one is left stale to show the marking."""
    existing = set(ServiceEntry.objects.values_list("name", flat=True))
    added = 0
    for entry in DEMO_SERVICES:
        if entry["name"] in existing:
            continue
        suggestion = services.service_suggest(author=moderator, **entry)
        services.suggestion_accept(suggestion=suggestion, by=moderator)
        added += 1
    if added:
        ServiceEntry.objects.filter(name=STALE_DEMO_NAME).update(verified_at=timezone.now() - timedelta(days=200))
    return added
