"""Sensible default hold patterns for sourcing language; moderators edit them at /mod/patterns/."""

from django.db import migrations

PHRASES = [
    "hmu", "hit me up", "dm me for", "pm me for", "message me for", "inbox me for", "plug", "my connect",
    "selling", "for sale", "taking orders", "can sort you out", "discreet shipping", "ships discreetly",
    "wickr", "telegram me", "add me on telegram", "whatsapp me", "snap me", "signal me",
]
REGEXES = [
    # prices per weight or unit: "$40/g", "20 a gram", "£60 per 8th", "50 for a ball"
    (r"[$£€]?\s?\d+(?:\.\d+)?\s?(?:[$£€]|dollars?|bucks|quid)?\s?(?:/|per|a|an|for an?|4 an?)\s?"
     r"(?:g|gs|gram|grams|gr|oz|ounce|8th|eighth|ball|point|pt|tab|pill|bar)\b", "a price per gram or unit"),
    # bundle prices: "3 for $50", "2 4 £30"
    (r"\b\d+\s?(?:for|4)\s?[$£€]\s?\d+", "a bundle price"),
]


def add_defaults(apps, schema_editor):
    SourcingPattern = apps.get_model("moderation", "SourcingPattern")
    for phrase in PHRASES:
        SourcingPattern.objects.get_or_create(pattern=phrase, kind="phrase", defaults={"note": "default"})
    for regex, note in REGEXES:
        SourcingPattern.objects.get_or_create(pattern=regex, kind="regex", defaults={"note": note})


class Migration(migrations.Migration):
    dependencies = [("moderation", "0001_initial")]
    operations = [migrations.RunPython(add_defaults, migrations.RunPython.noop)]
