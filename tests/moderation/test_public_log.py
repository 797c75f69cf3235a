"""The public moderation log: readable by everyone, it names the acting moderator, the action, the kind of
content, the rule or reason category and the day; never the member acted on, never what they wrote, never
the moderator's own words. The member sees the entries about themselves, in full, in their own account."""

import re

import pytest
from django.test import Client
from django.utils.html import escape

from moderation import services
from moderation.forms import DecisionForm
from moderation.models import Action, Appeal, LogEntry, QueueItem, ReportReason
from tests.conftest import make_peer

REASON = "shared a dealer's handle, please don't"
BODY = "ask for Sammy at the bus station kiosk, tell him I sent you"  # not caught by screening: a report catches it


@pytest.fixture
def decided(peer, other_peer, moderator, post_factory):
    """willow's post, reported by river for sourcing, hidden by mod-ash, and willow suspended for 3 days."""
    post = post_factory(author=other_peer, body=BODY)
    services.report_create(reporter=peer, target_ref=f"post:{post.pk}", reason=ReportReason.SOURCING)
    services.item_decide(item=QueueItem.objects.get(status="open"), moderator=moderator, content_action=Action.HIDE,
                         sanction=Action.SUSPEND, hours=72, reason=REASON)
    return post


def _main(html: str) -> str:
    return html.split('<main id="main"', 1)[1].split("</main>", 1)[0]


def _public_view_checks(html: str, *, post, subject, moderator) -> None:
    main = _main(html)
    assert moderator.username in main
    assert "hidden" in main and "suspended for 3 days" in main
    assert "forum post" in main and "account" in main
    assert "sourcing or selling" in main  # the category, from the report
    assert subject.username not in main
    assert REASON not in main and "Sammy" not in main and "kiosk" not in main
    assert f"#{post.pk}" not in main and f"/p/{post.pk}/" not in main and f"post:{post.pk}" not in main


@pytest.mark.django_db
def test_a_visitor_reads_the_log_without_an_account(decided, moderator, other_peer):
    response = Client().get("/mod/log/")
    assert response.status_code == 200
    _public_view_checks(response.content.decode(), post=decided, subject=other_peer, moderator=moderator)


@pytest.mark.django_db
def test_the_footer_link_to_the_log_works_for_visitors(client, decided):
    home = client.get("/").content.decode()
    footer = home.split('<footer class="site-footer">', 1)[1]
    assert 'href="/mod/log/"' in footer and 'href="/transparency/"' in footer
    assert client.get("/mod/log/", follow=True).redirect_chain == []


@pytest.mark.django_db
def test_another_member_sees_the_same_public_entry(decided, peer, moderator, other_peer):
    client = Client()
    client.force_login(make_peer(username="juniper"))
    _public_view_checks(client.get("/mod/log/").content.decode(), post=decided, subject=other_peer, moderator=moderator)


@pytest.mark.django_db
def test_the_reporter_sees_no_more_than_anyone(decided, peer, moderator, other_peer):
    client = Client()
    client.force_login(peer)
    _public_view_checks(client.get("/mod/log/").content.decode(), post=decided, subject=other_peer, moderator=moderator)


@pytest.mark.django_db
def test_a_moderator_sees_the_public_log_as_the_public_does(decided, second_moderator, moderator, other_peer):
    client = Client()
    client.force_login(second_moderator)
    _public_view_checks(client.get("/mod/log/").content.decode(), post=decided, subject=other_peer, moderator=moderator)


@pytest.mark.django_db
def test_the_subject_sees_the_public_log_without_their_name_too(decided, moderator, other_peer):
    client = Client()
    client.force_login(other_peer)
    main = _main(client.get("/mod/log/").content.decode())
    assert "sourcing or selling" in main and REASON not in main
    assert other_peer.username not in main


@pytest.mark.django_db
def test_the_subject_sees_their_decisions_in_full_in_settings_with_appeal_links(decided, moderator, other_peer):
    client = Client()
    client.force_login(other_peer)
    page = client.get("/settings/").content.decode()
    section = page.split('id="decisions-heading"', 1)[1].split("</section>", 1)[0]
    assert "Moderation decisions about you" in page
    assert escape(REASON) in section and moderator.username in section
    assert "your forum post" in section and "Suspended for 3 days" in section
    for entry in LogEntry.objects.filter(subject=other_peer):
        assert f'href="/appeal/#d{entry.pk}"' in section
    client.post(f"/appeal/{LogEntry.objects.get(action=Action.HIDE).pk}/", {"text": "It was a joke"})
    section = client.get("/settings/").content.decode().split('id="decisions-heading"', 1)[1].split("</section>", 1)[0]
    assert "appeal: waiting for a moderator" in section


@pytest.mark.django_db
def test_other_members_settings_show_none_of_it(decided, peer):
    client = Client()
    client.force_login(peer)
    page = client.get("/settings/").content.decode()
    assert "No moderator decisions about you." in page
    assert escape(REASON) not in page


@pytest.mark.django_db
@pytest.mark.parametrize("text", ["", "   ", "x" * 2001])
def test_a_bad_appeal_is_refused_and_stores_nothing(decided, other_peer, text):
    client = Client()
    client.force_login(other_peer)
    response = client.post(f"/appeal/{LogEntry.objects.get(action=Action.HIDE).pk}/", {"text": text})
    assert response.status_code == 400
    assert not Appeal.objects.exists()


@pytest.mark.django_db
def test_someone_elses_log_entries_cannot_be_appealed_or_seen(decided, peer):
    client = Client()
    client.force_login(peer)
    entry = LogEntry.objects.get(action=Action.SUSPEND)
    response = client.post(f"/appeal/{entry.pk}/", {"text": "not mine but let me try"})
    assert response.status_code == 403 and escape(services.MSG_APPEAL_NOT_YOURS) in response.content.decode()
    assert escape(REASON) not in response.content.decode()
    assert not Appeal.objects.exists()
    assert client.post("/appeal/999999/", {"text": "no such entry"}).status_code == 404
    assert escape(REASON) not in client.get("/appeal/").content.decode()


@pytest.mark.django_db
def test_the_log_lists_entries_by_day_not_by_minute(decided):
    main = _main(Client().get("/mod/log/").content.decode())
    assert re.search(r'<time datetime="\d{4}-\d{2}-\d{2}">', main)
    assert not re.search(r"\d{1,2}:\d{2}", main)  # a time of day would point at the member whose post went


@pytest.mark.django_db
def test_the_public_log_never_reads_the_member(decided, django_assert_max_num_queries, moderator):
    for _ in range(10):
        services.sanction_apply(peer=make_peer(), action=Action.WARN, moderator=moderator, reason="be kind")
    with django_assert_max_num_queries(6) as queries:
        assert Client().get("/mod/log/").status_code == 200
    joins_the_member = re.compile(r'"subject_id"\s*=')  # a join (or filter) on the member acted on
    assert not any(joins_the_member.search(q["sql"]) for q in queries.captured_queries)


# --- categories: what the public log shows instead of the moderator's words --------------------


@pytest.mark.django_db
def test_the_decision_form_suggests_the_category_from_the_reports(moderator_client, peer, other_peer, post_factory):
    post = post_factory(author=other_peer, body="rude words")
    services.report_create(reporter=peer, target_ref=f"post:{post.pk}", reason=ReportReason.HARASSMENT)
    item = QueueItem.objects.get()
    page = moderator_client.get(f"/mod/item/{item.pk}/").content.decode()
    assert re.search(r'<option value="harassment" selected>', page)


@pytest.mark.django_db
@pytest.mark.parametrize("category", ["not-a-category", "x" * 40])
def test_an_unknown_category_is_refused_and_nothing_is_decided(moderator_client, peer, other_peer, post_factory, category):
    post = post_factory(author=other_peer)
    services.report_create(reporter=peer, target_ref=f"post:{post.pk}", reason=ReportReason.SPAM)
    item = QueueItem.objects.get()
    response = moderator_client.post(f"/mod/item/{item.pk}/", {"content_action": "hide", "reason": "spam", "category": category})
    assert response.status_code == 400
    assert not LogEntry.objects.exists()
    item.refresh_from_db()
    assert item.is_open
    with pytest.raises(Exception):
        services.item_decide(item=item, moderator=item and make_peer("moderator"), content_action="hide", reason="spam", category=category)
    assert not LogEntry.objects.exists()


@pytest.mark.django_db
def test_a_chosen_category_is_logged(moderator, peer, other_peer, post_factory):
    post = post_factory(author=other_peer)
    services.report_create(reporter=peer, target_ref=f"post:{post.pk}", reason=ReportReason.SPAM)
    services.item_decide(item=QueueItem.objects.get(), moderator=moderator, content_action="hide", reason="doxxing",
                         category=ReportReason.PERSONAL_INFO)
    assert LogEntry.objects.get().category == ReportReason.PERSONAL_INFO


@pytest.mark.django_db
def test_approving_and_dismissing_carry_no_category(moderator, peer, other_peer, post_factory):
    post = post_factory(author=other_peer)
    services.report_create(reporter=peer, target_ref=f"post:{post.pk}", reason=ReportReason.SPAM)
    services.item_decide(item=QueueItem.objects.get(), moderator=moderator, content_action="dismiss")
    entry = LogEntry.objects.get()
    assert entry.category == "" and entry.category_label == "no rule broken"
    assert "no rule broken" in _main(Client().get("/mod/log/").content.decode())


@pytest.mark.django_db
def test_an_appeal_decision_keeps_the_category_of_the_decision(decided, other_peer, second_moderator):
    appeal = services.appeal_create(appellant=other_peer, log_entry=LogEntry.objects.get(action=Action.SUSPEND), text="unfair")
    entry = services.appeal_decide(appeal=appeal, moderator=second_moderator, overturn=True, reason="context")
    assert entry.category == ReportReason.SOURCING
    assert "appeal: decision reversed" in _main(Client().get("/mod/log/").content.decode())


def test_the_decision_form_offers_every_category(db):  # the form reads the current rules (voice)
    choices = dict(DecisionForm().fields["category"].choices)
    assert set(ReportReason.values) <= set(choices)
