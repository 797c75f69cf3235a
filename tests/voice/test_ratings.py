"""Members' ratings of services: rating, the five-people threshold, comments screened, once per 90 days, every bad
input refused with a sentence and nothing stored, and no rating traceable to its author."""

import uuid
from datetime import date, timedelta

import pytest
from django.db import connection
from django.utils import timezone
from django.utils.html import escape

from commons.refusals import Refusal
from peers.models import Notification
from safety.models import ServiceEntry
from tests.conftest import client_for, make_peer, page_text
from voice import ratings
from voice.models import RatingReceipt, ServiceRating


@pytest.fixture
def service(db):
    return ServiceEntry.objects.create(kind="naloxone", name="Harbour Outreach", region="Downtown", contact="Drop-in")


def _rate(client, service, **values):
    data = {"respect": "4", "access": "3", "wait": "2", "comment": ""} | values
    return client.post(f"/services/{service.pk}/rate/", {k: v for k, v in data.items() if v is not None})


def _nothing_stored():
    assert not ServiceRating.objects.exists() and not RatingReceipt.objects.exists()


def test_a_member_rates_a_service_without_their_name(service, peer):
    client = client_for(peer)
    assert "Rate this service" in page_text(client.get("/services/"))
    assert "Respect: were you treated with dignity?" in page_text(client.get(f"/services/{service.pk}/rate/"))
    response = _rate(client, service, comment="Kind staff, no judgement.")
    assert response.status_code == 302 and response["Location"] == f"/services/#service-{service.pk}"
    rating = ServiceRating.objects.get()
    assert (rating.respect, rating.access, rating.wait, rating.comment) == (4, 3, 2, "Kind staff, no judgement.")
    receipt = RatingReceipt.objects.get()
    today = timezone.now().date()
    assert receipt.peer == peer and today + timedelta(days=90) <= receipt.again_from <= today + timedelta(days=96)
    page = page_text(client.get("/services/"))
    assert "Members' ratings show once 5 people have rated this service." in page and "You rated it." in page
    assert "Kind staff" not in page


def test_averages_and_comments_show_once_five_people_have_rated(service):
    people = [make_peer(username=f"rater{i}") for i in range(5)]
    for i, person in enumerate(people[:4]):
        ratings.rating_add(rater=person, service_id=service.pk, respect=5, access=4, wait=i + 1, comment=f"comment {i}")
    page = page_text(client_for().get("/services/"))
    assert "Members' ratings show once 5 people have rated" in page and "comment 0" not in page and "of 5</dd>" not in page
    ratings.rating_add(rater=people[4], service_id=service.pk, respect=4, access=4, wait=5, comment="")
    page = page_text(client_for().get("/services/"))
    assert "<dd>4.8 of 5</dd>" in page and "<dd>4.0 of 5</dd>" in page and "<dd>3.0 of 5</dd>" in page
    assert "Rated by 5 members, without names." in page and "4 comments" in page
    assert all(f"comment {i}" in page for i in range(4))


def test_rating_again_inside_90_days_is_refused_and_allowed_after(service, peer):
    client = client_for(peer)
    assert _rate(client, service).status_code == 302
    response = _rate(client, service, respect="5")
    again = RatingReceipt.objects.get().again_from
    assert response.status_code == 409
    assert escape(f"You've rated Harbour Outreach already. You can rate it again from {again:%d %b %Y}.") in page_text(response)
    assert ServiceRating.objects.count() == 1
    RatingReceipt.objects.update(again_from=timezone.now().date())  # 90 days later
    assert _rate(client, service, respect="5").status_code == 302
    assert ServiceRating.objects.count() == 2 and RatingReceipt.objects.count() == 1  # one person still


@pytest.mark.parametrize(("values", "said"), [
    ({"respect": "0"}, "Please rate respect, access and wait, each from 1 (poor) to 5 (very good)."),
    ({"access": "6"}, "Please rate respect, access and wait, each from 1 (poor) to 5 (very good)."),
    ({"wait": "x"}, "Please rate respect, access and wait, each from 1 (poor) to 5 (very good)."),
    ({"wait": "3.5"}, "Please rate respect, access and wait, each from 1 (poor) to 5 (very good)."),
    ({"respect": None}, "Please rate respect, access and wait, each from 1 (poor) to 5 (very good)."),
    ({"comment": "x" * 301}, "Please keep the comment under 300 characters."),
    ({"comment": "\u200b\u2800"}, "The comment has only spaces or invisible characters in it"),
])
def test_bad_ratings_are_refused_with_a_sentence_and_nothing_stored(service, peer, values, said):
    response = _rate(client_for(peer), service, **values)
    assert response.status_code == 400 and escape(said) in page_text(response), page_text(response)
    _nothing_stored()


def test_a_visitor_and_an_unknown_service_are_refused(service):
    assert client_for().get(f"/services/{service.pk}/rate/").status_code == 302  # to log in, and back
    response = _rate(client_for(), service)
    assert response.status_code == 403 and "Please log in to rate a service." in page_text(response)
    member = client_for(make_peer())
    assert member.post("/services/999999/rate/", {"respect": "3", "access": "3", "wait": "3"}).status_code == 404
    assert member.get("/services/999999/rate/").status_code == 404
    with pytest.raises(Refusal) as unknown:
        ratings.rating_add(rater=make_peer(), service_id="x", respect=3, access=3, wait=3)
    assert "There is no such service" in unknown.value.detail
    assert "Rate this service" not in page_text(client_for().get("/services/"))
    _nothing_stored()


def test_a_held_comment_shows_only_after_a_moderator_approves_it(service, moderator):
    people = [make_peer(username=f"rater{i}") for i in range(5)]
    for person in people[:4]:
        ratings.rating_add(rater=person, service_id=service.pk, respect=3, access=3, wait=3)
    response = _rate(client_for(people[4]), service, comment="Ask for Dee, call 555-0134")
    assert response.status_code == 302
    assert not Notification.objects.filter(recipient=people[4]).exists()  # a notice's time would tie them to it
    held = ServiceRating.objects.get(comment__startswith="Ask")
    assert held.comment_status == ServiceRating.CommentStatus.PENDING
    assert "Ask for Dee" not in page_text(client_for().get("/services/"))
    assert "1 comment on a service waits for review" in page_text(client_for(moderator).get("/mod/"))
    assert client_for(people[0]).get("/services/ratings/review/").status_code == 403
    review = client_for(moderator)
    assert "Ask for Dee" in page_text(review.get("/services/ratings/review/"))
    assert review.post("/services/ratings/review/", {"rating": str(held.pk), "action": "nod"}).status_code == 400
    assert review.post("/services/ratings/review/", {"rating": "x", "action": "approve"}).status_code == 400
    assert review.post("/services/ratings/review/", {"rating": str(held.pk), "action": "approve"}).status_code == 302
    assert review.post("/services/ratings/review/", {"rating": str(held.pk), "action": "hide"}).status_code == 409
    assert "Ask for Dee" in page_text(client_for().get("/services/"))


def test_a_rating_cannot_be_traced_to_its_author(service, monkeypatch):
    """No column of a rating points at a person or holds a time; the receipt that enforces "once per 90 days"
    holds no rating and only the week; ids are random and the rows are written again in shuffled order."""
    fields = {f.name: f for f in ServiceRating._meta.get_fields()}
    assert not [f for f in fields.values() if f.is_relation and f.related_model is not ServiceEntry]
    assert not [f for f in fields.values() if f.get_internal_type() in ("DateTimeField", "DateField", "TimeField",
                                                                          "AutoField", "BigAutoField")]
    receipt_fields = {f.name for f in RatingReceipt._meta.get_fields()}
    assert receipt_fields == {"id", "peer", "service", "again_from"}
    # Everyone who rates in the same week may rate again from the same day: the receipt says only the week.
    monday = date(2026, 11, 23)
    assert len({ratings.again_from(monday + timedelta(days=d)) for d in range(7)}) == 1
    monkeypatch.setattr(ratings.random, "shuffle", lambda rows: rows.reverse())
    people = [make_peer(username=f"rater{i}") for i in range(6)]
    for i, person in enumerate(people):
        ratings.rating_add(rater=person, service_id=service.pk, respect=3, access=3, wait=3, comment=f"arrived {i}")
    rows = list(ServiceRating.objects.values_list("id", flat=True))
    assert all(isinstance(pk, uuid.UUID) and pk.version == 4 for pk in rows)
    with connection.cursor() as cursor:  # the order the table holds them in, as a reader of the file sees it
        cursor.execute(f"SELECT comment FROM {ServiceRating._meta.db_table}")
        stored = [row[0] for row in cursor.fetchall()]
    assert sorted(stored) == [f"arrived {i}" for i in range(6)]
    # Written again in shuffled order at each rating (here a shuffle that reverses, so the test is certain):
    # the table's order is not the order of arrival, which the receipts' order would match.
    assert stored != [f"arrived {i}" for i in range(6)]


def test_a_suspended_member_cannot_rate(service, peer, moderator):
    from moderation import services as moderation_services
    from moderation.models import Action

    moderation_services.sanction_apply(peer=peer, action=Action.SUSPEND, moderator=moderator, reason="cool off", hours=24)
    response = _rate(client_for(peer), service)
    assert response.status_code == 403 and "suspended" in page_text(response)
    _nothing_stored()


def test_the_data_export_holds_when_one_may_rate_again_never_the_rating(service, peer):
    from django.apps import apps

    ratings.rating_add(rater=peer, service_id=service.pk, respect=2, access=2, wait=2, comment="slow")
    exported = apps.get_app_config("voice").export_peer_data(peer)["services_rated"]
    assert exported == [{"service": service.pk, "may_rate_again_from": RatingReceipt.objects.get().again_from.isoformat()}]


def test_the_ratings_speak_spanish(service, peer):
    client = client_for(peer)
    assert "Valorar este servicio" in page_text(client.get("/services/", HTTP_ACCEPT_LANGUAGE="es"))
    response = _rate(client, service, respect="9")
    assert response.status_code == 400
    response = client.post(f"/services/{service.pk}/rate/", {"respect": "9", "access": "3", "wait": "3"}, HTTP_ACCEPT_LANGUAGE="es")
    assert "Valora el respeto, el acceso y la espera" in page_text(response)


def test_about_says_how_polls_and_ratings_work_with_the_settings(client, settings, db):
    settings.VOICE_POLL_MAX_DAYS, settings.VOICE_RATING_MIN_RATERS = 14, 7
    page = page_text(client.get("/about/"))
    assert "an end up to 14 days away" in page and "Averages and comments show only once 7 different people have rated it." in page
    assert "nobody, moderators and organisers included, can tell which rating is whose" in page


def test_the_threshold_follows_its_setting(service, settings):
    settings.VOICE_RATING_MIN_RATERS = 2
    for person in (make_peer(), make_peer()):
        ratings.rating_add(rater=person, service_id=service.pk, respect=2, access=3, wait=4)
    assert "<dd>2.0 of 5</dd>" in page_text(client_for().get("/services/"))
