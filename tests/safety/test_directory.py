"""Services directory: suggestions held until a moderator verifies, corrections, staleness, filters, bad input."""

from datetime import timedelta

import pytest
from django.utils import timezone
from django.utils.html import escape

from safety import services, views
from safety.models import ServiceEntry, ServiceKind, ServiceSuggestion
from safety.permissions import MSG_MODERATORS_ONLY

pytestmark = pytest.mark.django_db

SERVICE_FORM = {
    "kind": "naloxone",
    "name": "Harbour Street Outreach",
    "region": "Downtown",
    "contact": "12 Harbour Street",
    "hours": "Mon–Sat 10–18",
    "notes": "Free kits, no ID.",
    "comment": "I picked one up there yesterday.",
}


@pytest.fixture
def entry_factory(moderator):
    def make(**fields) -> ServiceEntry:
        suggestion = services.service_suggest(author=moderator, **(SERVICE_FORM | fields))
        return services.suggestion_accept(suggestion=suggestion, by=moderator)

    return make


def test_a_suggestion_is_held_until_a_moderator_verifies_it(client, peer, moderator):
    client.force_login(peer)
    response = client.post("/services/suggest/", SERVICE_FORM, follow=True)
    assert escape(str(views.MSG_SUGGESTION_THANKS)) in response.content.decode()
    suggestion = ServiceSuggestion.objects.get()
    assert suggestion.status == ServiceSuggestion.Status.PENDING and suggestion.author == peer
    assert not ServiceEntry.objects.exists()
    assert "Harbour Street Outreach" not in client.get("/services/").content.decode()

    client.force_login(moderator)
    review = client.get("/services/review/").content.decode()
    assert "Harbour Street Outreach" in review and "I picked one up there yesterday." in review
    assert client.post(f"/services/review/{suggestion.pk}/", {"action": "accept"}).status_code == 302
    entry = ServiceEntry.objects.get()
    assert entry.verified_by == moderator
    page = client.get("/services/").content.decode()
    assert "Harbour Street Outreach" in page
    assert f"Verified on {timezone.now():%-d %b %Y}" in page
    assert client.post(f"/services/review/{suggestion.pk}/", {"action": "accept"}).status_code == 409
    assert ServiceEntry.objects.count() == 1


def test_a_correction_changes_nothing_until_accepted(client, peer, moderator, entry_factory):
    entry = entry_factory()
    client.force_login(peer)
    form = client.get(f"/services/{entry.pk}/correct/").content.decode()
    assert 'value="Harbour Street Outreach"' in form  # prefilled
    client.post(f"/services/{entry.pk}/correct/", SERVICE_FORM | {"hours": "Mon–Fri 09–17"})
    entry.refresh_from_db()
    assert entry.hours == "Mon–Sat 10–18"
    suggestion = ServiceSuggestion.objects.get(status=ServiceSuggestion.Status.PENDING)
    assert suggestion.entry == entry
    client.force_login(moderator)
    assert "(was Mon–Sat 10–18)" in client.get("/services/review/").content.decode()
    client.post(f"/services/review/{suggestion.pk}/", {"action": "accept"})
    entry.refresh_from_db()
    assert entry.hours == "Mon–Fri 09–17" and ServiceEntry.objects.count() == 1


def test_a_declined_suggestion_never_shows(client, peer, moderator):
    suggestion = services.service_suggest(author=peer, **SERVICE_FORM)
    client.force_login(moderator)
    assert client.post(f"/services/review/{suggestion.pk}/", {"action": "decline"}).status_code == 302
    assert client.post(f"/services/review/{suggestion.pk}/", {"action": "accept"}).status_code == 409
    assert client.post(f"/services/review/{suggestion.pk}/", {"action": "shrug"}).status_code == 400
    assert not ServiceEntry.objects.exists()


def test_members_cannot_review_or_verify(client, peer, entry_factory):
    entry = entry_factory()
    suggestion = services.service_suggest(author=peer, **SERVICE_FORM)
    client.force_login(peer)
    for response in (
        client.get("/services/review/"),
        client.post(f"/services/review/{suggestion.pk}/", {"action": "accept"}),
        client.post(f"/services/{entry.pk}/verify/"),
    ):
        assert response.status_code == 403
        assert escape(str(MSG_MODERATORS_ONLY)) in response.content.decode()
    suggestion.refresh_from_db()
    assert suggestion.status == ServiceSuggestion.Status.PENDING


def test_visitors_are_asked_to_log_in_to_suggest(client):
    response = client.post("/services/suggest/", SERVICE_FORM)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert not ServiceSuggestion.objects.exists()


def test_entries_not_verified_for_180_days_say_so(client, moderator, entry_factory):
    fresh = entry_factory(name="Fresh Place")
    stale = entry_factory(name="Old Place")
    long_ago = timezone.now() - timedelta(days=181)
    ServiceEntry.objects.filter(pk=stale.pk).update(verified_at=long_ago)
    ServiceEntry.objects.filter(pk=fresh.pk).update(verified_at=timezone.now() - timedelta(days=179))
    page = client.get("/services/").content.decode()
    assert f"Not verified since {long_ago:%-d %b %Y}." in page
    assert page.count("Not verified since") == 1
    client.force_login(moderator)
    client.post(f"/services/{stale.pk}/verify/")
    stale.refresh_from_db()
    assert not stale.is_stale
    assert "Not verified since" not in client.get("/services/").content.decode()


def test_filter_by_kind_and_region(client, entry_factory):
    entry_factory(name="Naloxone Downtown", kind="naloxone", region="Downtown")
    entry_factory(name="Syringes Downtown", kind="syringe", region="Downtown")
    entry_factory(name="Naloxone Eastside", kind="naloxone", region="Eastside")
    page = client.get("/services/", {"kind": "naloxone"}).content.decode()
    assert "Naloxone Downtown" in page and "Naloxone Eastside" in page and "Syringes Downtown" not in page
    page = client.get("/services/", {"region": "downtown"}).content.decode()
    assert "Naloxone Downtown" in page and "Syringes Downtown" in page and "Naloxone Eastside" not in page
    page = client.get("/services/", {"kind": "naloxone", "region": "Eastside"}).content.decode()
    assert "Naloxone Eastside" in page and "Downtown</h2>" not in page
    assert "No services match these filters yet." in client.get("/services/", {"kind": "shelter"}).content.decode()


def test_unknown_filter_kind_is_a_readable_400(client, entry_factory):
    entry_factory()
    response = client.get("/services/", {"kind": "<script>"})
    assert response.status_code == 400
    page = response.content.decode()
    assert escape(str(views.MSG_UNKNOWN_KIND)) in page and "<script>" not in page.split("<main")[1]
    assert "Harbour Street Outreach" in page


@pytest.mark.parametrize(
    "change, message",
    [
        ({"kind": ""}, services.MSG_BAD_CHOICE.format(field="kind of service")),
        ({"kind": "crystal-ball"}, services.MSG_BAD_CHOICE.format(field="kind of service")),
        ({"name": " "}, services.MSG_SERVICE_FIELD_REQUIRED.format(field="name")),
        ({"region": ""}, services.MSG_SERVICE_FIELD_REQUIRED.format(field="region")),
        ({"contact": ""}, services.MSG_SERVICE_FIELD_REQUIRED.format(field="contact")),
        ({"contact": "x" * 201}, services.MSG_TOO_LONG.format(field="Contact", limit=200)),
        ({"notes": "x" * 1001}, services.MSG_TOO_LONG.format(field="Notes", limit=1000)),
        ({"comment": "x" * 501}, services.MSG_TOO_LONG.format(field="Comment", limit=500)),
    ],
)
def test_bad_suggestion_input_is_refused(client, peer, entry_factory, change, message):
    entry = entry_factory()
    client.force_login(peer)
    for path in ("/services/suggest/", f"/services/{entry.pk}/correct/"):
        response = client.post(path, SERVICE_FORM | change)
        assert response.status_code == 400, path
        assert escape(str(message)) in response.content.decode()
    assert not ServiceSuggestion.objects.filter(author=peer).exists()


def test_correcting_a_missing_entry_is_404(client, peer):
    client.force_login(peer)
    assert client.get("/services/424242/correct/").status_code == 404


def test_directory_page_query_count_is_flat(client, moderator, entry_factory, django_assert_max_num_queries):
    for number in range(15):
        entry_factory(name=f"Service {number}", kind=ServiceKind.values[number % len(ServiceKind.values)], region=f"Area {number % 4}")
    client.force_login(moderator)
    with django_assert_max_num_queries(12):
        assert client.get("/services/").status_code == 200


def test_directory_makes_no_request_to_another_host(client, entry_factory):
    entry_factory(contact="https://example.org/naloxone")
    page = client.get("/services/").content.decode()
    assert "<iframe" not in page and "<img" not in page
    assert 'src="http' not in page and "src='http" not in page
