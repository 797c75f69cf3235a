"""Overdose help: the signals that show the card (and the text that must not), the card include, the help pages."""

import pytest
from django.utils.html import strip_tags
from django.template import Context, Template
from django.template.loader import render_to_string

from safety.overdose import mentions_overdose

SIGNALS = [
    "He's not breathing, what do I do",
    "she is NOT BREATHING",
    "my friend stopped breathing after one hit",
    "blue lips and cold hands",
    "his lips are turning blue",
    "she's unresponsive on the couch",
    "he won't wake up",
    "can't wake him up",
    "I think he's overdosing",
    "she overdosed last night and came back",
    "I think it's an OD",
    "he OD'd in the toilets",
    "my mate is ODing",
    "she's OD-ing right now",
    "friend od'd earlier",
    "having an overdose, please help",
]
UNRELATED = [
    "That's odd, the batch looked different.",
    "Methadone clinic hours changed.",
    "Breathing exercises help me with cravings.",
    "I wore my blue jeans to group.",
    "Overdose prevention sites save lives.",
    "International Overdose Awareness Day is coming up.",
    "Oh my God, what a week.",
    "Period of calm since I switched to bupe.",
    "I woke up feeling better.",
    "Oddly enough the test strip was negative.",
    "The ODS file format",
    "",
]


@pytest.mark.parametrize("text", SIGNALS)
def test_overdose_signals_show_the_card(text):
    assert mentions_overdose(text)


@pytest.mark.parametrize("text", UNRELATED)
def test_unrelated_text_does_not(text):
    assert not mentions_overdose(text)


def test_template_filter_and_tag(settings):
    settings.EMERGENCY_NUMBER = "112"
    template = Template("{% load safety %}{% if text|mentions_overdose %}yes{% endif %}|{% overdose_card text %}")
    shown = template.render(Context({"text": "he is not breathing"}))
    assert shown.startswith("yes|") and 'class="overdose-card"' in shown and "Call 112 now." in strip_tags(shown)
    hidden = template.render(Context({"text": "that's odd"}))
    assert hidden.strip() == "|"


def test_card_include_has_the_same_steps_as_the_page(client, settings, db):
    settings.EMERGENCY_NUMBER = "000"
    card = render_to_string("safety/_overdose_card.html", {"EMERGENCY_NUMBER": "000"})
    page = client.get("/help/overdose/").content.decode()
    steps = render_to_string("safety/_overdose_steps.html", {"EMERGENCY_NUMBER": "000"})
    assert steps in card and steps in page
    for words in ("Call 000 now.", "naloxone", "Breathe for them", "Recovery position", "Stay with them"):
        assert words in strip_tags(card)
    assert '<a href="tel:000">000</a>' in card  # one tap dials it on a phone


def test_overdose_page_is_readable_without_javascript(client, settings, db):
    settings.EMERGENCY_NUMBER = "999"
    response = client.get("/help/overdose/")
    page = response.content.decode()
    assert response.status_code == 200
    assert 'href="tel:999"' in page and "Call 999 now." in strip_tags(page)
    assert 'href="/help/good-samaritan/"' in page
    assert "<noscript" not in page  # nothing on it depends on JavaScript
    assert page.count("<script") == 4  # quick exit, local times, live alerts and the offline copy, all optional


def test_good_samaritan_note_is_configurable(client, settings, db):
    settings.SAFETY_GOOD_SAMARITAN_NOTE = "In **Testland**, section 12 protects anyone who calls for help."
    page = client.get("/help/good-samaritan/").content.decode()
    assert "In <strong>Testland</strong>, section 12 protects" in page
    settings.SAFETY_GOOD_SAMARITAN_NOTE = "<script>alert(1)</script>Plain."
    assert "<script>alert(1)" not in client.get("/help/good-samaritan/").content.decode()


def test_every_page_header_links_overdose_help(client, db):
    for path in ("/", "/alerts/", "/services/", "/about/", "/help/good-samaritan/"):
        assert 'href="/help/overdose/"' in client.get(path).content.decode(), path
